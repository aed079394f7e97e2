import { businessDate } from '../../../domain/shared/business-date';
import { dso } from '../../adapters/dynamo/finance-reports-store';
import { runtime } from '../../adapters/runtime';
import type { Implementation } from '../route';
import type { financeContext } from './routes';

export const getDsoReport: Implementation<typeof financeContext, 'getDsoReport'> = async ({ principal, query }) => ({
  body: await dso(principal, { asOf: query.asOf ?? businessDate(runtime().now()), ...(query.dealerId ? { dealerId: query.dealerId } : {}) }),
});
