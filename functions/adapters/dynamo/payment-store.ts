import { DEFAULT_CREDIT_TERMS, DEFAULT_PROFILE_VERSION, isOpenReceivable, OPEN_RECEIVABLE_STATUSES, type Receivable, type ReceivableStatus } from '../../../domain/credit/credit-profile';
import type { Payment } from '../../../domain/finance/payment';
import {
  BankReferenceTakenError,
  type DealerAccountState,
  type FinanceStore,
  type FinanceWrite,
  type Page,
  type PageRequest,
  type PaymentFilter,
  type ReceivableFilter,
} from '../../../domain/finance/ports';
import { BALANCE_FIELD, type AccountEntry, type DealerAccount } from '../../../domain/finance/wallet';
import { addDays } from '../../../domain/shared/business-date';
import { DEFAULT_CURRENCY } from '../../../domain/shared/money';
import { VersionMismatchError } from '../../../domain/shared/errors';
import { auditItem } from './audit-log';
import { exposureChange } from './credit-repository';
import { decodeCursor, encodeCursor, withClientCursor } from './cursor';
import { getReceivable, toItem, toReceivable } from './receivables';
import { dms } from './service';
import type { TransactionEntities, TransactionItem } from './stock-ledger';
import { conditionFailed, writeTransaction } from './transaction';

/**
 * Payments, dealer accounts and the payment side of receivables in the single table
 * (entities/payments/*, entities/finance/*). Every change is one TransactWriteItems built by
 * `financeWriteItems` — the payment (+ its bank-reference item), each receivable under its
 * version, the dealer's credit item (one balance ADD conditioned on the balance as read, plus
 * the `openReceivables` exposure ADD: one item, since a transaction may touch an item once),
 * the ledger entry and the audit record.
 *
 * Readers for other parts (reports, alert digests) — all by key, never a Scan:
 * - `listPaymentsByValueDate(from, to)`: every payment with a value date in [from, to], walking
 *   the value-month index (gsi2, pk = YYYY-MM of the value date, sk = valueDate#id);
 * - `openReceivables(dealerId?)`: every open / partially paid receivable, oldest due first,
 *   over the due-date indexes (gsi2 for one dealer, gsi3 for all);
 * - `dealerAccount(dealerId)`: the balances (prepayment, deposit, rebate).
 */


function toPayment(item: Record<string, unknown>): Payment {
  const { valueMonth: _valueMonth, ...payment } = item;
  return payment as unknown as Payment;
}

/** The transaction items of one finance change, in a fixed order (see `explain`). */
export function financeWriteItems(entities: TransactionEntities, write: FinanceWrite): { items: TransactionItem[]; referenceAt?: number } {
  const items: TransactionItem[] = [];
  let referenceAt: number | undefined;
  if (write.paymentCreate) {
    const payment = write.paymentCreate;
    items.push(entities.payment.create({ ...payment, valueMonth: payment.valueDate.slice(0, 7) } as never).commit());
    referenceAt = items.length;
    items.push(entities.paymentReference.create({ bankReference: payment.bankReference, paymentId: payment.id }).commit());
  }
  if (write.paymentUpdate) {
    const { next, expectedVersion } = write.paymentUpdate;
    items.push(
      entities.payment
        .put({ ...next, valueMonth: next.valueDate.slice(0, 7) } as never)
        .where((attr, op) => op.eq(attr.version, expectedVersion))
        .commit(),
    );
  }
  for (const { before, after } of write.receivables) {
    if (after.id !== before.id || after.amount !== before.amount || after.paid + after.open !== after.amount || after.open < 0) {
      throw new Error(`financeWrite: receivable ${after.id} does not balance`);
    }
    items.push(
      entities.receivable
        .put(toItem(after))
        .where((attr, op) => (write.autoMatch ? `${op.eq(attr.version, before.version)} AND ${op.notExists(attr.autoMatchedAt)}` : op.eq(attr.version, before.version)))
        .commit(),
    );
  }
  const delta = write.openReceivablesDelta;
  if (write.balance) {
    const { change, entry } = write.balance;
    const field = BALANCE_FIELD[change.account];
    if (entry.amount !== change.delta || entry.balanceAfter !== change.after || change.before + change.delta !== change.after || change.after < 0) {
      throw new Error('financeWrite: the ledger entry does not match its balance change');
    }
    const { [field as 'prepaymentBalance']: _moved, ...defaults } = { ...DEFAULT_CREDIT_TERMS, version: DEFAULT_PROFILE_VERSION };
    items.push(
      entities.dealerCredit
        .upsert({ dealerId: write.dealerId })
        .add({ [field]: change.delta, ...(delta ? { openReceivables: delta } : {}) })
        .ifNotExists(defaults)
        // The ADD applies only to the balance as read: the entry's balanceAfter is exact and
        // the balance never goes below zero (after ≥ 0 was checked above).
        .where((attr, op) =>
          change.before === 0 ? `(${op.notExists(attr[field])} OR ${op.eq(attr[field], 0)})` : op.eq(attr[field], change.before),
        )
        .commit(),
    );
    items.push(entities.accountEntry.create(withoutUndefined(entry)).commit());
  } else if (delta) {
    items.push(exposureChange(entities, write.dealerId, { openReceivables: delta }));
  }
  items.push(entities.audit.create(auditItem(write.audit)).commit());
  if (items.length > 100) throw new Error(`financeWrite: ${items.length} items exceed a transaction`);
  return { items, ...(referenceAt !== undefined ? { referenceAt } : {}) };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

async function commit(write: FinanceWrite): Promise<void> {
  let referenceAt: number | undefined;
  await writeTransaction(
    (entities) => {
      const built = financeWriteItems(entities, write);
      referenceAt = built.referenceAt;
      return built.items;
    },
    (reasons) => {
      if (referenceAt !== undefined && conditionFailed(reasons, referenceAt)) return new BankReferenceTakenError(write.paymentCreate!.bankReference);
      if (reasons.some((r) => r.code === 'ConditionalCheckFailed')) return new VersionMismatchError('Finance records of dealer', write.dealerId);
      return undefined;
    },
  );
}

/** The dealer's account balances (consistent read), with its region; undefined when no such dealer. */
export async function dealerAccount(dealerId: string): Promise<DealerAccountState | undefined> {
  const [credit, dealer] = await Promise.all([
    dms().entities.dealerCredit.get({ dealerId }).go({ consistent: true }),
    dms().entities.dealer.get({ id: dealerId }).go({ consistent: true, attributes: ['id', 'region'] }),
  ]);
  if (!dealer.data) return undefined;
  const item = credit.data;
  return {
    dealerId,
    region: dealer.data.region,
    currency: item?.currency ?? DEFAULT_CURRENCY,
    balances: { prepayment: item?.prepaymentBalance ?? 0, deposit: item?.depositBalance ?? 0, rebate: item?.rebateBalance ?? 0 },
  };
}

async function receivablesById(ids: readonly string[]): Promise<Map<string, Receivable>> {
  const unique = [...new Set(ids)];
  const found = await Promise.all(unique.map((id) => getReceivable(id)));
  return new Map(found.filter((r): r is Receivable => r !== undefined).map((r) => [r.id, r]));
}

/**
 * Every open receivable (open, partially paid), oldest due first: one dealer's partition of
 * gsi2 or the open partition of gsi3, all pages (the index is read eventually consistently).
 */
export async function openReceivables(dealerId?: string): Promise<Receivable[]> {
  const receivable = dms().entities.receivable;
  const result = dealerId
    ? await receivable.query.byDealerDue({ dealerId, openState: 'open' }).go({ pages: 'all', order: 'asc' })
    : await receivable.query.byDueDate({ openState: 'open' }).go({ pages: 'all', order: 'asc' });
  return result.data.map((item) => toReceivable(item));
}

async function oldestOpen(dealerId: string, limit: number): Promise<Receivable[]> {
  const keys = await dms()
    .entities.receivable.query.byDealerDue({ dealerId, openState: 'open' })
    .go({ order: 'asc', count: limit, attributes: ['id'] });
  // The index lags; each receivable is read again consistently (its version is the condition).
  const read = await receivablesById(keys.data.map((k) => k.id));
  return [...read.values()].filter((r) => isOpenReceivable(r) && r.open > 0);
}

function openStateOf(status: ReceivableStatus): 'open' | 'closed' {
  return OPEN_RECEIVABLE_STATUSES.includes(status) ? 'open' : 'closed';
}

/**
 * Receivables by filter. With a dealer and no status: the dealer's receivables, newest invoice
 * first (gsi1), due dates filtered. Otherwise by due date, oldest first, over gsi2 (dealer) or
 * gsi3 (all dealers) in the partition of the statuses asked for (open/partially paid or
 * paid/void; without a dealer and status: the open ones). Region and status are filters; a
 * page is filled up to `limit` (ElectroDB pages on).
 */
async function listReceivables(filter: ReceivableFilter, page: PageRequest): Promise<Page<Receivable>> {
  const listKey = `receivable-query:${JSON.stringify(filter)}`;
  const state = page.cursor ? decodeCursor<{ electro?: string }>(page.cursor, listKey) : undefined;
  const statuses = filter.statuses ?? (filter.dealerId ? undefined : [...OPEN_RECEIVABLE_STATUSES]);
  const receivable = dms().entities.receivable;
  const filters = (attr: any, op: any, dueInFilter: boolean) => {
    const clauses: string[] = [];
    if (statuses) clauses.push(`(${statuses.map((s) => op.eq(attr.status, s)).join(' OR ')})`);
    if (filter.regions) clauses.push(filter.regions.length === 0 ? op.eq(attr.region, '\u0000') : `(${filter.regions.map((r) => op.eq(attr.region, r)).join(' OR ')})`);
    if (dueInFilter && filter.dueFrom) clauses.push(op.gte(attr.dueDate, filter.dueFrom));
    if (dueInFilter && filter.dueTo) clauses.push(op.lte(attr.dueDate, filter.dueTo));
    return clauses.join(' AND ');
  };
  let query: any;
  let order: 'asc' | 'desc' = 'asc';
  let dueInFilter = false;
  if (filter.dealerId && !statuses) {
    query = receivable.query.byDealer({ dealerId: filter.dealerId });
    order = 'desc';
    dueInFilter = true;
  } else {
    const states = new Set(statuses!.map(openStateOf));
    if (states.size > 1) {
      // Mixed open and closed statuses only come from the code, never the API (one status).
      throw new Error('listReceivables: ask for open or closed statuses, not both');
    }
    const openState = [...states][0]!;
    const base = filter.dealerId ? receivable.query.byDealerDue({ dealerId: filter.dealerId, openState }) : receivable.query.byDueDate({ openState });
    const upper = filter.dueTo ? addDays(filter.dueTo, 1) : undefined;
    if (filter.dueFrom && upper) query = base.between({ dueDate: filter.dueFrom }, { dueDate: upper });
    else if (filter.dueFrom) query = base.gte({ dueDate: filter.dueFrom });
    else if (upper) query = base.lt({ dueDate: upper });
    else query = base;
  }
  const where = (attr: any, op: any) => filters(attr, op, dueInFilter);
  const result: any = await withClientCursor(page.cursor, () => query.where(where).go({ order, count: page.limit, cursor: state?.electro ?? null }));
  return {
    items: result.data.map((item: Record<string, unknown>) => toReceivable(item)),
    ...(result.cursor ? { nextCursor: encodeCursor(listKey, { electro: result.cursor }) } : {}),
  };
}

async function payment(id: string): Promise<Payment | undefined> {
  const result = await dms().entities.payment.get({ id }).go({ consistent: true });
  return result.data ? toPayment(result.data) : undefined;
}

async function paymentByReference(bankReference: string): Promise<Payment | undefined> {
  const reference = await dms().entities.paymentReference.get({ bankReference }).go({ consistent: true });
  return reference.data ? payment(reference.data.paymentId) : undefined;
}

const MAX_MONTHS_PER_PAGE = 12;

function previousMonth(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${year - 1}-12` : `${year}-${String(m - 1).padStart(2, '0')}`;
}

/**
 * Payments with a value date in [from, to], newest first: a dealer's over gsi1, else month by
 * month over the value-month index (at most 12 months per request; the cursor carries on).
 */
async function listPayments(filter: PaymentFilter, page: PageRequest): Promise<Page<Payment>> {
  const listKey = `payments:${JSON.stringify(filter)}`;
  const state = page.cursor ? decodeCursor<{ electro?: string; month?: string }>(page.cursor, listKey) : undefined;
  const upper = addDays(filter.to, 1);
  const regionFilter = (attr: any, op: any) =>
    filter.regions ? (filter.regions.length === 0 ? op.eq(attr.region, '\u0000') : `(${filter.regions.map((r) => op.eq(attr.region, r)).join(' OR ')})`) : '';
  const entity = dms().entities.payment;
  if (filter.dealerId) {
    const result: any = await withClientCursor(page.cursor, () =>
      entity.query
        .byDealer({ dealerId: filter.dealerId! })
        .between({ valueDate: filter.from }, { valueDate: upper })
        .where(regionFilter)
        .go({ order: 'desc', count: page.limit, cursor: state?.electro ?? null }),
    );
    return { items: result.data.map(toPayment), ...(result.cursor ? { nextCursor: encodeCursor(listKey, { electro: result.cursor }) } : {}) };
  }
  const oldest = filter.from.slice(0, 7);
  let month = state?.month ?? filter.to.slice(0, 7);
  let electro: string | null = state?.electro ?? null;
  const items: Payment[] = [];
  for (let walked = 0; walked < MAX_MONTHS_PER_PAGE && month >= oldest; walked += 1) {
    const resumeFrom = electro;
    const result: any = await withClientCursor(resumeFrom, () =>
      entity.query
        .byValueMonth({ valueMonth: month })
        .between({ valueDate: filter.from }, { valueDate: upper })
        .where(regionFilter)
        .go({ order: 'desc', count: page.limit - items.length, cursor: resumeFrom }),
    );
    items.push(...result.data.map(toPayment));
    if (result.cursor) return { items, nextCursor: encodeCursor(listKey, { month, electro: result.cursor }) };
    electro = null;
    month = previousMonth(month);
    if (items.length >= page.limit) break;
  }
  return { items, ...(month >= oldest ? { nextCursor: encodeCursor(listKey, { month }) } : {}) };
}

/** Every payment with a value date in [from, to] (YYYY-MM-DD), oldest first: for reports. */
export async function listPaymentsByValueDate(from: string, to: string): Promise<Payment[]> {
  const payments: Payment[] = [];
  const upper = addDays(to, 1);
  for (let month = from.slice(0, 7); month <= to.slice(0, 7); ) {
    const result = await dms()
      .entities.payment.query.byValueMonth({ valueMonth: month })
      .between({ valueDate: from }, { valueDate: upper })
      .go({ pages: 'all', order: 'asc' });
    payments.push(...result.data.map((item) => toPayment(item as Record<string, unknown>)));
    const [y, m] = month.split('-').map(Number) as [number, number];
    month = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  }
  return payments;
}

async function entries(dealerId: string, page: PageRequest, account?: DealerAccount): Promise<Page<AccountEntry>> {
  const listKey = `account-entries:${dealerId}:${account ?? '*'}`;
  const state = page.cursor ? decodeCursor<{ electro?: string }>(page.cursor, listKey) : undefined;
  const entity = dms().entities.accountEntry;
  const result: any = await withClientCursor(page.cursor, () =>
    (account ? entity.query.byAccount({ dealerId, account }) : entity.query.byDealer({ dealerId })).go({ order: 'desc', count: page.limit, cursor: state?.electro ?? null }),
  );
  return { items: result.data as AccountEntry[], ...(result.cursor ? { nextCursor: encodeCursor(listKey, { electro: result.cursor }) } : {}) };
}

/** Every ledger entry of a dealer (all pages), oldest first: for reconciliation and tests. */
export async function allAccountEntries(dealerId: string): Promise<AccountEntry[]> {
  const result = await dms().entities.accountEntry.query.byDealer({ dealerId }).go({ pages: 'all', order: 'asc' });
  return result.data as AccountEntry[];
}

export const paymentStore: FinanceStore = {
  account: dealerAccount,
  receivable: getReceivable,
  receivables: receivablesById,
  oldestOpen,
  allOpen: openReceivables,
  listReceivables,
  payment,
  paymentByReference,
  listPayments,
  entries,
  commit,
};
