import { canSee, listScope } from '../../../domain/access/object-scope';
import type { Principal } from '../../../domain/access/principal';
import { auditEntry, type RequestContext } from '../../../domain/audit/audit-entry';
import type { Receivable } from '../../../domain/credit/credit-profile';
import {
  INVOICE_DOCUMENT_KINDS,
  MAX_INVOICE_RANGE_DAYS,
  assertVoidable,
  buildCreditNote,
  invoiceOwner,
  invoiceSummary,
  type CreditNote,
  type InvoiceDetail,
  type InvoiceDocumentKind,
  type InvoiceListFilter,
  type InvoiceRecord,
  type InvoiceSummary,
} from '../../../domain/finance/invoices';
import type { OrderDocument } from '../../../domain/orders/order';
import { addDays, businessDate, daysBetween } from '../../../domain/shared/business-date';
import { ConflictError, NotFoundError, ValidationError } from '../../../domain/shared/errors';
import { auditItem } from './audit-log';
import { exposureChange, getReceivable, receivableVoid } from './credit-repository';
import { decodeCursor, encodeCursor, withClientCursor } from './cursor';
import { writeNumbered } from './document-numbering';
import { dms } from './service';
import { conditionFailed } from './transaction';

/**
 * Invoices on the single table: the `issuedDocument` items of kind invoice the order flow wrote
 * (entities/orders/order.ts), their receivables (one per invoice, id = invoice number, holding
 * the region) and the order's generated files (order.documents). Voiding writes the credit note.
 */

const TIME_ZONE = 'Asia/Shanghai';

const isInvoiceFile = (d: OrderDocument): d is OrderDocument & { kind: InvoiceDocumentKind } =>
  (INVOICE_DOCUMENT_KINDS as readonly string[]).includes(d.kind);

interface Loaded {
  record: InvoiceRecord;
  receivable: Receivable | undefined;
  files: (OrderDocument & { kind: InvoiceDocumentKind })[];
  creditNote: CreditNote | undefined;
}

async function load(number: string): Promise<Loaded | undefined> {
  const item = (await dms().entities.issuedDocument.get({ number }).go({ consistent: true })).data;
  if (!item || item.kind !== 'invoice') return undefined;
  const record = item as unknown as InvoiceRecord;
  const [receivable, order, creditNote] = await Promise.all([
    getReceivable(number),
    dms().entities.order.get({ id: record.orderId }).go({ consistent: true, attributes: ['documents'] }),
    record.creditNoteNumber ? dms().entities.issuedDocument.get({ number: record.creditNoteNumber }).go({ consistent: true }) : undefined,
  ]);
  const documents = ((order.data?.documents ?? []) as OrderDocument[]).filter((d) => d.number === number && isInvoiceFile(d)) as Loaded['files'];
  return { record, receivable, files: documents, creditNote: (creditNote?.data?.document as CreditNote | undefined) ?? undefined };
}

function detail(loaded: Loaded): InvoiceDetail {
  const files = INVOICE_DOCUMENT_KINDS.filter((kind) => loaded.files.some((f) => f.kind === kind));
  return {
    ...invoiceSummary(loaded.record, loaded.receivable, files),
    document: loaded.record.document,
    ...(loaded.creditNote ? { creditNote: loaded.creditNote } : {}),
    files,
  };
}

/** The invoice if the principal may see it; 404 otherwise (another dealer's invoice is not disclosed). */
async function visible(principal: Principal, number: string): Promise<Loaded> {
  const loaded = await load(number);
  if (!loaded || !canSee(principal, invoiceOwner(loaded.record, loaded.receivable))) throw new NotFoundError('Invoice', number);
  return loaded;
}

export async function getInvoice(principal: Principal, number: string): Promise<InvoiceDetail> {
  return detail(await visible(principal, number));
}

export async function getCreditNote(principal: Principal, number: string): Promise<CreditNote> {
  const item = (await dms().entities.issuedDocument.get({ number }).go({ consistent: true })).data;
  if (!item || item.kind !== 'credit_note') throw new NotFoundError('Credit note', number);
  if (!canSee(principal, { dealerId: item.dealerId, region: item.region ?? '' })) throw new NotFoundError('Credit note', number);
  return item.document as CreditNote;
}

/** One generated file of the invoice (its bucket key), for a signed download link. */
export async function invoiceDocument(principal: Principal, number: string, kind: InvoiceDocumentKind): Promise<OrderDocument> {
  const loaded = await visible(principal, number);
  const file = loaded.files.find((f) => f.kind === kind);
  if (!file) throw new NotFoundError('Document', `${kind} of invoice ${number}`);
  return file;
}

/**
 * Newest issue date first. A dealer's invoices by gsi1 (dealer principals always), otherwise
 * all invoices by gsi2 — the issue-date range is a key condition on both, the status a filter;
 * region-scoped staff keep the invoices whose receivable is in one of their regions (read by a
 * BatchGet per page), so a page may hold fewer than `limit` items.
 */
export async function listInvoices(principal: Principal, filter: InvoiceListFilter, page: { limit: number; cursor?: string }): Promise<{ items: InvoiceSummary[]; nextCursor?: string }> {
  if (filter.from && filter.to) {
    if (filter.from > filter.to) throw new ValidationError('from is after to.', [{ path: 'query/from', message: 'on or before `to`' }]);
    if (daysBetween(filter.from, filter.to) > MAX_INVOICE_RANGE_DAYS) {
      throw new ValidationError(`At most ${MAX_INVOICE_RANGE_DAYS} days of issue dates per request.`, [{ path: 'query/to', message: `within ${MAX_INVOICE_RANGE_DAYS} days of from` }]);
    }
  }
  const scope = listScope(principal);
  let dealerId = filter.dealerId;
  if (scope.kind === 'dealer') {
    if (!scope.dealerId || (dealerId && dealerId !== scope.dealerId)) return { items: [] };
    dealerId = scope.dealerId;
  }
  const listKey = `invoices:${JSON.stringify({ ...filter, dealerId })}`;
  const state = page.cursor ? decodeCursor<{ electro: string }>(page.cursor, listKey) : undefined;
  const base = dealerId ? dms().entities.issuedDocument.query.byDealer({ dealerId, kind: 'invoice' }) : dms().entities.issuedDocument.query.byKind({ kind: 'invoice' });
  // Sort keys extend the date (`…#issuedate_D#number_…`): "on or before D" is `lt(D + 1)`.
  const upper = filter.to ? addDays(filter.to, 1) : undefined;
  let query: any = base;
  if (filter.from && upper) query = base.between({ issueDate: filter.from }, { issueDate: upper });
  else if (filter.from) query = base.gte({ issueDate: filter.from });
  else if (upper) query = base.lt({ issueDate: upper });
  if (filter.status) query = query.where((attr: any, op: any) => op.eq(attr.status, filter.status));
  const result: any = await withClientCursor(page.cursor, () => query.go({ order: 'desc', limit: page.limit, cursor: state?.electro ?? null }));
  const records = result.data as InvoiceRecord[];
  const [receivables, files] = await Promise.all([receivablesOf(records.map((r) => r.number)), invoiceFilesOf(records)]);
  const items = records
    .filter((r) => canSee(principal, invoiceOwner(r, receivables.get(r.number))))
    .map((r) => invoiceSummary(r, receivables.get(r.number), files.get(r.number) ?? []));
  return { items, ...(result.cursor ? { nextCursor: encodeCursor(listKey, { electro: result.cursor }) } : {}) };
}

async function receivablesOf(numbers: string[]): Promise<Map<string, Receivable>> {
  const map = new Map<string, Receivable>();
  if (numbers.length === 0) return map;
  const result = await dms().entities.receivable.get(numbers.map((id) => ({ id }))).go();
  for (const item of result.data) {
    const { openState: _state, ...receivable } = item as Record<string, unknown>;
    map.set(String(item.id), receivable as unknown as Receivable);
  }
  return map;
}

/** Which generated files each invoice has, from the documents list of its order (one BatchGet). */
async function invoiceFilesOf(records: InvoiceRecord[]): Promise<Map<string, InvoiceDocumentKind[]>> {
  const map = new Map<string, InvoiceDocumentKind[]>();
  const orderIds = [...new Set(records.map((r) => r.orderId))];
  if (orderIds.length === 0) return map;
  const result = await dms().entities.order.get(orderIds.map((id) => ({ id }))).go({ attributes: ['id', 'documents'] });
  for (const order of result.data) {
    for (const d of (order.documents ?? []) as OrderDocument[]) {
      if (!isInvoiceFile(d)) continue;
      const kinds = map.get(d.number) ?? [];
      if (!kinds.includes(d.kind)) kinds.push(d.kind);
      map.set(d.number, kinds);
    }
  }
  for (const [number, kinds] of map) map.set(number, INVOICE_DOCUMENT_KINDS.filter((k) => kinds.includes(k)));
  return map;
}

/**
 * Voids the invoice: ONE transaction allocating the next gapless CN number holds the invoice
 * (status void, condition: still issued), the credit note, the receivable void (condition: its
 * version as read, so a payment booked meanwhile cancels the void), the dealer's exposure
 * (open receivables − the open amount) and the audit record.
 */
export async function voidInvoice(ctx: RequestContext, number: string, reason: string): Promise<InvoiceDetail> {
  const before = await visible(ctx.principal, number);
  assertVoidable(before.record, before.receivable);
  const at = ctx.now.toISOString();
  const issueDate = businessDate(ctx.now, TIME_ZONE);
  const receivable = before.receivable;
  let after: InvoiceDetail | undefined;
  await writeNumbered(
    'CN',
    Number(issueDate.slice(0, 4)),
    (entities, cnNumber) => {
      const creditNote = buildCreditNote(before.record.document, { number: cnNumber, issueDate, reason });
      const voided: InvoiceRecord = { ...before.record, status: 'void', voidedAt: at, voidedBy: ctx.principal.userId, voidReason: reason, creditNoteNumber: cnNumber };
      const voidedReceivable = receivable ? { ...receivable, status: 'void' as const, open: 0, updatedAt: at, version: receivable.version + 1 } : undefined;
      after = detail({ ...before, record: voided, receivable: voidedReceivable, creditNote });
      const beforeView = detail(before);
      return [
        entities.issuedDocument
          .patch({ number })
          .set({ status: 'void', voidedAt: at, voidedBy: ctx.principal.userId, voidReason: reason, creditNoteNumber: cnNumber })
          .where((attr, op) => op.eq(attr.status, 'issued'))
          .commit(),
        entities.issuedDocument
          .create({
            number: cnNumber,
            kind: 'credit_note',
            orderId: before.record.orderId,
            dealerId: before.record.dealerId,
            ...(receivable ? { region: receivable.region } : {}),
            issueDate,
            status: 'issued',
            document: creditNote,
            invoiceNumber: number,
            createdAt: at,
          })
          .commit(),
        ...(receivable
          ? [
              receivableVoid(entities, receivable, at),
              ...(receivable.open !== 0 ? [exposureChange(entities, before.record.dealerId, { openReceivables: -receivable.open })] : []),
            ]
          : []),
        entities.audit.create(auditItem(auditEntry(ctx, 'invoice.voided', { type: 'invoice', id: number }, beforeView, after))).commit(),
      ];
    },
    (reasons) => {
      if (conditionFailed(reasons, 0)) return new ConflictError('invoice_void', `Invoice ${number} was voided meanwhile.`);
      if (receivable && conditionFailed(reasons, 2)) {
        return new ConflictError('invoice_changed', `The receivable of invoice ${number} changed meanwhile (a payment?); read the invoice again.`);
      }
      return undefined;
    },
  );
  return after!;
}
