import { documentStore } from '../../adapters/documents/document-store-factory';
import { invoiceDocument } from '../../adapters/dynamo/invoice-store';
import type { Implementation } from '../route';
import type { financeContext } from './routes';

/** Links live 15 minutes, like the order's document links. */
const DOCUMENT_LINK_SECONDS = 15 * 60;

export const getInvoiceDocument: Implementation<typeof financeContext, 'getInvoiceDocument'> = async ({ principal, params }) => {
  const document = await invoiceDocument(principal, params.number, params.kind);
  const url = await documentStore().signedUrl(document.key, DOCUMENT_LINK_SECONDS);
  return {
    body: { kind: document.kind, number: document.number, contentType: document.contentType, url, expiresAt: new Date(Date.now() + DOCUMENT_LINK_SECONDS * 1000).toISOString() },
    headers: { 'cache-control': 'no-store' },
  };
};
