import { finance } from '../../adapters/finance-runtime';
import type { Implementation } from '../route';
import type { financeContext } from './routes';

export const listDealerAccountEntries: Implementation<typeof financeContext, 'listDealerAccountEntries'> = async ({ principal, params, query }) => {
  const { limit, cursor, account } = query;
  return { body: await finance().entries(principal, params.dealerId, { limit, ...(cursor ? { cursor } : {}) }, account) };
};
