import * as z from 'zod';
import type { DealerOwned } from '../access/object-scope';
import type { Receivable } from '../credit/credit-profile';
import type { DocumentParty, DocumentTotals, Invoice, InvoiceLine, VatBreakdownEntry } from '../invoicing/invoice';
import { BusinessDateSchema } from '../shared/business-date';
import { ConflictError } from '../shared/errors';
import { trimmedText } from '../shared/schemas';

/**
 * Invoice management (发票管理): the invoices the order flow issued, their electronic-invoice
 * status, and voiding with a credit note (红字发票). Pure: the adapter
 * (functions/adapters/dynamo/invoice-store.ts) reads and writes.
 *
 * Voiding an invoice issues a credit note with the next gapless `CN-YYYY-NNNNNN` number and, in
 * the same transaction, voids the receivable and lowers the dealer's open-receivables exposure.
 * A receivable with payments booked cannot be voided: the payments are reversed first (a paid
 * invoice is voided only after its payments were reversed), so the credit note never has to
 * move money on its own.
 */

export const INVOICE_STATUSES = ['issued', 'void'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/**
 * Electronic invoice status: `issued` (numbered and stored as structured data), `delivered`
 * (its PDF / XML / JSON files were generated and can be downloaded), `void` (reversed by a
 * credit note).
 */
export const E_INVOICE_STATUSES = ['issued', 'delivered', 'void'] as const;
export type EInvoiceStatus = (typeof E_INVOICE_STATUSES)[number];

export const INVOICE_DOCUMENT_KINDS = ['invoice_pdf', 'invoice_xml', 'invoice_json'] as const;
export type InvoiceDocumentKind = (typeof INVOICE_DOCUMENT_KINDS)[number];


export const VoidInvoiceSchema = z.strictObject({
  reason: trimmedText(500).describe('why the invoice is voided (printed on the credit note)'),
});
export type VoidInvoiceInput = z.output<typeof VoidInvoiceSchema>;

/** Longest issue-date range one list request may cover. */
export const MAX_INVOICE_RANGE_DAYS = 366;

export const InvoiceListFilterSchema = z.object({
  dealerId: z.string().min(1).max(64).optional(),
  status: z.enum(INVOICE_STATUSES).optional(),
  from: BusinessDateSchema.optional().describe('issue date on or after (YYYY-MM-DD)'),
  to: BusinessDateSchema.optional().describe('issue date on or before (YYYY-MM-DD)'),
});
export type InvoiceListFilter = z.output<typeof InvoiceListFilterSchema>;

/** The stored invoice record (the order flow writes it; voiding adds the void fields). */
export interface InvoiceRecord {
  number: string;
  orderId: string;
  dealerId: string;
  issueDate: string;
  status: InvoiceStatus;
  document: Invoice;
  voidedAt?: string;
  voidedBy?: string;
  voidReason?: string;
  creditNoteNumber?: string;
  createdAt: string;
}

/** A credit note (红字发票): the reversed invoice, every amount negated. */
export interface CreditNote {
  kind: 'credit_note';
  number: string;
  issueDate: string;
  /** The invoice it reverses (蓝字发票号码). */
  invoiceNumber: string;
  invoiceIssueDate: string;
  orderNumber?: string;
  reason: string;
  currency: string;
  seller: DocumentParty;
  buyer: DocumentParty;
  lines: InvoiceLine[];
  vatBreakdown: VatBreakdownEntry[];
  totals: DocumentTotals;
}

/** The credit note reversing `invoice`: same lines with negated quantities and amounts. */
export function buildCreditNote(invoice: Invoice, input: { number: string; issueDate: string; reason: string }): CreditNote {
  const neg = (n: number) => (n === 0 ? 0 : -n);
  return {
    kind: 'credit_note',
    number: input.number,
    issueDate: input.issueDate,
    invoiceNumber: invoice.number,
    invoiceIssueDate: invoice.issueDate,
    ...(invoice.orderNumber ? { orderNumber: invoice.orderNumber } : {}),
    reason: input.reason,
    currency: invoice.currency,
    seller: invoice.seller,
    buyer: invoice.buyer,
    lines: invoice.lines.map((l) => ({
      ...l,
      quantity: neg(l.quantity),
      discount: neg(l.discount),
      lineNet: neg(l.lineNet),
      vatAmount: neg(l.vatAmount),
      lineGross: neg(l.lineGross),
    })),
    vatBreakdown: invoice.vatBreakdown.map((v) => ({ vatRate: v.vatRate, taxableAmount: neg(v.taxableAmount), vatAmount: neg(v.vatAmount) })),
    totals: {
      lineExtension: neg(invoice.totals.lineExtension),
      discount: neg(invoice.totals.discount),
      net: neg(invoice.totals.net),
      vat: neg(invoice.totals.vat),
      gross: neg(invoice.totals.gross),
    },
  };
}

/**
 * Why this invoice cannot be voided now, or nothing. The receivable decides: void already, or
 * payments booked (those are reversed first, through the payments API).
 */
export function assertVoidable(record: Pick<InvoiceRecord, 'number' | 'status'>, receivable: Pick<Receivable, 'paid' | 'status'> | undefined): void {
  if (record.status === 'void') throw new ConflictError('invoice_void', `Invoice ${record.number} is already void.`);
  if (receivable && receivable.paid > 0) {
    throw new ConflictError(
      'invoice_has_payments',
      `Invoice ${record.number} has payments booked against it; reverse those payments before voiding the invoice.`,
    );
  }
  if (receivable && receivable.status === 'void') throw new ConflictError('invoice_void', `The receivable of invoice ${record.number} is already void.`);
}

export function eInvoiceStatus(record: Pick<InvoiceRecord, 'status'>, hasFiles: boolean): EInvoiceStatus {
  if (record.status === 'void') return 'void';
  return hasFiles ? 'delivered' : 'issued';
}

/** What the API shows of an invoice (list items omit `document` and `creditNote`). */
export interface InvoiceSummary {
  number: string;
  orderId: string;
  orderNumber?: string;
  dealerId: string;
  region?: string;
  buyerName: string;
  issueDate: string;
  dueDate: string;
  currency: string;
  net: number;
  vat: number;
  gross: number;
  status: InvoiceStatus;
  eInvoiceStatus: EInvoiceStatus;
  receivable?: { status: string; amount: number; paid: number; open: number; dueDate: string };
  voidedAt?: string;
  voidedBy?: string;
  voidReason?: string;
  creditNoteNumber?: string;
}

export interface InvoiceDetail extends InvoiceSummary {
  document: Invoice;
  creditNote?: CreditNote;
  /** The generated files that can be downloaded through /invoices/{number}/documents/{kind}. */
  files: InvoiceDocumentKind[];
}

/** The summary of a stored invoice, with its receivable (which holds the region). */
export function invoiceSummary(record: InvoiceRecord, receivable: Receivable | undefined, files: readonly InvoiceDocumentKind[]): InvoiceSummary {
  const doc = record.document;
  const summary: InvoiceSummary = {
    number: record.number,
    orderId: record.orderId,
    ...(doc.orderNumber ? { orderNumber: doc.orderNumber } : {}),
    dealerId: record.dealerId,
    ...(receivable ? { region: receivable.region } : {}),
    buyerName: doc.buyer.name,
    issueDate: record.issueDate,
    dueDate: doc.dueDate,
    currency: doc.currency,
    net: doc.totals.net,
    vat: doc.totals.vat,
    gross: doc.totals.gross,
    status: record.status,
    eInvoiceStatus: eInvoiceStatus(record, files.length > 0),
    ...(receivable ? { receivable: { status: receivable.status, amount: receivable.amount, paid: receivable.paid, open: receivable.open, dueDate: receivable.dueDate } } : {}),
  };
  if (record.voidedAt) summary.voidedAt = record.voidedAt;
  if (record.voidedBy) summary.voidedBy = record.voidedBy;
  if (record.voidReason) summary.voidReason = record.voidReason;
  if (record.creditNoteNumber) summary.creditNoteNumber = record.creditNoteNumber;
  return summary;
}

/** The object-level owner of an invoice: the dealer, and the region of its receivable. */
export function invoiceOwner(record: Pick<InvoiceRecord, 'dealerId'>, receivable: Pick<Receivable, 'region'> | undefined): DealerOwned {
  return { dealerId: record.dealerId, region: receivable?.region ?? '' };
}
