import { isOpenReceivable, voidReceivable, NOTHING_OVERDUE, type OverdueSummary, type Receivable } from '../../../domain/credit/credit-profile';
import type { Page, ReceivableReader } from '../../../domain/credit/ports';
import { daysBetween } from '../../../domain/shared/business-date';
import { decodeCursor, encodeCursor, invalidCursor, withClientCursor } from './cursor';
import { dms } from './service';
import type { TransactionEntities, TransactionItem } from './stock-ledger';

/**
 * Receivables (one per invoice). They are written only inside the transactions of the documents
 * that cause them — `receivableCreate` in the invoicing transaction, `receivableVoid` in the
 * cancellation's; issue 5 adds payments — each alongside the matching `exposureChange` on the
 * dealer's credit profile (../credit-repository.ts) and the caller's audit record.
 */

type ReceivableItem = Receivable & { openState: 'open' | 'closed' };

/** A receivable as stored: plus the open/closed state its indexes are keyed by. */
export function toItem(receivable: Receivable): ReceivableItem {
  return { ...receivable, openState: isOpenReceivable(receivable) ? 'open' : 'closed' };
}

export function toReceivable(item: Record<string, unknown>): Receivable {
  const { openState: _openState, ...receivable } = item;
  return receivable as unknown as Receivable;
}

function assertConsistent(receivable: Receivable): void {
  const amounts = [receivable.amount, receivable.paid, receivable.open];
  if (!amounts.every((a) => Number.isSafeInteger(a) && a >= 0)) throw new Error(`receivable ${receivable.id}: amounts are non-negative integers (分)`);
  const expectedOpen = receivable.status === 'void' ? 0 : receivable.amount - receivable.paid;
  if (receivable.open !== expectedOpen) throw new Error(`receivable ${receivable.id}: open must be ${expectedOpen}, not ${receivable.open}`);
  if (receivable.id !== receivable.invoiceNumber) throw new Error(`receivable ${receivable.id}: the id is the invoice number ${receivable.invoiceNumber}`);
}

/**
 * Transaction item creating a receivable; its condition (the id, i.e. the invoice number, does
 * not exist yet) fails the transaction with ConditionalCheckFailed at this item's position when
 * the invoice already has one.
 */
export function receivableCreate(entities: TransactionEntities, receivable: Receivable): TransactionItem {
  assertConsistent(receivable);
  return entities.receivable.create(toItem(receivable)).commit();
}

/**
 * Transaction item voiding `receivable` (as read; its version is the condition): status void,
 * open 0, version + 1, updatedAt `at` — exactly `voidReceivable(receivable, at)` from the
 * domain, which the caller uses for its audit record. Throws ConflictError `receivable_void` /
 * `receivable_has_payments` before building anything. The caller also moves the exposure:
 * `exposureChange(entities, dealerId, { openReceivables: -receivable.open })`.
 */
export function receivableVoid(entities: TransactionEntities, receivable: Receivable, at: string): TransactionItem {
  const voided = voidReceivable(receivable, at);
  return entities.receivable
    .put(toItem(voided))
    .where((attr, op) => op.eq(attr.version, receivable.version))
    .commit();
}

/** A receivable by id (the invoice number). */
export async function getReceivable(id: string): Promise<Receivable | undefined> {
  const result = await dms().entities.receivable.get({ id }).go({ consistent: true });
  return result.data ? toReceivable(result.data) : undefined;
}

/**
 * The dealer's debt past due on `today` (YYYY-MM-DD): one Query on the dealer's open
 * receivables with `dueDate < today` in the key condition, oldest first. Reads a GSI, so a
 * receivable written a moment ago may be missing (eventual consistency); the daily picture is
 * what the credit check needs.
 */
export async function overdueSummary(dealerId: string, today: string): Promise<OverdueSummary> {
  const result = await dms()
    .entities.receivable.query.byDealerDue({ dealerId, openState: 'open' })
    .lt({ dueDate: today })
    .go({ pages: 'all', order: 'asc', attributes: ['dueDate', 'open'] });
  if (result.data.length === 0) return { ...NOTHING_OVERDUE };
  const oldestDueDate = result.data[0]!.dueDate;
  const amount = result.data.reduce((sum, r) => sum + r.open, 0);
  return { amount, oldestDueDate, overdueDays: daysBetween(oldestDueDate, today) };
}

interface ReceivableCursor {
  dealerId: string;
  electro: string;
}

/** The dealer's receivables, newest invoice first, in pages. */
export async function listReceivables(dealerId: string, page: { limit: number; cursor?: string }): Promise<Page<Receivable>> {
  const cursor = page.cursor ? decodeCursor<ReceivableCursor>(page.cursor, 'receivables') : undefined;
  if (cursor && cursor.dealerId !== dealerId) throw invalidCursor('The cursor belongs to another dealer’s receivables.');
  const result = await withClientCursor(cursor?.electro, () =>
    dms().entities.receivable.query.byDealer({ dealerId }).go({ order: 'desc', count: page.limit, cursor: cursor?.electro ?? null }),
  );
  return {
    items: result.data.map((item) => toReceivable(item)),
    ...(result.cursor ? { nextCursor: encodeCursor('receivables', { dealerId, electro: result.cursor }) } : {}),
  };
}

export const receivableReader: ReceivableReader = {
  overdueSummary,
  list: listReceivables,
};
