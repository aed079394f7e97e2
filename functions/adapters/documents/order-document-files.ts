import type { DocumentParty, Invoice, ShippingNote } from '../../../domain/invoicing/invoice';
import type { DocumentStore } from '../../../domain/invoicing/ports';
import type { OrderDocument, OrderDocumentKind } from '../../../domain/orders/order';
import { dealerParty, invoiceForOrder, shippingNoteForOrder } from '../../../domain/orders/order-documents';
import type { OrderDocumentRenderer } from '../../../domain/orders/order-service';
import { documentStore } from './document-store-factory';
import { toEInvoiceJson, toUblInvoiceXml } from './e-invoice';
import { renderInvoicePdf } from './invoice-pdf';
import { renderShippingNotePdf } from './shipping-note-pdf';
import { sellerParty } from './seller';

/** One rendered file of an order document, ready to store and to list on the order. */
export interface GeneratedFile {
  kind: OrderDocumentKind;
  /** Key in the documents bucket, e.g. `invoices/2026/INV-2026-000001.pdf`. */
  key: string;
  contentType: string;
  bytes: Uint8Array;
}

// Same values as CONTENT_TYPES in document-store.ts, not imported from there: that module loads the S3 SDK.
const CONTENT_TYPES = { pdf: 'application/pdf', xml: 'application/xml', json: 'application/json' } as const;

const FOLDER = { invoice: 'invoices', shipping_note: 'shipping-notes' } as const;

/**
 * `invoices/<year>/<number>.<ext>`: a function of the document number only, so a workflow retry
 * that renders the same document again overwrites the same object instead of leaving a twin.
 * The year is the number's (INV-2026-…), which is the year of the series it was allocated from.
 */
export function orderDocumentKey(type: keyof typeof FOLDER, number: string, ext: 'pdf' | 'xml' | 'json'): string {
  const year = /^[A-Z]+-(\d{4})-\d{6}$/.exec(number)?.[1];
  if (!year) throw new RangeError(`not a document number: ${JSON.stringify(number)}`);
  return `${FOLDER[type]}/${year}/${number}.${ext}`;
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** The invoice as PDF (printed), UBL 2.1 XML and JSON (structured e-invoice). */
export async function renderInvoiceFiles(invoice: Invoice): Promise<GeneratedFile[]> {
  const pdf = await renderInvoicePdf(invoice);
  return [
    { kind: 'invoice_pdf', key: orderDocumentKey('invoice', invoice.number, 'pdf'), contentType: CONTENT_TYPES.pdf, bytes: pdf },
    { kind: 'invoice_xml', key: orderDocumentKey('invoice', invoice.number, 'xml'), contentType: `${CONTENT_TYPES.xml}; charset=utf-8`, bytes: utf8(toUblInvoiceXml(invoice)) },
    {
      kind: 'invoice_json',
      key: orderDocumentKey('invoice', invoice.number, 'json'),
      contentType: `${CONTENT_TYPES.json}; charset=utf-8`,
      bytes: utf8(`${JSON.stringify(toEInvoiceJson(invoice), null, 2)}\n`),
    },
  ];
}

/** The shipping note as PDF. */
export async function renderShippingNoteFiles(note: ShippingNote): Promise<GeneratedFile[]> {
  return [{ kind: 'shipping_note_pdf', key: orderDocumentKey('shipping_note', note.number, 'pdf'), contentType: CONTENT_TYPES.pdf, bytes: await renderShippingNotePdf(note) }];
}

/** Puts every file; puts are idempotent overwrites, so a partial failure is fixed by running it again. */
export async function storeFiles(store: DocumentStore, files: readonly GeneratedFile[]): Promise<void> {
  await Promise.all(files.map((f) => store.put(f.key, f.bytes, f.contentType)));
}

/**
 * The order service's document port: builds the invoice/shipping note from the order (the dealer
 * as buyer and consignee, the configured enterprise as seller and shipper), renders and stores
 * the files, and returns them as the order lists them.
 */
export function orderDocumentRenderer(store: DocumentStore = documentStore(), seller: () => DocumentParty = sellerParty): OrderDocumentRenderer {
  return {
    invoice(order, dealer, number, issueDate, dueDate, paymentTermsDays) {
      const invoice = invoiceForOrder(order, dealerParty(dealer), seller(), { number, issueDate, paymentTermsDays });
      // The receivable is written with the caller's due date; the printed one must be the same.
      if (invoice.dueDate !== dueDate) throw new Error(`invoice ${number} would be due ${invoice.dueDate}, the receivable ${dueDate}`);
      return invoice;
    },
    shippingNote(order, dealer, number, issueDate) {
      return shippingNoteForOrder(order, dealerParty(dealer), seller(), { number, issueDate });
    },
    async store(document, createdAt): Promise<OrderDocument[]> {
      const files = document.kind === 'invoice' ? await renderInvoiceFiles(document) : await renderShippingNoteFiles(document);
      await storeFiles(store, files);
      return files.map((f) => ({ kind: f.kind, number: document.number, key: f.key, contentType: f.contentType, createdAt }));
    },
  };
}
