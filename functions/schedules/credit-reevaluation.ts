import { reevaluateAllDealers } from '../adapters/credit-runtime';
import { scheduleHandler } from './schedule-handler';

/**
 * Schedule `credit-reevaluation` (monthly, the 1st): every active or suspended dealer scored as
 * of the run's business date and its rating policy applied (domain/credit/credit-evaluation.ts);
 * idempotent per (dealer, month), so a retried invocation skips the dealers already done.
 */
export const handler = scheduleHandler('credit-reevaluation', (ctx, date) => reevaluateAllDealers(ctx, date));
