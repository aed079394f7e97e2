import { revenue } from '../../adapters/dynamo/finance-reports-store';
import type { Implementation } from '../route';
import type { financeContext } from './routes';

export const getRevenueReport: Implementation<typeof financeContext, 'getRevenueReport'> = async ({ principal, query }) => ({
  body: await revenue(principal, query),
});
