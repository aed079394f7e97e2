import { monotonicFactory } from 'ulid';
import type { Reservation } from '../../../domain/inventory/ports';
import type { Invoice, ShippingNote } from '../../../domain/invoicing/invoice';
import type { ApproverRole, Order, OrderEvent, Shipment } from '../../../domain/orders/order';
import type { OrderListFilter, OrderStore, OrderWrite, Page, PendingApproval } from '../../../domain/orders/ports';
import type { DocumentType } from '../../../domain/shared/document-number';
import { ConflictError, NotFoundError, VersionMismatchError, type DomainError } from '../../../domain/shared/errors';
import { auditItem } from './audit-log';
import { exposureChange, receivableCreate, receivableVoid, getReceivable } from './credit-repository';
import { dealerAccount, financeWriteItems } from './payment-store';
import { toItem } from './receivables';
import { balanceChange } from '../../../domain/finance/wallet';
import type { FinanceWrite } from '../../../domain/finance/ports';
import type { Receivable } from '../../../domain/credit/credit-profile';
import { decodeCursor, encodeCursor, withClientCursor } from './cursor';
import { nextNumber, writeNumbered } from './document-numbering';
import { dms } from './service';
import { ledgerFailure, ledgerWrites, type LedgerChange, type TransactionEntities, type TransactionItem } from './stock-ledger';
import { reservationFailure, reservationWrites } from './stock-reservations';
import { conditionFailed, writeTransaction, type CancellationReason } from './transaction';

const newId = monotonicFactory();

/** A run of transaction items and how to explain a cancellation among them. */
interface Segment {
  items: TransactionItem[];
  explain?: (reasons: CancellationReason[]) => DomainError | undefined;
}

/** Levels touched by a committed write, for threshold settlement afterwards. */
export type AfterStockChange = (levels: { locationCode: string; sku: string }[]) => Promise<void>;

/**
 * Orders on the single table. `write` turns one OrderWrite into ONE TransactWriteItems: the
 * order under its version, timeline, audit, and — as the change demands — the gapless number,
 * the reservation and its ledger movements, the credit exposure, the inbox item, the receivable.
 */
export function createOrderStore(afterStockChange: AfterStockChange = async () => {}): OrderStore {
  return {
    get: readOrder,

    async write(change) {
      // Reads the transaction depends on happen first; their versions are conditions in it.
      const reservation = change.releaseReservation || change.shipment ? await readReservation(change.order.id) : undefined;
      const receivable = change.voidReceivable ? await getReceivable(change.voidReceivable) : undefined;
      // Money already paid on an invoice the order's closing voids goes back to the dealer as
      // prepayment, in this transaction (the account write also moves the exposure).
      const refund = receivable && receivable.status !== 'void' && receivable.paid > 0 ? await prepaymentRefund(receivable, change) : undefined;
      // An invoice voided before (POST /invoices/{n}/void) already took its open amount out of the
      // exposure; otherwise what is still open comes out now.
      const exposure: OrderWrite['exposure'] = change.voidReceivable
        ? { ...change.exposure, openReceivables: receivable && receivable.status !== 'void' && !refund ? -receivable.open : 0 }
        : change.exposure;
      const pendingLevels = change.removeAllPendingApprovals ? await pendingLevelsOf(change.order.id) : [];
      const stockLevels: { locationCode: string; sku: string }[] = [];

      const build = (entities: TransactionEntities, order: Order): Segment[] => {
        // Built again on every attempt (a retried SO number): the levels of the last one count.
        stockLevels.length = 0;
        const segments: Segment[] = [];
        const at = order.updatedAt;
        segments.push({
          items: [
            change.expectedVersion === 0
              ? entities.order.create(stored(order)).commit()
              : entities.order
                  .put(stored(order))
                  .where((attr, op) => op.eq(attr.version, change.expectedVersion))
                  .commit(),
          ],
          explain: (reasons) => (conditionFailed(reasons, 0) ? new VersionMismatchError('Order', order.id) : undefined),
        });
        if (change.reserve) {
          const lines = change.reserve.map((l) => ({ locationCode: order.fulfilmentLocation, sku: l.sku, quantity: l.quantity, remaining: l.quantity }));
          const held: Reservation = { id: order.id, status: 'active', lines, consumedBy: [], reference: order.number ?? order.id, createdAt: at, updatedAt: at, version: 1 };
          stockLevels.push(...lines);
          segments.push({ items: reservationWrites(entities, held, { actorId: change.audit.actorId, at }), explain: (reasons) => reservationFailure(reasons, held) });
        }
        if (change.releaseReservation && reservation?.status === 'active') {
          const next: Reservation = { ...reservation, status: 'released', lines: reservation.lines.map((l) => ({ ...l, remaining: 0 })), updatedAt: at, version: reservation.version + 1 };
          const changes: LedgerChange[] = reservation.lines
            .filter((l) => l.remaining > 0)
            .map((l) => ({ locationCode: l.locationCode, sku: l.sku, onHandDelta: 0, reservedDelta: -l.remaining, type: 'release', reference: order.number ?? order.id }));
          stockLevels.push(...changes);
          segments.push(reservationUpdate(entities, reservation, next, changes, { at, actorId: change.audit.actorId, ignoreFreeze: true }));
        }
        if (change.shipment) {
          if (!reservation || reservation.status !== 'active') throw new ConflictError('reservation_closed', `Order ${order.number} holds no active reservation.`);
          const shipment = change.shipment;
          const lines = reservation.lines.map((l) => ({ ...l }));
          for (const line of shipment.lines) {
            const held = lines.find((l) => l.sku === line.sku);
            if (!held || held.remaining < line.quantity) {
              throw new ConflictError('exceeds_reservation', `${line.sku}: ${line.quantity} to ship, the reservation holds ${held?.remaining ?? 0}.`);
            }
            held.remaining -= line.quantity;
          }
          const next: Reservation = {
            ...reservation,
            lines,
            consumedBy: [...reservation.consumedBy, shipment.id],
            status: lines.every((l) => l.remaining === 0) ? 'consumed' : 'active',
            updatedAt: at,
            version: reservation.version + 1,
          };
          const changes: LedgerChange[] = shipment.lines.map((l) => ({
            locationCode: shipment.fromLocation,
            sku: l.sku,
            onHandDelta: -l.quantity,
            reservedDelta: -l.quantity,
            type: 'shipment',
            reference: shipment.id,
            requireAvailable: false,
          }));
          stockLevels.push(...changes);
          segments.push({ items: [entities.shipment.create(shipment).commit()] });
          segments.push(reservationUpdate(entities, reservation, next, changes, { at, actorId: change.audit.actorId, ignoreFreeze: false }));
        }
        if (exposure && Object.values(exposure).some((v) => v !== 0)) {
          segments.push({ items: [exposureChange(entities, order.dealerId, exposure)] });
        }
        if (change.removePendingApproval) {
          const { level, taskToken } = change.removePendingApproval;
          const remove = entities.pendingApproval.delete({ orderId: order.id, level });
          segments.push({
            items: [
              (taskToken
                ? remove.where((attr, op) => `${op.exists(attr.taskToken)} AND ${op.eq(attr.taskToken, taskToken)}`)
                : remove
              ).commit(),
            ],
            explain: (reasons) =>
              taskToken && conditionFailed(reasons, 0) ? new ConflictError('approval_already_decided', `Level ${level} of order ${order.number} was already decided or timed out.`) : undefined,
          });
        }
        for (const level of pendingLevels) {
          if (change.removePendingApproval?.level === level) continue;
          segments.push({ items: [entities.pendingApproval.delete({ orderId: order.id, level }).commit()] });
        }
        if (change.createPendingApproval) {
          segments.push({ items: [entities.pendingApproval.put(change.createPendingApproval).commit()] });
        }
        if (receivable && receivable.status !== 'void') {
          if (refund) {
            segments.push({
              items: [
                entities.receivable
                  .put(toItem({ ...receivable, status: 'void', open: 0, updatedAt: at, version: receivable.version + 1 }))
                  .where((attr, op) => op.eq(attr.version, receivable.version))
                  .commit(),
              ],
            });
            segments.push({ items: financeWriteItems(entities, { ...refund, openReceivablesDelta: -receivable.open }).items });
          } else {
            segments.push({ items: [receivableVoid(entities, receivable, at)] });
          }
          segments.push({
            items: [
              entities.issuedDocument
                .patch({ number: receivable.invoiceNumber })
                .set({ status: 'void', voidedAt: at, voidedBy: change.audit.actorId, voidReason: order.closedReason ?? 'order closed' })
                .commit(),
            ],
          });
        }
        segments.push({ items: change.timeline.map((event) => entities.orderEvent.create(event).commit()) });
        // The number is allocated in this transaction, after the use case computed the changes.
        const numberedFields = (['number', 'invoiceNumber', 'shippingNoteNumber'] as const).filter((f) => order[f] !== undefined && order[f] !== change.order[f]);
        const audit = numberedFields.length
          ? { ...change.audit, changes: { ...change.audit.changes, ...Object.fromEntries(numberedFields.map((f) => [f, { after: order[f] }])) } }
          : change.audit;
        segments.push({ items: [entities.audit.create(auditItem(audit)).commit()] });
        return segments;
      };

      const numbered = numberedDocument(change);
      let written = change.order;
      if (change.allocateNumber) {
        // Sales order numbers may have gaps (a submission refused by its conditions burns one);
        // one atomic ADD keeps concurrent submissions from queueing on a gapless counter.
        const { number } = await nextNumber('SO', Number((written.pricedOn ?? written.updatedAt).slice(0, 4)));
        written = { ...written, number };
      }
      if (numbered) {
        let lastSegments: Segment[] = [];
        await writeNumbered(
          numbered.type,
          numbered.year,
          (entities, number) => {
            written = numbered.apply(change.order, number);
            const segments = build(entities, written);
            segments.splice(1, 0, { items: numbered.items(entities, written, number) });
            lastSegments = segments;
            return segments.flatMap((s) => s.items);
          },
          (reasons) => explainSegments(lastSegments, reasons),
        );
      } else {
        let segments: Segment[] = [];
        await writeTransaction(
          (entities) => {
            segments = build(entities, written);
            return segments.flatMap((s) => s.items);
          },
          (reasons) => explainSegments(segments, reasons),
        );
      }
      if (stockLevels.length > 0) await afterStockChange(stockLevels);
      return written;
    },

    async list(filter, page) {
      return listOrders(filter, page);
    },

    async timeline(orderId, page) {
      const state = page.cursor ? decodeCursor<{ electro: string }>(page.cursor, `timeline:${orderId}`) : undefined;
      const result = await withClientCursor(page.cursor, () =>
        dms().entities.orderEvent.query.byOrder({ orderId }).go({ limit: page.limit, cursor: state?.electro ?? null }),
      );
      return {
        items: result.data as OrderEvent[],
        ...(result.cursor ? { nextCursor: encodeCursor(`timeline:${orderId}`, { electro: result.cursor }) } : {}),
      };
    },

    async shipments(orderId) {
      const result = await dms().entities.shipment.query.byOrder({ orderId }).go({ pages: 'all' });
      return result.data as Shipment[];
    },

    async invoice(number) {
      return (await issued(number, 'invoice')) as Invoice;
    },

    async shippingNote(number) {
      return (await issued(number, 'shipping_note')) as ShippingNote;
    },

    async pendingApproval(orderId, level) {
      const result = await dms().entities.pendingApproval.get({ orderId, level }).go({ consistent: true });
      return (result.data as PendingApproval | null) ?? undefined;
    },

    async pendingApprovals(role, regions, page) {
      return inbox(role, regions, page);
    },

    async available(locationCode, skus) {
      const result = await dms()
        .entities.stockLevel.get(skus.map((sku) => ({ locationCode, sku })))
        .go({ consistent: true });
      const available = new Map<string, number>();
      for (const level of result.data) available.set(level.sku, level.available);
      return available;
    },
  };
}

function explainSegments(segments: Segment[], reasons: CancellationReason[]): DomainError | undefined {
  let offset = 0;
  for (const segment of segments) {
    const slice = reasons.slice(offset, offset + segment.items.length);
    offset += segment.items.length;
    if (!slice.some((r) => r.code === 'ConditionalCheckFailed')) continue;
    const error = segment.explain?.(slice);
    if (error) return error;
  }
  // Any other failed condition means a read this write was based on is stale: the caller re-reads.
  const order = segments[0];
  return reasons.some((r) => r.code === 'ConditionalCheckFailed') && order ? new VersionMismatchError('Order', 'state') : undefined;
}

/** The prepayment credit of what was paid on a receivable being voided, with its ledger entry and audit record. */
async function prepaymentRefund(receivable: Receivable, change: OrderWrite): Promise<Omit<FinanceWrite, 'openReceivablesDelta'>> {
  const account = await dealerAccount(receivable.dealerId);
  if (!account) throw new NotFoundError('Dealer', receivable.dealerId);
  const balance = balanceChange(account.balances, 'prepayment', receivable.paid);
  const at = change.order.updatedAt;
  return {
    dealerId: receivable.dealerId,
    receivables: [],
    balance: {
      change: balance,
      entry: {
        dealerId: receivable.dealerId,
        id: newId(),
        account: 'prepayment',
        currency: receivable.currency,
        amount: receivable.paid,
        balanceAfter: balance.after,
        kind: 'invoice_void',
        reference: receivable.invoiceNumber,
        invoiceNumber: receivable.invoiceNumber,
        reason: change.order.closedReason ?? 'order closed',
        at,
        actorId: change.audit.actorId,
      },
    },
    audit: {
      ...change.audit,
      id: newId(),
      action: 'dealer_account.credited',
      entityType: 'dealer_account',
      entityId: receivable.dealerId,
      changes: { prepayment: { before: balance.before, after: balance.after } },
    },
  };
}

/** The reservation's new state under its version, with the ledger changes it implies. */
function reservationUpdate(
  entities: TransactionEntities,
  current: Reservation,
  next: Reservation,
  changes: LedgerChange[],
  options: { at: string; actorId: string; ignoreFreeze: boolean },
): Segment {
  return {
    items: [
      entities.stockReservation
        .put(next)
        .where((attr, op) => op.eq(attr.version, current.version))
        .commit(),
      ...ledgerWrites(entities, changes, { actorId: options.actorId, at: options.at, newId, ignoreFreeze: options.ignoreFreeze }),
    ],
    explain: (reasons) => (conditionFailed(reasons, 0) ? new VersionMismatchError('Reservation', current.id) : ledgerFailure(reasons, changes, { ignoreFreeze: options.ignoreFreeze, offset: 1 })),
  };
}

interface NumberedDocument {
  type: DocumentType;
  year: number;
  apply(order: Order, number: string): Order;
  items(entities: TransactionEntities, order: Order, number: string): TransactionItem[];
}

/** Which gapless series this write draws from, and the items the document adds. */
function numberedDocument(change: OrderWrite): NumberedDocument | undefined {
  if (change.issueInvoice) {
    const { issueDate, dueDate, build } = change.issueInvoice;
    return {
      type: 'INV',
      year: Number(issueDate.slice(0, 4)),
      apply: (order, number) => ({ ...order, invoiceNumber: number }),
      items: (entities, order, number) => {
        const invoice = build(number);
        const at = order.updatedAt;
        return [
          entities.issuedDocument.create({ number, kind: 'invoice', orderId: order.id, dealerId: order.dealerId, issueDate, status: 'issued', document: invoice, createdAt: at }).commit(),
          receivableCreate(entities, {
            id: number,
            invoiceNumber: number,
            orderId: order.id,
            orderNumber: order.number!,
            dealerId: order.dealerId,
            region: order.region,
            currency: order.currency,
            amount: invoice.totals.gross,
            paid: 0,
            open: invoice.totals.gross,
            issueDate,
            dueDate,
            status: 'open',
            createdAt: at,
            updatedAt: at,
            version: 1,
          }),
        ];
      },
    };
  }
  if (change.issueShippingNote) {
    const { issueDate, build } = change.issueShippingNote;
    return {
      type: 'DN',
      year: Number(issueDate.slice(0, 4)),
      apply: (order, number) => ({ ...order, shippingNoteNumber: number }),
      items: (entities, order, number) => [
        entities.issuedDocument.create({ number, kind: 'shipping_note', orderId: order.id, dealerId: order.dealerId, issueDate, status: 'issued', document: build(number), createdAt: order.updatedAt }).commit(),
      ],
    };
  }
  return undefined;
}

/** The order as stored: plus the month partition of its creation time. */
function stored(order: Order) {
  return { ...order, createdMonth: order.createdAt.slice(0, 7) } as Order & { createdMonth: string } as any;
}

async function readOrder(id: string): Promise<Order | undefined> {
  const result = await dms().entities.order.get({ id }).go({ consistent: true });
  if (!result.data) return undefined;
  const { createdMonth: _month, ...order } = result.data as Order & { createdMonth?: string };
  return order as Order;
}

async function readReservation(id: string): Promise<Reservation | undefined> {
  const result = await dms().entities.stockReservation.get({ id }).go({ consistent: true });
  return (result.data as unknown as Reservation | null) ?? undefined;
}

async function pendingLevelsOf(orderId: string): Promise<number[]> {
  const result = await dms().entities.pendingApproval.query.byOrder({ orderId }).go({ pages: 'all' });
  return result.data.map((item) => item.level);
}

async function issued(number: string, kind: 'invoice' | 'shipping_note'): Promise<unknown> {
  const result = await dms().entities.issuedDocument.get({ number }).go({ consistent: true });
  if (!result.data || result.data.kind !== kind) throw new NotFoundError(kind === 'invoice' ? 'Invoice' : 'ShippingNote', number);
  return result.data.document;
}

/** Business-date range on the creation instant; creation instants are UTC, dates Asia/Shanghai (UTC+8, no DST). */
function instantRange(filter: OrderListFilter): { gte?: string; lt?: string } {
  const shift = (date: string) => new Date(Date.parse(`${date}T00:00:00+08:00`)).toISOString();
  const range: { gte?: string; lt?: string } = {};
  if (filter.from) range.gte = shift(filter.from);
  if (filter.to) range.lt = new Date(Date.parse(`${filter.to}T00:00:00+08:00`) + 86_400_000).toISOString();
  return range;
}

const MAX_MONTHS_PER_PAGE = 12;

/**
 * Newest first. A dealer's orders by gsi1, a status by gsi2, otherwise month partitions of
 * gsi3 walked back from `to` (at most 12 per page; the cursor remembers the month). Channel
 * and region are filters, so a page may hold fewer than `limit` orders.
 */
async function listOrders(filter: OrderListFilter, page: { limit: number; cursor?: string }): Promise<Page<Order>> {
  const range = instantRange(filter);
  const listKey = `orders:${JSON.stringify(filter)}`;
  const state = page.cursor ? decodeCursor<{ electro?: string; month?: string }>(page.cursor, listKey) : undefined;
  const filters = (attr: any, op: any) => {
    const clauses: string[] = [];
    if (filter.channel) clauses.push(op.eq(attr.channel, filter.channel));
    if (filter.status && filter.dealerId) clauses.push(op.eq(attr.status, filter.status));
    if (filter.regions) clauses.push(filter.regions.length === 0 ? op.eq(attr.region, '\u0000') : `(${filter.regions.map((r) => op.eq(attr.region, r)).join(' OR ')})`);
    return clauses.join(' AND ');
  };
  const between = (query: any) => {
    if (range.gte && range.lt) return query.between({ createdAt: range.gte }, { createdAt: range.lt });
    if (range.gte) return query.gte({ createdAt: range.gte });
    if (range.lt) return query.lt({ createdAt: range.lt });
    return query;
  };
  const hasFilters = Boolean(filter.channel || (filter.status && filter.dealerId) || filter.regions);
  const filtered = (query: any) => (hasFilters ? between(query).where(filters) : between(query));
  const options = (cursor: string | null | undefined, limit: number) => ({ limit, cursor: cursor ?? null, order: 'desc' as const });
  const strip = (items: any[]) => items.map(({ createdMonth: _m, ...order }) => order as Order);

  if (filter.dealerId || filter.status) {
    const query = filter.dealerId ? dms().entities.order.query.byDealer({ dealerId: filter.dealerId }) : dms().entities.order.query.byStatus({ status: filter.status! });
    const result: any = await withClientCursor(page.cursor, () => filtered(query).go(options(state?.electro, page.limit)));
    return { items: strip(result.data), ...(result.cursor ? { nextCursor: encodeCursor(listKey, { electro: result.cursor }) } : {}) };
  }

  const newest = (filter.to ?? new Date(Date.now() + 86_400_000).toISOString()).slice(0, 7);
  const oldest = (filter.from ?? '2000-01-01').slice(0, 7);
  let month = state?.month ?? newest;
  let electro = state?.electro ?? null;
  const items: Order[] = [];
  for (let walked = 0; walked < MAX_MONTHS_PER_PAGE && month >= oldest; walked += 1) {
    const result: any = await withClientCursor(page.cursor, () =>
      filtered(dms().entities.order.query.byMonth({ createdMonth: month })).go(options(electro, page.limit - items.length)),
    );
    items.push(...strip(result.data));
    if (result.cursor) return { items, nextCursor: encodeCursor(listKey, { month, electro: result.cursor }) };
    electro = null;
    month = previousMonth(month);
    if (items.length >= page.limit) break;
  }
  return { items, ...(month >= oldest ? { nextCursor: encodeCursor(listKey, { month }) } : {}) };
}

function previousMonth(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${year - 1}-12` : `${year}-${String(m - 1).padStart(2, '0')}`;
}

async function inbox(role: ApproverRole, regions: string[] | undefined, page: { limit: number; cursor?: string }): Promise<Page<PendingApproval>> {
  const listKey = `inbox:${role}:${regions?.join(',') ?? '*'}`;
  const state = page.cursor ? decodeCursor<{ region?: number; electro?: string }>(page.cursor, listKey) : undefined;
  if (!regions) {
    const result = await withClientCursor(page.cursor, () => dms().entities.pendingApproval.query.inbox({ role }).go({ limit: page.limit, cursor: state?.electro ?? null }));
    return { items: result.data as PendingApproval[], ...(result.cursor ? { nextCursor: encodeCursor(listKey, { electro: result.cursor }) } : {}) };
  }
  // Region-scoped approvers: one key range per region, in turn.
  const items: PendingApproval[] = [];
  let index = state?.region ?? 0;
  let electro = state?.electro ?? null;
  for (; index < regions.length && items.length < page.limit; index += 1, electro = null) {
    const region = regions[index]!;
    const result = await withClientCursor(page.cursor, () =>
      dms().entities.pendingApproval.query.inbox({ role, region }).go({ limit: page.limit - items.length, cursor: electro }),
    );
    items.push(...(result.data as PendingApproval[]));
    if (result.cursor) return { items, nextCursor: encodeCursor(listKey, { region: index, electro: result.cursor }) };
  }
  return { items, ...(index < regions.length ? { nextCursor: encodeCursor(listKey, { region: index }) } : {}) };
}
