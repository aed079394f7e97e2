import * as z from 'zod';
import { E_INVOICE_STATUSES, INVOICE_DOCUMENT_KINDS, INVOICE_STATUSES, InvoiceListFilterSchema, VoidInvoiceSchema } from '../../../domain/finance/invoices';
import type { RouteSpec } from '../route';
import { CursorPageQuery, page } from '../schemas';

const Fen = z.number().int().describe('integer minor units (分)');

// Any document-number-like string: one that names no invoice is a 404, like any unknown id.
const DocumentNumber = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a document number such as INV-2026-000001');
const InvoiceParams = z.strictObject({ number: DocumentNumber.describe('INV-YYYY-NNNNNN') });
const CreditNoteParams = z.strictObject({ number: DocumentNumber.describe('CN-YYYY-NNNNNN') });
const InvoiceDocumentParams = z.strictObject({ number: DocumentNumber.describe('INV-YYYY-NNNNNN'), kind: z.enum(INVOICE_DOCUMENT_KINDS) });

export const InvoiceListQuery = CursorPageQuery.extend(InvoiceListFilterSchema.shape);

export const InvoiceSummaryView = z.object({
  number: z.string(),
  orderId: z.string(),
  orderNumber: z.string().optional(),
  dealerId: z.string(),
  region: z.string().optional(),
  buyerName: z.string(),
  issueDate: z.string(),
  dueDate: z.string(),
  currency: z.string(),
  net: Fen,
  vat: Fen,
  gross: Fen,
  status: z.enum(INVOICE_STATUSES),
  eInvoiceStatus: z.enum(E_INVOICE_STATUSES).describe('issued: numbered and stored; delivered: its files can be downloaded; void: reversed by a credit note'),
  receivable: z.object({ status: z.string(), amount: Fen, paid: Fen, open: Fen, dueDate: z.string() }).optional(),
  voidedAt: z.string().optional(),
  voidedBy: z.string().optional(),
  voidReason: z.string().optional(),
  creditNoteNumber: z.string().optional().describe('CN-YYYY-NNNNNN, the credit note (红字发票) that voided it'),
});

const DocumentModel = z.record(z.string(), z.unknown());

export const InvoiceDetailView = InvoiceSummaryView.extend({
  document: DocumentModel.describe('the invoice as issued (lines, VAT breakdown, totals, parties)'),
  creditNote: DocumentModel.optional().describe('the credit note: the invoice with every amount negated'),
  files: z.array(z.enum(INVOICE_DOCUMENT_KINDS)),
});

export const DocumentLinkView = z.object({ kind: z.string(), number: z.string(), contentType: z.string(), url: z.string(), expiresAt: z.string() });

/** Invoices (发票): list, read, download, void with a credit note (红字发票). */
export const invoiceRoutes = [
  {
    operationId: 'listInvoices',
    method: 'GET',
    path: '/invoices',
    summary: 'List invoices, newest issue date first (filter by dealer, status, issue-date range)',
    description: 'Dealers see their own invoices only; region-scoped staff those of their regions. An issue-date range spans at most 366 days.',
    permission: 'invoices:read',
    query: InvoiceListQuery,
    response: page(InvoiceSummaryView),
    successStatus: 200,
    mutates: false,
  },
  {
    operationId: 'getInvoice',
    method: 'GET',
    path: '/invoices/{number}',
    summary: 'Read an invoice with its receivable, e-invoice status and credit note',
    permission: 'invoices:read',
    params: InvoiceParams,
    response: InvoiceDetailView,
    successStatus: 200,
    mutates: false,
  },
  {
    operationId: 'getInvoiceDocument',
    method: 'GET',
    path: '/invoices/{number}/documents/{kind}',
    summary: 'A short-lived download link for the invoice PDF, UBL XML or e-invoice JSON',
    permission: 'invoices:read',
    params: InvoiceDocumentParams,
    response: DocumentLinkView,
    successStatus: 200,
    mutates: false,
  },
  {
    operationId: 'getCreditNote',
    method: 'GET',
    path: '/credit-notes/{number}',
    summary: 'Read a credit note (红字发票)',
    permission: 'invoices:read',
    params: CreditNoteParams,
    response: DocumentModel,
    successStatus: 200,
    mutates: false,
  },
  {
    operationId: 'voidInvoice',
    method: 'POST',
    path: '/invoices/{number}/void',
    summary: 'Void an invoice: issues a credit note (CN-YYYY-NNNNNN) and voids its receivable',
    description:
      'One transaction: the invoice becomes void, a credit note with the next gapless CN number reverses it, the receivable is voided and the dealer\'s open receivables drop by its open amount. An invoice with payments booked gets 409 `invoice_has_payments`: reverse the payments first.',
    permission: 'invoices:void',
    params: InvoiceParams,
    body: VoidInvoiceSchema,
    response: InvoiceDetailView,
    successStatus: 200,
    idempotent: true,
    mutates: true,
  },
] as const satisfies readonly RouteSpec[];
