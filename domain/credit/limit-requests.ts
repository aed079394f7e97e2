import * as z from 'zod';
import { canSee } from '../access/object-scope';
import { isDealerPrincipal, type Principal } from '../access/principal';
import { auditEntry, type RequestContext } from '../audit/audit-entry';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, VersionMismatchError } from '../shared/errors';
import { trimmedText } from '../shared/schemas';
import { CreditAmountSchema, withFigures, type CreditProfile } from './credit-profile';
import type { CreditManagementStore, CreditProfileRepository, Page } from './ports';

/**
 * Credit limit change requests (额度调整申请). A limit never changes by a plain edit: sales
 * (own regions), directors or finance request a new limit with a reason; finance approves or
 * rejects it — never the person who requested it. Approval writes the new limit on the credit
 * profile, the decision on the request and both audit records (the profile's with the old and
 * new limit) in one transaction; the request's `pending` status is that transaction's
 * condition, so of two concurrent decisions exactly one wins and the other gets 409.
 */

export const LIMIT_REQUEST_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type LimitRequestStatus = (typeof LIMIT_REQUEST_STATUSES)[number];

export interface CreditLimitRequest {
  id: string;
  dealerId: string;
  /** The dealer's region when requested (decides who may see the request). */
  region: string;
  currency: string;
  /** The limit when the request was made. */
  currentLimit: number;
  newLimit: number;
  reason: string;
  status: LimitRequestStatus;
  /** `manual`, or `evaluation` when a credit evaluation suggested it. */
  source: 'manual' | 'evaluation';
  evaluationId?: string;
  requestedBy: string;
  requestedAt: string;
  decidedBy?: string;
  decidedAt?: string;
  decisionComment?: string;
  /** The limit the approval replaced (it may differ from `currentLimit` if it moved meanwhile). */
  previousLimit?: number;
  updatedAt: string;
  version: number;
}

export const NewLimitRequestSchema = z.strictObject({
  newLimit: CreditAmountSchema.describe('the requested credit limit (分)'),
  reason: trimmedText(500).describe('why the limit should change'),
});
export type NewLimitRequest = z.output<typeof NewLimitRequestSchema>;

export const LimitDecisionSchema = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  comment: trimmedText(500).optional().describe('required when rejecting'),
});
export type LimitDecision = z.output<typeof LimitDecisionSchema>;

export const LIMIT_REQUEST_ENTITY = 'credit_limit_request';
export const DEALER_CREDIT_ENTITY = 'dealer_credit';

/** A pending request for `newLimit` on `profile`; `source`/`evaluationId` tell where it came from. */
export function newLimitRequest(
  ctx: RequestContext,
  profile: CreditProfile,
  input: NewLimitRequest,
  origin: { source: 'manual' } | { source: 'evaluation'; evaluationId: string } = { source: 'manual' },
): CreditLimitRequest {
  const at = ctx.now.toISOString();
  return {
    id: ctx.newId(),
    dealerId: profile.dealerId,
    region: profile.region,
    currency: profile.currency,
    currentLimit: profile.creditLimit,
    newLimit: input.newLimit,
    reason: input.reason,
    status: 'pending',
    ...origin,
    requestedBy: ctx.principal.userId,
    requestedAt: at,
    updatedAt: at,
    version: 1,
  };
}

/** Attempts at an approval whose profile moved between read and write (a concurrent terms change). */
const APPROVAL_ATTEMPTS = 3;

export class LimitRequestService {
  constructor(
    private readonly profiles: CreditProfileRepository,
    private readonly store: CreditManagementStore,
  ) {}

  async request(ctx: RequestContext, dealerId: string, input: NewLimitRequest): Promise<CreditLimitRequest> {
    const profile = await this.visible(ctx.principal, dealerId);
    if (isDealerPrincipal(ctx.principal)) throw new ForbiddenError('Credit limits are requested by the enterprise, not by dealer accounts.', 'credit_terms_forbidden');
    if (input.newLimit === profile.creditLimit) {
      throw new ValidationError('The requested limit is the current limit.', [{ path: 'newLimit', message: `already ${profile.creditLimit}`, code: 'limit_unchanged' }]);
    }
    const request = newLimitRequest(ctx, profile, input);
    await this.store.createLimitRequest(request, auditEntry(ctx, 'credit_limit_request.created', { type: LIMIT_REQUEST_ENTITY, id: request.id }, undefined, request));
    return request;
  }

  async list(principal: Principal, dealerId: string, page: { limit: number; cursor?: string }): Promise<Page<CreditLimitRequest>> {
    await this.visible(principal, dealerId);
    return this.store.listLimitRequests(dealerId, page);
  }

  async get(principal: Principal, dealerId: string, requestId: string): Promise<CreditLimitRequest> {
    await this.visible(principal, dealerId);
    const request = await this.store.getLimitRequest(dealerId, requestId);
    if (!request) throw new NotFoundError('Credit limit request', requestId);
    return request;
  }

  async decide(ctx: RequestContext, dealerId: string, requestId: string, decision: LimitDecision): Promise<CreditLimitRequest> {
    await this.visible(ctx.principal, dealerId);
    if (decision.decision === 'reject' && !decision.comment) {
      throw new ValidationError('A rejection needs a comment.', [{ path: 'comment', message: 'required when rejecting', code: 'comment_required' }]);
    }
    for (let attempt = 1; ; attempt += 1) {
      const request = await this.store.getLimitRequest(dealerId, requestId);
      if (!request) throw new NotFoundError('Credit limit request', requestId);
      if (request.status !== 'pending') throw alreadyDecided(request);
      if (request.requestedBy === ctx.principal.userId) {
        throw new ForbiddenError('Nobody decides a limit request they made themselves.', 'own_request');
      }
      const at = ctx.now.toISOString();
      const base = {
        ...request,
        status: decision.decision === 'approve' ? ('approved' as const) : ('rejected' as const),
        decidedBy: ctx.principal.userId,
        decidedAt: at,
        ...(decision.comment ? { decisionComment: decision.comment } : {}),
        updatedAt: at,
        version: request.version + 1,
      };
      const requestAction = `credit_limit_request.${base.status}`;
      if (decision.decision === 'reject') {
        await this.store.decideLimitRequest(base, request.version, undefined, [
          auditEntry(ctx, requestAction, { type: LIMIT_REQUEST_ENTITY, id: request.id }, request, base),
        ]);
        return base;
      }
      const profile = await this.profiles.find(dealerId);
      if (!profile) throw new NotFoundError('Dealer', dealerId);
      const decided: CreditLimitRequest = { ...base, previousLimit: profile.creditLimit };
      const next: CreditProfile = { ...profile, creditLimit: request.newLimit, updatedAt: at, version: profile.version + 1 };
      try {
        await this.store.decideLimitRequest(decided, request.version, { next, expectedVersion: profile.version }, [
          auditEntry(ctx, requestAction, { type: LIMIT_REQUEST_ENTITY, id: request.id }, request, decided),
          auditEntry(ctx, 'dealer_credit.limit_changed', { type: DEALER_CREDIT_ENTITY, id: dealerId }, withFigures(profile), withFigures(next)),
        ]);
        return decided;
      } catch (error) {
        // The profile's terms moved meanwhile: read both again (the request may be decided now).
        if (error instanceof VersionMismatchError && attempt < APPROVAL_ATTEMPTS) continue;
        throw error;
      }
    }
  }

  private async visible(principal: Principal, dealerId: string): Promise<CreditProfile> {
    const profile = await this.profiles.find(dealerId);
    if (!profile || !canSee(principal, { dealerId, region: profile.region })) throw new NotFoundError('Dealer', dealerId);
    return profile;
  }
}

export function alreadyDecided(request: CreditLimitRequest): ConflictError {
  return new ConflictError('limit_request_decided', `Credit limit request ${request.id} was already ${request.status}${request.decidedBy ? ` by ${request.decidedBy}` : ''}.`);
}
