import { orderDocumentRenderer } from '../../adapters/documents/order-document-files';
import { ordersRuntime, useDocumentRenderer } from '../../adapters/orders-runtime';
import { workflowTask } from './task';

useDocumentRenderer(orderDocumentRenderer());

/** The invoice: gapless number, receivable and exposure in one transaction, then its PDF, UBL XML and JSON. */
export const handler = workflowTask('issue-invoice', (ctx, event: { orderId: string }) => ordersRuntime().orders.issueInvoice(ctx, event.orderId));
