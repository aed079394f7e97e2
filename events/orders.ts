import * as z from 'zod';

/**
 * Order-to-cash events (DESIGN §6). Amounts are integer 分 in `currency`; dates of documents are
 * business dates (YYYY-MM-DD), instants ISO 8601 UTC. Consumers: notifications (the dealer, the
 * next approver), finance, the warehouse, the data lake.
 */

const fen = z.number().int().min(0);
const businessDate = z.iso.date();

/** Submitted: priced, stock reserved, credit checked; what approval it now waits for and why. */
export const OrderSubmittedV1 = z.strictObject({
  orderId: z.string(),
  orderNumber: z.string(),
  dealerId: z.string(),
  region: z.string(),
  channel: z.string(),
  currency: z.string(),
  gross: fen,
  lineCount: z.number().int().min(1),
  /** Approver roles in order; empty when the order needs no approval. */
  approvalRoles: z.array(z.string()),
  /** Why the credit check sent it to finance; empty when it passed. */
  creditReasons: z.array(z.string()),
});

/** An approval step started waiting for its approver role (notify them), due by `dueAt` before it escalates or expires. */
export const OrderApprovalRequestedV1 = z.strictObject({
  orderId: z.string(),
  orderNumber: z.string(),
  dealerId: z.string(),
  region: z.string(),
  level: z.number().int().min(1),
  role: z.string(),
  currency: z.string(),
  gross: fen,
  dueAt: z.iso.datetime(),
});

/** Finally approved: documents follow (`invoice.issued.v1`). */
export const OrderApprovedV1 = z.strictObject({
  orderId: z.string(),
  orderNumber: z.string(),
  dealerId: z.string(),
  region: z.string(),
  currency: z.string(),
  gross: fen,
  approvedAt: z.iso.datetime(),
  approvers: z.array(z.strictObject({ level: z.number().int().min(1), role: z.string(), userId: z.string() })),
});

/** Ended without approval: rejected by an approver, timed out, or failed (e.g. documents could not be issued). */
export const OrderRejectedV1 = z.strictObject({
  orderId: z.string(),
  orderNumber: z.string(),
  dealerId: z.string(),
  region: z.string(),
  reason: z.string(),
  /** The approval step that rejected or expired. */
  level: z.number().int().min(1).optional(),
  role: z.string().optional(),
  /** The approver who rejected (absent for expiry and failure). */
  by: z.string().optional(),
  outcome: z.enum(['rejected', 'expired', 'failed']),
});

/** Cancelled before shipment; drafts have no number. */
export const OrderCancelledV1 = z.strictObject({
  orderId: z.string(),
  orderNumber: z.string().optional(),
  dealerId: z.string(),
  region: z.string(),
  reason: z.string(),
  by: z.string(),
  /** Whether a reservation was given back (false for drafts, which never reserved). */
  stockReleased: z.boolean(),
});

/** An invoice was issued for an order and its receivable opened, due on `dueDate`. */
export const InvoiceIssuedV1 = z.strictObject({
  invoiceNumber: z.string(),
  orderId: z.string(),
  orderNumber: z.string(),
  dealerId: z.string(),
  currency: z.string(),
  net: fen,
  vat: fen,
  gross: fen,
  issueDate: businessDate,
  dueDate: businessDate,
});

/** Goods left the warehouse; `orderStatus` is the order's status after it (partially_shipped | shipped). */
export const ShipmentDispatchedV1 = z.strictObject({
  shipmentId: z.string(),
  orderId: z.string(),
  orderNumber: z.string(),
  dealerId: z.string(),
  carrier: z.string(),
  trackingNumber: z.string(),
  lines: z.array(z.strictObject({ sku: z.string(), quantity: z.number().int().min(1) })).min(1),
  orderStatus: z.enum(['partially_shipped', 'shipped']),
});
