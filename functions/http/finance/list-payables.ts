import { listPayables as list } from '../../adapters/dynamo/payable-store';
import type { Implementation } from '../route';
import type { financeContext } from './routes';

export const listPayables: Implementation<typeof financeContext, 'listPayables'> = async ({ principal, query }) => {
  const { limit, cursor, ...filter } = query;
  return { body: await list(principal, filter, { limit, ...(cursor ? { cursor } : {}) }) };
};
