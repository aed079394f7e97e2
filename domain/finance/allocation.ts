import type { Receivable, ReceivableStatus } from '../credit/credit-profile';
import { isOpenReceivable } from '../credit/credit-profile';
import { ConflictError, ValidationError, type FieldError } from '../shared/errors';

/**
 * Allocation of money to receivables (核销): pure functions, no I/O.
 *
 * A payment pays at most MAX_ALLOCATIONS invoices: its transaction writes the payment, its
 * bank reference, each receivable, the dealer's credit item, one ledger entry and the audit
 * record — 35 items, far below DynamoDB's 100 — and the reversal fewer.
 */
export const MAX_ALLOCATIONS = 30;

export interface Allocation {
  invoiceNumber: string;
  amount: number;
}

export interface AllocationPlan {
  allocations: Allocation[];
  /** Σ allocations. */
  allocated: number;
  /** amount − allocated: credited to the dealer's prepayment account. */
  remainder: number;
}

/** Oldest due first, then oldest issue, then invoice number: the order money is applied in by default. */
export function compareByDue(a: Pick<Receivable, 'dueDate' | 'issueDate' | 'id'>, b: Pick<Receivable, 'dueDate' | 'issueDate' | 'id'>): number {
  return a.dueDate.localeCompare(b.dueDate) || a.issueDate.localeCompare(b.issueDate) || a.id.localeCompare(b.id);
}

/**
 * `amount` over the open receivables, oldest due first, at most `max` invoices; what is left
 * is the remainder. Receivables that are not open (paid, void) or have nothing open are skipped.
 */
export function allocateOldestFirst(amount: number, receivables: readonly Receivable[], max = MAX_ALLOCATIONS): AllocationPlan {
  assertAmount(amount);
  const allocations: Allocation[] = [];
  let left = amount;
  for (const receivable of [...receivables].filter((r) => isOpenReceivable(r) && r.open > 0).sort(compareByDue)) {
    if (left === 0 || allocations.length >= max) break;
    const take = Math.min(left, receivable.open);
    allocations.push({ invoiceNumber: receivable.id, amount: take });
    left -= take;
  }
  return { allocations, allocated: amount - left, remainder: left };
}

/**
 * Explicit allocations, validated against the receivables as read (keyed by invoice number):
 * each invoice named once, of the paying dealer, open, in the payment's currency, an amount
 * > 0 and ≤ its open amount; Σ ≤ the payment. Field errors point at `allocations/i/...`.
 * A receivable missing from the map (no such invoice) is a field error too, not a 404, so the
 * whole request is answered at once.
 */
export function validateExplicitAllocations(
  payment: { dealerId: string; amount: number; currency: string },
  requested: readonly Allocation[],
  receivables: ReadonlyMap<string, Receivable>,
  max = MAX_ALLOCATIONS,
): AllocationPlan {
  assertAmount(payment.amount);
  const errors: FieldError[] = [];
  if (requested.length > max) errors.push({ path: 'allocations', message: `at most ${max} invoices per payment`, code: 'too_many_allocations' });
  const seen = new Set<string>();
  let allocated = 0;
  requested.forEach((allocation, i) => {
    const path = `allocations/${i}`;
    if (seen.has(allocation.invoiceNumber)) errors.push({ path: `${path}/invoiceNumber`, message: 'invoice named twice', code: 'duplicate_invoice' });
    seen.add(allocation.invoiceNumber);
    if (!Number.isSafeInteger(allocation.amount) || allocation.amount <= 0) errors.push({ path: `${path}/amount`, message: 'a positive amount in 分', code: 'invalid_amount' });
    const receivable = receivables.get(allocation.invoiceNumber);
    if (!receivable || receivable.dealerId !== payment.dealerId) {
      errors.push({ path: `${path}/invoiceNumber`, message: 'no receivable of this dealer has this invoice number', code: 'unknown_invoice' });
      return;
    }
    if (receivable.currency !== payment.currency) errors.push({ path: `${path}/invoiceNumber`, message: `invoice is in ${receivable.currency}`, code: 'currency_mismatch' });
    if (!isOpenReceivable(receivable) || receivable.open === 0) {
      errors.push({ path: `${path}/invoiceNumber`, message: `invoice is ${receivable.status}`, code: 'invoice_not_open' });
    } else if (allocation.amount > receivable.open) {
      errors.push({ path: `${path}/amount`, message: `more than the open amount ${receivable.open}`, code: 'over_allocation' });
    }
    allocated += Math.max(0, allocation.amount);
  });
  if (allocated > payment.amount) errors.push({ path: 'allocations', message: `allocations total ${allocated} exceeds the payment ${payment.amount}`, code: 'allocations_exceed_payment' });
  if (errors.length > 0) throw new ValidationError('The allocations cannot be applied.', errors, 'invalid_allocation');
  return { allocations: requested.map((a) => ({ ...a })), allocated, remainder: payment.amount - allocated };
}

function statusFor(amount: number, paid: number): ReceivableStatus {
  return paid === 0 ? 'open' : paid >= amount ? 'paid' : 'partially_paid';
}

/** The receivable after `amount` is applied to it (open → partially_paid → paid); version + 1. */
export function applyToReceivable(receivable: Receivable, amount: number, at: string): Receivable {
  if (!isOpenReceivable(receivable)) throw new ConflictError('invoice_not_open', `Receivable ${receivable.id} is ${receivable.status}.`);
  if (!Number.isSafeInteger(amount) || amount <= 0 || amount > receivable.open) {
    throw new ConflictError('over_allocation', `Receivable ${receivable.id} has ${receivable.open} 分 open; ${amount} 分 cannot be applied.`);
  }
  const paid = receivable.paid + amount;
  return { ...receivable, paid, open: receivable.amount - paid, status: statusFor(receivable.amount, paid), lastPaymentAt: at, updatedAt: at, version: receivable.version + 1 };
}

/** The receivable after an applied `amount` is taken back (a reversal); version + 1. */
export function restoreReceivable(receivable: Receivable, amount: number, at: string): Receivable {
  if (receivable.status === 'void' || amount > receivable.paid) {
    throw new ConflictError('receivable_changed', `Receivable ${receivable.id} no longer holds ${amount} 分 of this payment.`);
  }
  const paid = receivable.paid - amount;
  return { ...receivable, paid, open: receivable.amount - paid, status: statusFor(receivable.amount, paid), lastPaymentAt: at, updatedAt: at, version: receivable.version + 1 };
}

function assertAmount(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount <= 0) throw new Error(`allocation: the amount must be a positive integer in 分 (got ${amount})`);
}
