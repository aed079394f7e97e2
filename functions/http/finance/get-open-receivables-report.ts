import { businessDate } from '../../../domain/shared/business-date';
import { openAr } from '../../adapters/dynamo/finance-reports-store';
import { runtime } from '../../adapters/runtime';
import type { Implementation } from '../route';
import type { financeContext } from './routes';

export const getOpenReceivablesReport: Implementation<typeof financeContext, 'getOpenReceivablesReport'> = async ({ principal, query }) => ({
  body: await openAr(principal, { asOf: query.asOf ?? businessDate(runtime().now()), ...(query.dealerId ? { dealerId: query.dealerId } : {}) }),
});
