import type { Principal } from '../../domain/access/principal';
import type { RequestContext } from '../../domain/audit/audit-entry';
import { CreditEvaluationService } from '../../domain/credit/credit-evaluation';
import { CreditHoldService, type NewCreditHold } from '../../domain/credit/credit-holds';
import { LimitRequestService } from '../../domain/credit/limit-requests';
import { approvalPolicyRepository } from './dynamo/approval-policy-repository';
import { creditManagementStore } from './dynamo/credit-management-store';
import { creditRepository } from './dynamo/credit-repository';
import { dealerRepository } from './dynamo/dealer-repository';
import { receivableReader } from './dynamo/receivables';

/**
 * Composition of the credit management use cases (limit requests, evaluations, holds) over the
 * DynamoDB adapters, built on first use; and the two entry points the schedules call.
 */

let limits: LimitRequestService | undefined;
let evaluations: CreditEvaluationService | undefined;
let holds: CreditHoldService | undefined;

export function limitRequestService(): LimitRequestService {
  limits ??= new LimitRequestService(creditRepository, creditManagementStore);
  return limits;
}

export function creditEvaluationService(): CreditEvaluationService {
  evaluations ??= new CreditEvaluationService(creditRepository, receivableReader, creditManagementStore, dealerRepository);
  return evaluations;
}

export function creditHoldService(): CreditHoldService {
  holds ??= new CreditHoldService(creditRepository, receivableReader, creditManagementStore);
  return holds;
}

/** The principal scheduled credit runs act as (their audit records name it). */
export const CREDIT_SCHEDULER: Principal = {
  userId: 'system:credit',
  username: 'credit-scheduler',
  roles: ['system'],
  regions: [],
  permissions: new Set(),
  scope: 'all',
};

/**
 * The monthly re-evaluation: every active or suspended dealer scored as of `date` (YYYY-MM-DD),
 * its policy applied (payment terms, order hold; a limit request when the suggested limit
 * differs). Idempotent per (dealer, month of `date`).
 */
export function reevaluateAllDealers(ctx: RequestContext, date: string) {
  return creditEvaluationService().reevaluateAll(ctx, date);
}

/**
 * Puts dealers whose debt is overdue more than the approval policy's `overdueDebt.maxOverdueDays`
 * on `today` on credit hold (audited `dealer_credit.hold_placed`); returns the holds placed by
 * this call (dealers already on hold are not repeated), for the daily finance digest.
 */
export async function reviewCreditHolds(ctx: RequestContext, today: string): Promise<NewCreditHold[]> {
  const policy = await approvalPolicyRepository.current();
  return creditHoldService().review(ctx, today, policy.overdueDebt.maxOverdueDays);
}

export type { NewCreditHold };
