import { listInvoices as list } from '../../adapters/dynamo/invoice-store';
import type { Implementation } from '../route';
import type { financeContext } from './routes';

export const listInvoices: Implementation<typeof financeContext, 'listInvoices'> = async ({ principal, query }) => {
  const { limit, cursor, ...filter } = query;
  return { body: await list(principal, filter, { limit, ...(cursor ? { cursor } : {}) }) };
};
