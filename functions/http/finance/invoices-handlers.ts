import { getCreditNote } from './get-credit-note';
import { getInvoice } from './get-invoice';
import { getInvoiceDocument } from './get-invoice-document';
import { listInvoices } from './list-invoices';
import { voidInvoice } from './void-invoice';

/** Implementations of invoiceRoutes, keyed by operationId. */
export const invoiceHandlers = { listInvoices, getInvoice, getInvoiceDocument, getCreditNote, voidInvoice };
