import { balances } from '../../adapters/dynamo/finance-reports-store';
import type { Implementation } from '../route';
import type { financeContext } from './routes';

export const getAccountBalancesReport: Implementation<typeof financeContext, 'getAccountBalancesReport'> = async ({ principal, query }) => ({
  body: await balances(principal, query.dealerId ? { dealerId: query.dealerId } : {}),
});
