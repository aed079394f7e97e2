import type { CreditEvaluation } from '../../../domain/credit/credit-evaluation';
import type { CreditLimitRequest } from '../../../domain/credit/limit-requests';
import type { CreditManagementStore, Page } from '../../../domain/credit/ports';
import type { ScoredReceivable } from '../../../domain/credit/scoring';
import { businessDate } from '../../../domain/shared/business-date';
import { ConflictError, DomainError, VersionMismatchError } from '../../../domain/shared/errors';
import { auditItem } from './audit-log';
import { termsUpdateItem } from './credit-repository';
import { decodeCursor, encodeCursor, invalidCursor, withClientCursor } from './cursor';
import { dms } from './service';
import { conditionFailed, writeTransaction } from './transaction';

/**
 * Limit requests, credit evaluations and the receivable reads of credit scoring and holds, on
 * the single table (entities/scoring/*, entities/finance/receivable.ts).
 */

function strip<T>(item: Record<string, unknown>): T {
  return Object.fromEntries(Object.entries(item).filter(([, v]) => v !== undefined && v !== null)) as T;
}

interface DealerCursor {
  dealerId: string;
  electro: string;
}

async function pageOf<T>(
  kind: string,
  dealerId: string,
  page: { limit: number; cursor?: string },
  run: (cursor: string | null) => Promise<{ data: unknown[]; cursor: string | null }>,
): Promise<Page<T>> {
  const cursor = page.cursor ? decodeCursor<DealerCursor>(page.cursor, kind) : undefined;
  if (cursor && cursor.dealerId !== dealerId) throw invalidCursor('The cursor belongs to another dealer.');
  const result = await withClientCursor(cursor?.electro, () => run(cursor?.electro ?? null));
  return {
    items: result.data.map((item) => strip<T>(item as Record<string, unknown>)),
    ...(result.cursor ? { nextCursor: encodeCursor(kind, { dealerId, electro: result.cursor }) } : {}),
  };
}

/** The monthly mark exists: this dealer was evaluated by the schedule this month. Never leaves this module. */
class AlreadyEvaluated extends DomainError {
  constructor() {
    super('conflict', 'already_evaluated', 'The dealer was evaluated this month already.');
  }
}

export const creditManagementStore: CreditManagementStore = {
  async createLimitRequest(request, audit) {
    await writeTransaction(
      ({ creditLimitRequest, audit: audits }) => [creditLimitRequest.create(request).commit(), audits.create(auditItem(audit)).commit()],
      (reasons) => (conditionFailed(reasons, 0) ? new ConflictError('limit_request_exists', `Limit request ${request.id} exists.`) : undefined),
    );
  },

  async getLimitRequest(dealerId, requestId) {
    const result = await dms().entities.creditLimitRequest.get({ dealerId, id: requestId }).go({ consistent: true });
    return result.data ? strip<CreditLimitRequest>(result.data) : undefined;
  },

  listLimitRequests(dealerId, page) {
    return pageOf<CreditLimitRequest>('credit_limit_requests', dealerId, page, (cursor) =>
      dms().entities.creditLimitRequest.query.byDealer({ dealerId }).go({ order: 'desc', count: page.limit, cursor }),
    );
  },

  async pendingLimitRequest(dealerId) {
    const result = await dms()
      .entities.creditLimitRequest.query.byDealer({ dealerId })
      .where((attr, op) => op.eq(attr.status, 'pending'))
      .go({ pages: 'all', consistent: true });
    return result.data[0] ? strip<CreditLimitRequest>(result.data[0]) : undefined;
  },

  async decideLimitRequest(decided, expectedVersion, profile, audits) {
    await writeTransaction(
      (entities) => [
        entities.creditLimitRequest
          .put(decided)
          .where((attr, op) => `${op.eq(attr.status, 'pending')} AND ${op.eq(attr.version, expectedVersion)}`)
          .commit(),
        ...(profile ? [termsUpdateItem(entities, profile.next, profile.expectedVersion)] : []),
        ...audits.map((audit) => entities.audit.create(auditItem(audit)).commit()),
      ],
      (reasons) => {
        if (conditionFailed(reasons, 0)) return new ConflictError('limit_request_decided', `Credit limit request ${decided.id} was decided meanwhile.`);
        if (profile && conditionFailed(reasons, 1)) return new VersionMismatchError('Credit profile of dealer', decided.dealerId);
        return undefined;
      },
    );
  },

  async receivablesIssuedSince(dealerId, issuedFrom) {
    const result = await dms()
      .entities.receivable.query.byDealer({ dealerId })
      .gte({ issueDate: issuedFrom })
      .go({ pages: 'all', attributes: ['amount', 'open', 'issueDate', 'dueDate', 'status', 'lastPaymentAt', 'updatedAt'] });
    return result.data.map((r) => {
      const item = r as typeof r & { lastPaymentAt?: string };
      // The paid date: the last payment that moved `paid` (issue 5 records it); receivables
      // settled before that field existed fall back to their last update.
      const paidAt = item.status === 'paid' ? (item.lastPaymentAt ?? item.updatedAt) : undefined;
      const scored: ScoredReceivable = { amount: item.amount, open: item.open, issueDate: item.issueDate, dueDate: item.dueDate, status: item.status };
      if (paidAt) scored.paidOn = businessDate(new Date(paidAt));
      return scored;
    });
  },

  async saveEvaluation(evaluation, writes, audits) {
    try {
      await writeTransaction(
        (entities) => [
          entities.creditEvaluation.create(evaluation).commit(),
          ...(writes.period
            ? [entities.creditEvaluationMark.create({ dealerId: evaluation.dealerId, period: writes.period, evaluationId: evaluation.id, createdAt: evaluation.evaluatedAt }).commit()]
            : []),
          ...(writes.profile ? [termsUpdateItem(entities, writes.profile.next, writes.profile.expectedVersion)] : []),
          ...(writes.limitRequest ? [entities.creditLimitRequest.create(writes.limitRequest).commit()] : []),
          ...audits.map((audit) => entities.audit.create(auditItem(audit)).commit()),
        ],
        (reasons) => {
          if (writes.period && conditionFailed(reasons, 1)) return new AlreadyEvaluated();
          if (writes.profile && conditionFailed(reasons, writes.period ? 2 : 1)) return new VersionMismatchError('Credit profile of dealer', evaluation.dealerId);
          return undefined;
        },
      );
      return 'written';
    } catch (error) {
      if (error instanceof AlreadyEvaluated) return 'duplicate';
      throw error;
    }
  },

  async latestEvaluation(dealerId) {
    const result = await dms().entities.creditEvaluation.query.byDealer({ dealerId }).go({ order: 'desc', count: 1, consistent: true });
    return result.data[0] ? strip<CreditEvaluation>(result.data[0]) : undefined;
  },

  listEvaluations(dealerId, page) {
    return pageOf<CreditEvaluation>('credit_evaluations', dealerId, page, (cursor) =>
      dms().entities.creditEvaluation.query.byDealer({ dealerId }).go({ order: 'desc', count: page.limit, cursor }),
    );
  },

  async dealersWithOpenDebtDueBefore(dueBefore) {
    const dealers = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: { data: { dealerId: string }[]; cursor: string | null } = await dms()
        .entities.receivable.query.byDueDate({ openState: 'open' })
        .lt({ dueDate: dueBefore })
        .go({ attributes: ['dealerId'], cursor, limit: 1000 });
      for (const item of page.data) dealers.add(item.dealerId);
      cursor = page.cursor;
    } while (cursor);
    return [...dealers];
  },
};
