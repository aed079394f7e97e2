import type { AuditEntry } from '../audit/audit-entry';
import type { Receivable, ReceivableStatus } from '../credit/credit-profile';
import type { Page } from '../dealers/ports';
import { ConflictError } from '../shared/errors';
import type { Payment } from './payment';
import type { AccountBalances, AccountEntry, BalanceChange, DealerAccount } from './wallet';

export type { Page };

/** A dealer's accounts as stored on its credit item, with what access checks need. */
export interface DealerAccountState {
  dealerId: string;
  region: string;
  currency: string;
  balances: AccountBalances;
}

/** A receivable moved by a write; `before.version` is the write's condition. */
export interface ReceivableChange {
  before: Receivable;
  after: Receivable;
}

/**
 * Everything one finance change writes, in ONE transaction: the payment (created with its
 * bank-reference item, or updated under its version), the receivables (each under its
 * version; with `autoMatch`, also only if it was never auto-matched), one account balance
 * move with its ledger entry (an ADD conditioned on the balance as read), the exposure
 * (`openReceivables` delta) on the same credit item, and the audit record.
 */
export interface FinanceWrite {
  dealerId: string;
  paymentCreate?: Payment;
  paymentUpdate?: { next: Payment; expectedVersion: number };
  receivables: ReceivableChange[];
  autoMatch?: boolean;
  balance?: { change: BalanceChange; entry: AccountEntry };
  openReceivablesDelta?: number;
  audit: AuditEntry;
}

/** The bank reference is booked already (by a concurrent or earlier request). */
export class BankReferenceTakenError extends ConflictError {
  constructor(readonly bankReference: string) {
    super('bank_reference_taken', `Bank reference ${bankReference} belongs to another payment.`);
  }
}

export interface ReceivableFilter {
  /** Exactly one of: a dealer, or a list of regions (region-scoped staff), or neither (all). */
  dealerId?: string;
  regions?: string[];
  /** Absent: the dealer's all receivables when dealerId is given, else the open ones. */
  statuses?: ReceivableStatus[];
  dueFrom?: string;
  dueTo?: string;
}

export interface PaymentFilter {
  dealerId?: string;
  regions?: string[];
  from: string;
  to: string;
}

export interface PageRequest {
  limit: number;
  cursor?: string;
}

/** Port: finance persistence (functions/adapters/dynamo/payment-store.ts). */
export interface FinanceStore {
  /** The dealer's accounts (consistent); undefined when the dealer does not exist. */
  account(dealerId: string): Promise<DealerAccountState | undefined>;
  receivable(id: string): Promise<Receivable | undefined>;
  /** Consistent reads by invoice number; missing ones are absent from the map. */
  receivables(ids: readonly string[]): Promise<Map<string, Receivable>>;
  /** The dealer's open receivables, oldest due first, at most `limit`, each read consistently. */
  oldestOpen(dealerId: string, limit: number): Promise<Receivable[]>;
  /** Every open receivable (of one dealer, or all), paging internally over the due-date index. */
  allOpen(dealerId?: string): Promise<Receivable[]>;
  listReceivables(filter: ReceivableFilter, page: PageRequest): Promise<Page<Receivable>>;
  payment(id: string): Promise<Payment | undefined>;
  paymentByReference(bankReference: string): Promise<Payment | undefined>;
  listPayments(filter: PaymentFilter, page: PageRequest): Promise<Page<Payment>>;
  entries(dealerId: string, page: PageRequest, account?: DealerAccount): Promise<Page<AccountEntry>>;
  /**
   * Writes `write` in one transaction. A failed condition on a receivable, the payment or the
   * balance is VersionMismatchError (re-read and retry); a taken bank reference is
   * BankReferenceTakenError.
   */
  commit(write: FinanceWrite): Promise<void>;
}
