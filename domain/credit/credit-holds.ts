import { auditEntry, type RequestContext } from '../audit/audit-entry';
import { addDays } from '../shared/business-date';
import { VersionMismatchError } from '../shared/errors';
import { formatAmount } from './assess-credit';
import { withFigures, type CreditProfile, type OverdueSummary } from './credit-profile';
import { DEALER_CREDIT_ENTITY } from './limit-requests';
import type { CreditManagementStore, CreditProfileRepository, ReceivableReader } from './ports';

/**
 * Automatic credit holds (信用冻结). Debt overdue MORE than `maxOverdueDays` — the approval
 * policy's `overdueDebt.maxOverdueDays`, the same threshold the order credit check uses — puts
 * the dealer on credit hold, so its new orders route to finance approval with the hold's reason.
 * Lifting a hold is finance's decision (PUT /dealers/{dealerId}/credit {creditHold: false},
 * audited); the review never lifts one.
 */

export interface NewCreditHold {
  dealerId: string;
  region: string;
  currency: string;
  overdueAmount: number;
  oldestDueDate?: string;
  overdueDays: number;
  reason: string;
}

/** The hold reason for `overdue`, Chinese then English, amounts as ¥ with two decimals. */
export function overdueHoldReason(overdue: OverdueSummary, maxOverdueDays: number, currency: string): string {
  const amount = formatAmount(overdue.amount, currency);
  return `逾期欠款 ${amount}，最长逾期 ${overdue.overdueDays} 天（超过 ${maxOverdueDays} 天）Overdue debt ${amount}, oldest ${overdue.overdueDays} days past due (more than ${maxOverdueDays})`;
}

/** Whether `overdue` puts a dealer not yet on hold on hold (pure). */
export function needsOverdueHold(profile: Pick<CreditProfile, 'creditHold'>, overdue: OverdueSummary, maxOverdueDays: number): boolean {
  return !profile.creditHold && overdue.amount > 0 && overdue.overdueDays > maxOverdueDays;
}

const ATTEMPTS = 3;

export class CreditHoldService {
  constructor(
    private readonly profiles: CreditProfileRepository,
    private readonly receivables: ReceivableReader,
    private readonly store: CreditManagementStore,
  ) {}

  /**
   * Puts every dealer with debt overdue more than `maxOverdueDays` on `today` on hold and
   * returns the holds it placed (a dealer already on hold is left alone, so a re-run of the
   * same day returns nothing new). Finds the dealers with one Query on the open receivables by
   * due date (due before today − maxOverdueDays), never a Scan.
   */
  async review(ctx: RequestContext, today: string, maxOverdueDays: number): Promise<NewCreditHold[]> {
    const dealerIds = await this.store.dealersWithOpenDebtDueBefore(addDays(today, -maxOverdueDays));
    const holds: NewCreditHold[] = [];
    for (const dealerId of dealerIds) {
      const hold = await this.holdIfOverdue(ctx, dealerId, today, maxOverdueDays);
      if (hold) holds.push(hold);
    }
    return holds;
  }

  private async holdIfOverdue(ctx: RequestContext, dealerId: string, today: string, maxOverdueDays: number): Promise<NewCreditHold | undefined> {
    for (let attempt = 1; ; attempt += 1) {
      const profile = await this.profiles.find(dealerId);
      // A dealer on hold already needs no overdue figures: the daily run stays cheap for them.
      if (!profile || profile.creditHold) return undefined;
      const overdue = await this.receivables.overdueSummary(dealerId, today);
      if (!needsOverdueHold(profile, overdue, maxOverdueDays)) return undefined;
      const reason = overdueHoldReason(overdue, maxOverdueDays, profile.currency);
      const next: CreditProfile = { ...profile, creditHold: true, creditHoldReason: reason, updatedAt: ctx.now.toISOString(), version: profile.version + 1 };
      try {
        await this.profiles.updateTerms(
          next,
          profile.version,
          auditEntry(ctx, 'dealer_credit.hold_placed', { type: DEALER_CREDIT_ENTITY, id: dealerId }, withFigures(profile), withFigures(next)),
        );
      } catch (error) {
        if (error instanceof VersionMismatchError && attempt < ATTEMPTS) continue;
        throw error;
      }
      return {
        dealerId,
        region: profile.region,
        currency: profile.currency,
        overdueAmount: overdue.amount,
        ...(overdue.oldestDueDate ? { oldestDueDate: overdue.oldestDueDate } : {}),
        overdueDays: overdue.overdueDays,
        reason,
      };
    }
  }
}
