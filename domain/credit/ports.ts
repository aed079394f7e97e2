import type { AuditEntry } from '../audit/audit-entry';
import type { Page } from '../dealers/ports';
import type { CreditProfile, OverdueSummary, Receivable } from './credit-profile';

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
