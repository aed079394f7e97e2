import { ConflictError } from '../shared/errors';

/**
 * Dealer accounts (经销商账户, the "wallet"): per dealer a prepayment (预收款), a deposit
 * (保证金) and a rebate (返利) balance, integer 分 in the dealer's currency. Each balance is
 * stored on the dealer's credit profile item and moves only by an atomic ADD written in the same
 * transaction as its append-only ledger entry, so Σ entries of an account = its balance. The
 * prepayment balance is what the credit exposure subtracts (credit-profile.ts `creditExposure`).
 */
export const DEALER_ACCOUNTS = ['prepayment', 'deposit', 'rebate'] as const;
export type DealerAccount = (typeof DEALER_ACCOUNTS)[number];

/** The stored attribute of each account's balance on the dealer credit item. */
export const BALANCE_FIELD = {
  prepayment: 'prepaymentBalance',
  deposit: 'depositBalance',
  rebate: 'rebateBalance',
} as const satisfies Record<DealerAccount, string>;

/**
 * Why an entry exists:
 * - `payment`: the part of a payment not allocated to invoices, credited to prepayment;
 * - `settlement`: an account debited to pay a receivable (POST /receivables/{id}/settlements);
 * - `auto_match`: prepayment applied to a new invoice when it is issued;
 * - `reversal`: a payment reversal takes its prepayment credit back;
 * - `deposit`, `rebate`: deposits received/refunded and rebates granted/withdrawn by finance;
 * - `adjustment`: other corrections (e.g. payables settled to the account);
 * - `invoice_void`: what was paid on an invoice voided by its order's cancellation or failure,
 *   credited back to prepayment.
 */
export const ACCOUNT_ENTRY_KINDS = ['payment', 'settlement', 'auto_match', 'reversal', 'deposit', 'rebate', 'adjustment', 'invoice_void'] as const;
export type AccountEntryKind = (typeof ACCOUNT_ENTRY_KINDS)[number];

export interface AccountEntry {
  dealerId: string;
  /** ULID: entries sort by it, newest first in the API. */
  id: string;
  account: DealerAccount;
  currency: string;
  /** Signed 分: positive credits the account, negative debits it. */
  amount: number;
  balanceAfter: number;
  kind: AccountEntryKind;
  /** What caused it: a payment id, an invoice number, a bank or finance reference. */
  reference: string;
  reason?: string;
  paymentId?: string;
  invoiceNumber?: string;
  at: string;
  actorId: string;
}

export interface AccountBalances {
  prepayment: number;
  deposit: number;
  rebate: number;
}

/** The balances of a dealer as the API shows them. */
export interface DealerAccountView {
  dealerId: string;
  currency: string;
  balances: AccountBalances;
}

/** One balance move: the store writes an ADD conditioned on `before` and the entry with `after`. */
export interface BalanceChange {
  account: DealerAccount;
  before: number;
  delta: number;
  after: number;
}

/**
 * The move of one account by `delta`; a debit below zero is a 409 `insufficient_balance` (no
 * account ever goes negative: the store's condition re-checks it against the stored balance).
 */
export function balanceChange(balances: AccountBalances, account: DealerAccount, delta: number): BalanceChange {
  if (!Number.isSafeInteger(delta) || delta === 0) throw new Error(`balanceChange: delta must be a non-zero integer amount in 分 (got ${delta})`);
  const before = balances[account];
  const after = before + delta;
  if (after < 0) {
    throw new ConflictError('insufficient_balance', `The ${account} account holds ${before} 分; ${-delta} 分 cannot be taken from it.`);
  }
  return { account, before, delta, after };
}
