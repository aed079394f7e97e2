import { canSee } from '../access/object-scope';
import { isDealerPrincipal, type Principal } from '../access/principal';
import { auditEntry, changedFields, type RequestContext } from '../audit/audit-entry';
import { businessDate } from '../shared/business-date';
import { ForbiddenError, NotFoundError, ValidationError, VersionMismatchError } from '../shared/errors';
import { withFigures, type CreditFigures, type CreditProfile, type CreditProfileChanges, type OverdueSummary } from './credit-profile';
import { ratingSummary, type CreditRatingSummary } from './credit-evaluation';
import type { CreditManagementStore, CreditProfileRepository, ReceivableReader } from './ports';

/** What GET and PUT /dealers/{dealerId}/credit return. */
export interface CreditProfileView extends CreditFigures {
  overdue: OverdueSummary;
  /** The latest credit evaluation's rating, once the dealer was evaluated. */
  creditRating?: CreditRatingSummary;
}

const ENTITY = 'dealer_credit';

/**
 * Use cases of the credit profile. Object-level rules: a dealer principal sees only its own
 * dealer's profile and region-scoped staff only their regions' — anything else is a 404, as if
 * the dealer did not exist. Terms are set by the enterprise: a dealer principal never changes
 * them, even its own, whatever permissions a custom role gives it.
 */
export class CreditService {
  constructor(
    private readonly profiles: CreditProfileRepository,
    private readonly receivables: ReceivableReader,
    private readonly evaluations?: Pick<CreditManagementStore, 'latestEvaluation'>,
  ) {}

  /** The profile with exposure, available credit and the overdue summary as of `now`'s business date. */
  async get(principal: Principal, dealerId: string, now: Date): Promise<CreditProfileView> {
    const profile = await this.visible(principal, dealerId);
    return this.view(profile, now);
  }

  /**
   * Applies a partial change of the terms finance sets directly (payment terms, credit hold);
   * lifting a hold is audited like any change (`creditHold` and `creditHoldReason` before/after). A change that changes nothing writes nothing (no new
   * version, no audit record). The audit record holds the old and new terms and the derived
   * exposure and available credit (as of the read; the counters move independently).
   */
  async update(ctx: RequestContext, dealerId: string, expectedVersion: number, changes: CreditProfileChanges): Promise<CreditProfileView> {
    const current = await this.visible(ctx.principal, dealerId);
    if (isDealerPrincipal(ctx.principal)) {
      throw new ForbiddenError('Credit terms are set by the enterprise; dealer accounts cannot change them.', 'credit_terms_forbidden');
    }
    if (current.version !== expectedVersion) throw new VersionMismatchError('Credit profile of dealer', dealerId);

    const next = applyChanges(current, changes);
    const before = withFigures(current);
    const candidate = withFigures(next);
    if (Object.keys(changedFields(before, candidate)).length === 0) return this.view(current, ctx.now);

    const written: CreditProfile = { ...next, updatedAt: ctx.now.toISOString(), version: current.version + 1 };
    const after = withFigures(written);
    await this.profiles.updateTerms(written, expectedVersion, auditEntry(ctx, 'dealer_credit.updated', { type: ENTITY, id: dealerId }, before, after));
    return this.view(written, ctx.now);
  }

  private async visible(principal: Principal, dealerId: string): Promise<CreditProfile> {
    const profile = await this.profiles.find(dealerId);
    if (!profile || !canSee(principal, { dealerId, region: profile.region })) throw new NotFoundError('Dealer', dealerId);
    return profile;
  }

  private async view(profile: CreditProfile, now: Date): Promise<CreditProfileView> {
    const [overdue, latest] = await Promise.all([
      this.receivables.overdueSummary(profile.dealerId, businessDate(now)),
      this.evaluations?.latestEvaluation(profile.dealerId),
    ]);
    const creditRating = ratingSummary(latest);
    return { ...withFigures(profile), overdue, ...(creditRating ? { creditRating } : {}) };
  }
}

/**
 * The terms after `changes`. The hold and its reason go together: putting a dealer on hold needs
 * a reason (in the change or already stored), lifting the hold drops the reason, and a reason
 * without a hold is refused rather than silently dropped.
 */
export function applyChanges(current: CreditProfile, changes: CreditProfileChanges): CreditProfile {
  const { creditHoldReason, ...terms } = changes;
  const next: CreditProfile = { ...current, ...terms };
  const hold = next.creditHold;
  if (creditHoldReason === null || !hold) delete next.creditHoldReason;
  if (typeof creditHoldReason === 'string') {
    if (!hold) {
      throw new ValidationError('A credit hold reason goes only with a credit hold.', [
        { path: 'creditHoldReason', message: 'only allowed while creditHold is true', code: 'reason_without_hold' },
      ]);
    }
    next.creditHoldReason = creditHoldReason;
  }
  if (hold && !next.creditHoldReason) {
    throw new ValidationError('Putting a dealer on credit hold needs a reason.', [
      { path: 'creditHoldReason', message: 'required while creditHold is true', code: 'hold_reason_required' },
    ]);
  }
  return next;
}
