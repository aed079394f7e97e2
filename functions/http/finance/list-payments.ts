import { finance } from '../../adapters/finance-runtime';
import { runtime } from '../../adapters/runtime';
import type { Implementation } from '../route';
import type { financeContext } from './routes';

export const listPayments: Implementation<typeof financeContext, 'listPayments'> = async ({ principal, query }) => {
  const { limit, cursor, ...filter } = query;
  return { body: await finance().listPayments(principal, filter, { limit, ...(cursor ? { cursor } : {}) }, runtime().now()) };
};
