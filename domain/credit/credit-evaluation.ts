import { canSee } from '../access/object-scope';
import type { Principal } from '../access/principal';
import { auditEntry, type AuditEntry, type RequestContext } from '../audit/audit-entry';
import type { DealerRepository } from '../dealers/ports';
import { formatYuan } from '../invoicing/invoice';
import { addDays, businessDate } from '../shared/business-date';
import { NotFoundError, VersionMismatchError } from '../shared/errors';
import { withFigures, type CreditProfile } from './credit-profile';
import { DEALER_CREDIT_ENTITY, LIMIT_REQUEST_ENTITY, newLimitRequest, type CreditLimitRequest } from './limit-requests';
import type { CreditManagementStore, CreditProfileRepository, Page, ProfileTermsWrite, ReceivableReader } from './ports';
import type { CreditRating, RatingPolicy } from './rating-policy';
import { scoreCredit, scoringInputsFrom, type FactorResult, type ScoringInputs } from './scoring';

/**
 * Credit evaluations (信用评估): the score of scoring.ts computed from the dealer's receivables,
 * stored as history, and its policy applied.
 *
 * What an evaluation applies, and what it does not:
 * - payment terms: set to the rating's `paymentTermsDays` (for invoices issued from now on);
 * - order hold: a rating whose policy holds orders puts the dealer on credit hold (reason names
 *   the rating and score); an evaluation never LIFTS a hold — that is finance's audited decision;
 * - the credit limit: never changed directly. When the suggested limit (multiplier × monthly
 *   revenue) differs from the current one and no request is pending, the evaluation files a
 *   limit request (source `evaluation`) for finance to approve;
 * - prepayment required: advisory, shown with the evaluation.
 * Everything an evaluation writes commits in one transaction: the evaluation, the profile's
 * terms (conditional on their version) with ONE audit record `dealer_credit.evaluated` (its
 * changes: the rating shown on the profile and any terms applied), and the limit request with
 * its own `credit_limit_request.created` record.
 */

export interface CreditEvaluation {
  id: string;
  dealerId: string;
  /** The business date the figures are as of. */
  asOf: string;
  evaluatedAt: string;
  evaluatedBy: string;
  trigger: 'on_demand' | 'monthly';
  model: string;
  score: number;
  rating: CreditRating;
  policy: RatingPolicy;
  factors: FactorResult[];
  inputs: ScoringInputs;
  currentLimit: number;
  suggestedLimit: number;
  /** What the evaluation changed on the profile. */
  applied: { paymentTermsDays?: { before: number; after: number }; creditHold?: { reason: string } };
  /** The limit request it filed, if any. */
  limitRequestId?: string;
}

/** What the credit profile shows of the latest evaluation. */
export interface CreditRatingSummary {
  rating: CreditRating;
  score: number;
  evaluatedAt: string;
  evaluationId: string;
}

export function ratingSummary(evaluation: CreditEvaluation | undefined): CreditRatingSummary | undefined {
  return evaluation ? { rating: evaluation.rating, score: evaluation.score, evaluatedAt: evaluation.evaluatedAt, evaluationId: evaluation.id } : undefined;
}

export interface EvaluationResult {
  evaluation: CreditEvaluation;
  limitRequest?: CreditLimitRequest;
  /** False when the dealer's scheduled evaluation of the month existed already (nothing written). */
  written: boolean;
}

const ATTEMPTS = 3;

export class CreditEvaluationService {
  constructor(
    private readonly profiles: CreditProfileRepository,
    private readonly receivables: ReceivableReader,
    private readonly store: CreditManagementStore,
    private readonly dealers: Pick<DealerRepository, 'get' | 'list'>,
  ) {}

  /** POST /dealers/{dealerId}/credit/evaluate: as of today's business date. */
  async evaluateOnDemand(ctx: RequestContext, dealerId: string): Promise<EvaluationResult> {
    const profile = await this.profiles.find(dealerId);
    if (!profile || !canSee(ctx.principal, { dealerId, region: profile.region })) throw new NotFoundError('Dealer', dealerId);
    return this.evaluate(ctx, dealerId, businessDate(ctx.now), 'on_demand');
  }

  async list(principal: Principal, dealerId: string, page: { limit: number; cursor?: string }): Promise<Page<CreditEvaluation>> {
    const profile = await this.profiles.find(dealerId);
    if (!profile || !canSee(principal, { dealerId, region: profile.region })) throw new NotFoundError('Dealer', dealerId);
    return this.store.listEvaluations(dealerId, page);
  }

  /**
   * The monthly run: every active or suspended dealer, page by page, once per (dealer, month of
   * `date`) — a re-run or a retried invocation skips dealers already evaluated that month.
   */
  async reevaluateAll(ctx: RequestContext, date: string): Promise<{ evaluated: number; skipped: number; failed: { dealerId: string; error: string }[] }> {
    const summary = { evaluated: 0, skipped: 0, failed: [] as { dealerId: string; error: string }[] };
    let cursor: string | undefined;
    do {
      const page = await this.dealers.list({}, { limit: 100, ...(cursor ? { cursor } : {}) });
      for (const dealer of page.items) {
        if (dealer.status !== 'active' && dealer.status !== 'suspended') continue;
        try {
          const result = await this.evaluate(ctx, dealer.id, date, 'monthly');
          if (result.written) summary.evaluated += 1;
          else summary.skipped += 1;
        } catch (error) {
          // One dealer's failure must not stop the others; the next run retries it (no mark was written).
          summary.failed.push({ dealerId: dealer.id, error: (error as Error).message });
        }
      }
      cursor = page.nextCursor;
    } while (cursor);
    return summary;
  }

  async evaluate(ctx: RequestContext, dealerId: string, asOf: string, trigger: CreditEvaluation['trigger']): Promise<EvaluationResult> {
    for (let attempt = 1; ; attempt += 1) {
      const [profile, dealer] = await Promise.all([this.profiles.find(dealerId), this.dealers.get(dealerId)]);
      if (!profile || !dealer) throw new NotFoundError('Dealer', dealerId);
      const [receivables, overdue, previous, pending] = await Promise.all([
        this.store.receivablesIssuedSince(dealerId, addDays(asOf, -365)),
        this.receivables.overdueSummary(dealerId, asOf),
        this.store.latestEvaluation(dealerId),
        this.store.pendingLimitRequest(dealerId),
      ]);
      const inputs = scoringInputsFrom({
        asOf,
        currency: profile.currency,
        creditLimit: profile.creditLimit,
        dealerSince: dealer.createdAt,
        receivables,
        openReceivables: profile.openReceivables,
        overdueAmount: overdue.amount,
        oldestOverdueDays: overdue.overdueDays,
      });
      const result = scoreCredit(inputs);
      const at = ctx.now.toISOString();
      const evaluation: CreditEvaluation = {
        id: ctx.newId(),
        dealerId,
        asOf,
        evaluatedAt: at,
        evaluatedBy: ctx.principal.userId,
        trigger,
        model: result.model,
        score: result.score,
        rating: result.rating,
        policy: result.policy,
        factors: result.factors,
        inputs,
        currentLimit: profile.creditLimit,
        suggestedLimit: result.suggestedLimit,
        applied: {},
      };

      const next: CreditProfile = { ...profile };
      if (profile.paymentTermsDays !== result.policy.paymentTermsDays) {
        next.paymentTermsDays = result.policy.paymentTermsDays;
        evaluation.applied.paymentTermsDays = { before: profile.paymentTermsDays, after: result.policy.paymentTermsDays };
      }
      if (result.policy.orderHold && !profile.creditHold) {
        const reason = `信用评级 ${result.rating}（${result.score} 分）暂停赊销 Credit rating ${result.rating} (score ${result.score}) holds orders`;
        next.creditHold = true;
        next.creditHoldReason = reason;
        evaluation.applied.creditHold = { reason };
      }
      const termsChanged = Object.keys(evaluation.applied).length > 0;
      let profileWrite: ProfileTermsWrite | undefined;
      if (termsChanged) {
        next.updatedAt = at;
        next.version = profile.version + 1;
        profileWrite = { next, expectedVersion: profile.version };
      }

      let limitRequest: CreditLimitRequest | undefined;
      if (result.suggestedLimit !== profile.creditLimit && !pending) {
        limitRequest = newLimitRequest(
          ctx,
          profile,
          {
            newLimit: result.suggestedLimit,
            reason: `信用评估建议额度（评级 ${result.rating}，${result.score} 分，月均收入 × ${result.policy.limitMultiplier}）Suggested by the credit evaluation: rating ${result.rating}, score ${result.score}, monthly revenue × ${result.policy.limitMultiplier} = ${formatYuan(result.suggestedLimit)}`,
          },
          { source: 'evaluation', evaluationId: evaluation.id },
        );
        evaluation.limitRequestId = limitRequest.id;
      }

      const before = { ...withFigures(profile), ...ratingField(previous) };
      const after = { ...withFigures(termsChanged ? next : profile), ...ratingField(evaluation) };
      const audits: AuditEntry[] = [auditEntry(ctx, 'dealer_credit.evaluated', { type: DEALER_CREDIT_ENTITY, id: dealerId }, before, after)];
      if (limitRequest) audits.push(auditEntry(ctx, 'credit_limit_request.created', { type: LIMIT_REQUEST_ENTITY, id: limitRequest.id }, undefined, limitRequest));
      try {
        const outcome = await this.store.saveEvaluation(
          evaluation,
          { ...(profileWrite ? { profile: profileWrite } : {}), ...(limitRequest ? { limitRequest } : {}), ...(trigger === 'monthly' ? { period: asOf.slice(0, 7) } : {}) },
          audits,
        );
        return { evaluation, ...(limitRequest ? { limitRequest } : {}), written: outcome === 'written' };
      } catch (error) {
        if (error instanceof VersionMismatchError && attempt < ATTEMPTS) continue;
        throw error;
      }
    }
  }
}

/** The rating as the credit profile view shows it (`creditRating`), for audit before/after. */
function ratingField(evaluation: CreditEvaluation | undefined): { creditRating?: CreditRatingSummary } {
  const summary = ratingSummary(evaluation);
  return summary ? { creditRating: summary } : {};
}
