import { orderDocumentRenderer } from '../../adapters/documents/order-document-files';
import { ordersRuntime, useDocumentRenderer } from '../../adapters/orders-runtime';
import { workflowTask } from './task';

useDocumentRenderer(orderDocumentRenderer());

/** The shipping note (发货单): gapless number, then its PDF. */
export const handler = workflowTask('issue-shipping-note', (ctx, event: { orderId: string }) => ordersRuntime().orders.issueShippingNote(ctx, event.orderId));
