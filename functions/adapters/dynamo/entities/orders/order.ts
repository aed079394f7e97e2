import { Entity } from 'electrodb';
import { ORDER_CHANNELS, ORDER_STATUSES } from '../../../../../domain/orders/order';

/**
 * The order (header, lines, approval chain and document list in one item: an order has at most
 * 40 lines, far below the 400 KB item limit, and every change rewrites it under its version).
 * Access patterns: by id (main index); a dealer's orders by creation time (gsi1); orders in one
 * status by creation time (gsi2); all orders of a month by creation time (gsi3, one partition
 * per month). Channel, region and date ranges are key conditions or filters on these.
 */
export const OrderEntity = new Entity({
  model: { entity: 'order', version: '1', service: 'dms' },
  attributes: {
    id: { type: 'string', required: true, readOnly: true },
    number: { type: 'string' },
    dealerId: { type: 'string', required: true, readOnly: true },
    dealerCode: { type: 'string', required: true },
    dealerName: { type: 'string', required: true },
    region: { type: 'string', required: true },
    channel: { type: ORDER_CHANNELS, required: true },
    status: { type: ORDER_STATUSES, required: true },
    currency: { type: 'string', required: true },
    lines: { type: 'any', required: true },
    totals: { type: 'any', required: true },
    shipTo: { type: 'any' },
    requestedDate: { type: 'string' },
    customerReference: { type: 'string' },
    notes: { type: 'string' },
    internalNote: { type: 'string' },
    fulfilmentLocation: { type: 'string', required: true },
    pricedOn: { type: 'string' },
    credit: { type: 'any' },
    approvalSteps: { type: 'any', required: true },
    reservationId: { type: 'string' },
    executionId: { type: 'string' },
    invoiceNumber: { type: 'string' },
    shippingNoteNumber: { type: 'string' },
    documents: { type: 'any', required: true },
    closedReason: { type: 'string' },
    createdAt: { type: 'string', required: true, readOnly: true },
    /** YYYY-MM of createdAt (UTC): the partition of the all-orders index. */
    createdMonth: { type: 'string', required: true, readOnly: true },
    createdBy: { type: 'string', required: true, readOnly: true },
    submittedAt: { type: 'string' },
    submittedBy: { type: 'string' },
    approvedAt: { type: 'string' },
    closedAt: { type: 'string' },
    updatedAt: { type: 'string', required: true },
    version: { type: 'number', required: true },
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['id'], casing: 'none' },
      sk: { field: 'sk', composite: [] },
    },
    byDealer: {
      index: 'gsi1',
      pk: { field: 'gsi1pk', composite: ['dealerId'], casing: 'none' },
      sk: { field: 'gsi1sk', composite: ['createdAt', 'id'], casing: 'none' },
    },
    byStatus: {
      index: 'gsi2',
      pk: { field: 'gsi2pk', composite: ['status'], casing: 'none' },
      sk: { field: 'gsi2sk', composite: ['createdAt', 'id'], casing: 'none' },
    },
    byMonth: {
      index: 'gsi3',
      pk: { field: 'gsi3pk', composite: ['createdMonth'], casing: 'none' },
      sk: { field: 'gsi3sk', composite: ['createdAt', 'id'], casing: 'none' },
    },
  },
});

/** The order's timeline: one item per status change or decision, in time order (append-only). */
export const OrderEventEntity = new Entity({
  model: { entity: 'order_event', version: '1', service: 'dms' },
  attributes: {
    orderId: { type: 'string', required: true, readOnly: true },
    at: { type: 'string', required: true, readOnly: true },
    seq: { type: 'string', required: true, readOnly: true },
    actorId: { type: 'string', required: true, readOnly: true },
    type: { type: 'string', required: true, readOnly: true },
    from: { type: 'string', readOnly: true },
    to: { type: 'string', readOnly: true },
    note: { type: 'string', readOnly: true },
  },
  indexes: {
    byOrder: {
      pk: { field: 'pk', composite: ['orderId'], casing: 'none' },
      sk: { field: 'sk', composite: ['at', 'seq'], casing: 'none' },
    },
  },
});

/**
 * A step waiting for its approver: exists exactly while the step waits, holds the task token.
 * Deleting it (conditionally on the token) is how one decision wins. Inbox: gsi1 by role, then
 * region and waiting time, so region-scoped managers read only their regions by key.
 */
export const PendingApprovalEntity = new Entity({
  model: { entity: 'pending_approval', version: '1', service: 'dms' },
  attributes: {
    orderId: { type: 'string', required: true, readOnly: true },
    orderNumber: { type: 'string', required: true, readOnly: true },
    level: { type: 'number', required: true, readOnly: true },
    role: { type: 'string', required: true, readOnly: true },
    dealerId: { type: 'string', required: true, readOnly: true },
    dealerName: { type: 'string', required: true, readOnly: true },
    region: { type: 'string', required: true, readOnly: true },
    currency: { type: 'string', required: true, readOnly: true },
    gross: { type: 'number', required: true, readOnly: true },
    reasons: { type: 'list', items: { type: 'string' }, required: true, readOnly: true },
    taskToken: { type: 'string', required: true, readOnly: true },
    pendingSince: { type: 'string', required: true, readOnly: true },
    dueAt: { type: 'string', required: true, readOnly: true },
    excludedUserIds: { type: 'list', items: { type: 'string' }, required: true, readOnly: true },
  },
  indexes: {
    byOrder: {
      pk: { field: 'pk', composite: ['orderId'], casing: 'none' },
      sk: { field: 'sk', composite: ['level'], casing: 'none' },
    },
    inbox: {
      index: 'gsi1',
      pk: { field: 'gsi1pk', composite: ['role'], casing: 'none' },
      sk: { field: 'gsi1sk', composite: ['region', 'pendingSince', 'orderId'], casing: 'none' },
    },
  },
});

export const ShipmentEntity = new Entity({
  model: { entity: 'shipment', version: '1', service: 'dms' },
  attributes: {
    id: { type: 'string', required: true, readOnly: true },
    orderId: { type: 'string', required: true, readOnly: true },
    dealerId: { type: 'string', required: true, readOnly: true },
    lines: { type: 'any', required: true, readOnly: true },
    carrier: { type: 'string', required: true, readOnly: true },
    trackingNumber: { type: 'string', required: true, readOnly: true },
    fromLocation: { type: 'string', required: true, readOnly: true },
    shippedAt: { type: 'string', required: true, readOnly: true },
    createdBy: { type: 'string', required: true, readOnly: true },
    createdAt: { type: 'string', required: true, readOnly: true },
  },
  indexes: {
    byOrder: {
      pk: { field: 'pk', composite: ['orderId'], casing: 'none' },
      sk: { field: 'sk', composite: ['id'], casing: 'none' },
    },
  },
});

/**
 * An issued invoice, shipping note or credit note (红字发票): the document model as printed, by
 * number (main index), a dealer's documents of one kind by issue date (gsi1), all documents of
 * one kind by issue date (gsi2: the invoice list and the revenue report read date ranges of it;
 * one partition per kind, written at invoicing pace, far below a partition's limits). Immutable
 * once issued, except voiding (status, voidedAt, voidReason, creditNoteNumber). No index key uses
 * `status`, so a patch of the status alone (order cancellation) keeps every index intact.
 */
export const IssuedDocumentEntity = new Entity({
  model: { entity: 'issued_document', version: '1', service: 'dms' },
  attributes: {
    number: { type: 'string', required: true, readOnly: true },
    kind: { type: ['invoice', 'shipping_note', 'credit_note'] as const, required: true, readOnly: true },
    orderId: { type: 'string', required: true, readOnly: true },
    dealerId: { type: 'string', required: true, readOnly: true },
    /** The dealer's region when issued (credit notes; invoices take it from their receivable). */
    region: { type: 'string', readOnly: true },
    issueDate: { type: 'string', required: true, readOnly: true },
    status: { type: ['issued', 'void'] as const, required: true },
    document: { type: 'any', required: true, readOnly: true },
    /**
     * The document's currency and totals (分) copied to the top level whenever `document` is
     * written (ElectroDB `watch`), so reports read them with a projection instead of whole
     * documents. Shipping notes have none.
     */
    currency: { type: 'string', readOnly: true, watch: ['document'], set: (_: unknown, item: any) => item?.document?.currency },
    net: { type: 'number', readOnly: true, watch: ['document'], set: (_: unknown, item: any) => item?.document?.totals?.net },
    vat: { type: 'number', readOnly: true, watch: ['document'], set: (_: unknown, item: any) => item?.document?.totals?.vat },
    gross: { type: 'number', readOnly: true, watch: ['document'], set: (_: unknown, item: any) => item?.document?.totals?.gross },
    /** Invoices: when and why voided, and the credit note that reverses them. */
    voidedAt: { type: 'string' },
    voidedBy: { type: 'string' },
    voidReason: { type: 'string' },
    creditNoteNumber: { type: 'string' },
    /** Credit notes: the invoice they reverse. */
    invoiceNumber: { type: 'string', readOnly: true },
    createdAt: { type: 'string', required: true, readOnly: true },
  },
  indexes: {
    byNumber: {
      pk: { field: 'pk', composite: ['number'], casing: 'none' },
      sk: { field: 'sk', composite: [] },
    },
    byDealer: {
      index: 'gsi1',
      pk: { field: 'gsi1pk', composite: ['dealerId', 'kind'], casing: 'none' },
      sk: { field: 'gsi1sk', composite: ['issueDate', 'number'], casing: 'none' },
    },
    byKind: {
      index: 'gsi2',
      pk: { field: 'gsi2pk', composite: ['kind'], casing: 'none' },
      sk: { field: 'gsi2sk', composite: ['issueDate', 'number'], casing: 'none' },
    },
  },
});
