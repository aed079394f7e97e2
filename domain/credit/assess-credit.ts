import { formatYuan } from '../invoicing/invoice';
import type { CreditAssessment } from '../orders/order';
import { creditExposure, type CreditProfile, type OverdueSummary } from './credit-profile';

/** The parts of a credit profile the check reads (a whole CreditProfile will do). */
export type CreditCheckProfile = Pick<
  CreditProfile,
  'currency' | 'creditLimit' | 'prepaymentBalance' | 'creditHold' | 'creditHoldReason' | 'openOrders' | 'unbilledShipments' | 'openReceivables'
>;

export interface CreditCheckInput {
  profile: CreditCheckProfile;
  /** The dealer's overdue debt as of the business date of the check. */
  overdue: OverdueSummary;
  /** Gross of the order being submitted, in 分 of the profile's currency. */
  orderGross: number;
  /** Debt overdue MORE than this many days routes the order to finance (exactly N days does not). */
  maxOverdueDays: number;
}

/** `¥12,345.67` for CNY; other currencies as `USD 12,345.67`. */
export function formatAmount(fen: number, currency: string): string {
  const yuan = formatYuan(fen);
  return currency === 'CNY' ? yuan : yuan.replace('¥', `${currency} `);
}

function assertWhole(name: string, value: number, min?: number): void {
  if (!Number.isSafeInteger(value) || (min !== undefined && value < min)) {
    throw new RangeError(`assessCredit: ${name} must be an integer${min !== undefined ? ` ≥ ${min}` : ''} (got ${value})`);
  }
}

/**
 * The credit check at order submission (DESIGN §6), pure. Exposure = open orders + unbilled
 * shipments + open receivables − prepayment; the order is within credit when exposure after it
 * is at most the limit (exactly at the limit passes). It goes to finance when it would exceed the
 * limit, when the dealer's oldest overdue debt is more than `maxOverdueDays` days past due, or
 * when the dealer is on credit hold; `reasons` says which, in that order.
 *
 * A limit of 0 is "no credit": with nothing open and nothing ordered it is not exceeded, but any
 * order amount not covered by prepayment exceeds it.
 */
export function assessCredit(input: CreditCheckInput): CreditAssessment {
  const { profile, overdue, orderGross, maxOverdueDays } = input;
  assertWhole('orderGross', orderGross, 0);
  assertWhole('maxOverdueDays', maxOverdueDays, 0);
  assertWhole('overdue.amount', overdue.amount, 0);
  assertWhole('overdue.overdueDays', overdue.overdueDays, 0);

  const money = (fen: number) => formatAmount(fen, profile.currency);
  const exposureBefore = creditExposure(profile);
  const exposureAfter = exposureBefore + orderGross;
  const excess = Math.max(0, exposureAfter - profile.creditLimit);

  const reasons: string[] = [];
  if (excess > 0) {
    reasons.push(`exposure ${money(exposureAfter)} would exceed the credit limit ${money(profile.creditLimit)} by ${money(excess)}`);
  }
  if (overdue.amount > 0 && overdue.overdueDays > maxOverdueDays) {
    reasons.push(`debt overdue ${overdue.overdueDays} days (more than ${maxOverdueDays})`);
  }
  if (profile.creditHold) {
    reasons.push(profile.creditHoldReason ? `dealer on credit hold: ${profile.creditHoldReason}` : 'dealer on credit hold');
  }

  return {
    currency: profile.currency,
    creditLimit: profile.creditLimit,
    exposureBefore,
    exposureAfter,
    excess,
    overdueAmount: overdue.amount,
    overdueDays: overdue.overdueDays,
    onCreditHold: profile.creditHold,
    reasons,
  };
}
