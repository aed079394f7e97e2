import type { AuditEntry } from '../audit/audit-entry';
import type { Page } from '../dealers/ports';
import type { CreditProfile, OverdueSummary, Receivable } from './credit-profile';
import type { CreditLimitRequest } from './limit-requests';
import type { CreditEvaluation } from './credit-evaluation';
import type { ScoredReceivable } from './scoring';

export type { Page };

/** Port: credit profiles. Reads are consistent (a credit check must see the latest counters). */
export interface CreditProfileRepository {
  /** The dealer's profile (the default when none is stored); undefined when the dealer does not exist. */
  find(dealerId: string): Promise<CreditProfile | undefined>;
  /**
   * Writes the terms of `next` (never the counters) if the stored version is still
   * `expectedVersion` (a profile never stored counts as version 1), with its audit record in
   * the same transaction; else VersionMismatchError.
   */
  updateTerms(next: CreditProfile, expectedVersion: number, audit: AuditEntry): Promise<void>;
}

/** Port: reading receivables (they are written inside the invoice and payment transactions). */
export interface ReceivableReader {
  /** Open and partially paid receivables with dueDate < today (a business date). */
  overdueSummary(dealerId: string, today: string): Promise<OverdueSummary>;
  /** The dealer's receivables, newest invoice first. */
  list(dealerId: string, page: { limit: number; cursor?: string }): Promise<Page<Receivable>>;
}

// ── credit management: limit requests, evaluations, holds ─────────────────────


/** A terms change of the credit profile inside another transaction (conditional on its version). */
export interface ProfileTermsWrite {
  next: CreditProfile;
  expectedVersion: number;
}

/** Port: limit requests, evaluations and the reads credit scoring and holds need. */
export interface CreditManagementStore {
  /** Creates the request (pending) with its audit record. */
  createLimitRequest(request: CreditLimitRequest, audit: AuditEntry): Promise<void>;
  getLimitRequest(dealerId: string, requestId: string): Promise<CreditLimitRequest | undefined>;
  /** The dealer's requests, newest first. */
  listLimitRequests(dealerId: string, page: { limit: number; cursor?: string }): Promise<Page<CreditLimitRequest>>;
  /** A pending request of the dealer, if any. */
  pendingLimitRequest(dealerId: string): Promise<CreditLimitRequest | undefined>;
  /**
   * Writes the decided request if it is still `pending` at `expectedVersion` (else ConflictError
   * `limit_request_decided`), the profile terms when given (else VersionMismatchError), and the
   * audit records, in one transaction.
   */
  decideLimitRequest(decided: CreditLimitRequest, expectedVersion: number, profile: ProfileTermsWrite | undefined, audits: AuditEntry[]): Promise<void>;

  /** The dealer's receivables issued on or after `issuedFrom` (paid ones with their paid date). */
  receivablesIssuedSince(dealerId: string, issuedFrom: string): Promise<ScoredReceivable[]>;
  /**
   * Stores the evaluation with the profile terms it applies (if any), the limit request it
   * suggests (if any) and the audit records, in one transaction. With `period` the evaluation
   * is the dealer's scheduled one of that month: a second one is not written (`duplicate`).
   */
  saveEvaluation(
    evaluation: CreditEvaluation,
    writes: { profile?: ProfileTermsWrite; limitRequest?: CreditLimitRequest; period?: string },
    audits: AuditEntry[],
  ): Promise<'written' | 'duplicate'>;
  latestEvaluation(dealerId: string): Promise<CreditEvaluation | undefined>;
  /** The dealer's evaluations, newest first. */
  listEvaluations(dealerId: string, page: { limit: number; cursor?: string }): Promise<Page<CreditEvaluation>>;

  /** Ids of the dealers with an open receivable due before `dueBefore` (a business date), each once. */
  dealersWithOpenDebtDueBefore(dueBefore: string): Promise<string[]>;
}
