import * as z from 'zod';
import { APPROVER_ROLES, ORDER_CHANNELS, ORDER_STATUSES } from '../../../domain/orders/order';

const Fen = z.number().int().describe('integer minor units (分)');

export const OrderLineView = z.object({
  lineNo: z.number().int(),
  sku: z.string(),
  name: z.string(),
  unit: z.string(),
  quantity: z.number().int(),
  requestedDate: z.string().optional(),
  listPrice: Fen,
  unitPrice: Fen.describe('after the price policy: special, channel or tier price, then the promotion'),
  discountPerUnit: Fen,
  vatRate: z.number().int().describe('basis points: 1300 = 13 %'),
  lineNet: Fen,
  lineDiscount: Fen,
  vatAmount: Fen.describe('VAT of this line, rounded half-up'),
  lineGross: Fen,
  priceRule: z.string().optional(),
  shippedQuantity: z.number().int(),
});

export const ApprovalStepView = z.object({
  level: z.number().int(),
  role: z.enum(APPROVER_ROLES),
  reasons: z.array(z.string()),
  status: z.enum(['waiting', 'pending', 'approved', 'rejected', 'escalated', 'expired', 'cancelled']),
  pendingSince: z.string().optional(),
  dueAt: z.string().optional(),
  decidedBy: z.string().optional(),
  decidedAt: z.string().optional(),
  comment: z.string().optional(),
  escalatedTo: z.number().int().optional(),
});

export const OrderView = z.object({
  id: z.string(),
  number: z.string().optional().describe('SO-YYYY-NNNNNN, allocated at submission'),
  dealerId: z.string(),
  dealerCode: z.string(),
  dealerName: z.string(),
  region: z.string(),
  channel: z.enum(ORDER_CHANNELS),
  status: z.enum(ORDER_STATUSES),
  currency: z.string(),
  lines: z.array(OrderLineView),
  totals: z.object({ lineExtension: Fen, discount: Fen, net: Fen, vat: Fen, gross: Fen }),
  shipTo: z
    .object({ recipient: z.string(), phone: z.string(), province: z.string(), city: z.string(), district: z.string().optional(), street: z.string(), postalCode: z.string().optional() })
    .optional(),
  requestedDate: z.string().optional(),
  customerReference: z.string().optional(),
  notes: z.string().optional(),
  internalNote: z.string().optional().describe('staff only'),
  fulfilmentLocation: z.string(),
  pricedOn: z.string().optional(),
  credit: z
    .object({
      currency: z.string(),
      creditLimit: Fen,
      exposureBefore: z.number().int(),
      exposureAfter: z.number().int(),
      excess: Fen,
      overdueAmount: Fen,
      overdueDays: z.number().int(),
      onCreditHold: z.boolean(),
      reasons: z.array(z.string()).describe('why the order went to finance; empty when the credit check passed'),
    })
    .optional(),
  approvalSteps: z.array(ApprovalStepView),
  reservationId: z.string().optional(),
  executionId: z.string().optional(),
  invoiceNumber: z.string().optional(),
  shippingNoteNumber: z.string().optional(),
  documents: z.array(z.object({ kind: z.string(), number: z.string(), key: z.string(), contentType: z.string(), createdAt: z.string() })),
  closedReason: z.string().optional(),
  createdAt: z.string(),
  createdBy: z.string(),
  submittedAt: z.string().optional(),
  submittedBy: z.string().optional(),
  approvedAt: z.string().optional(),
  closedAt: z.string().optional(),
  updatedAt: z.string(),
  version: z.number().int(),
});

export const OrderEventView = z.object({
  orderId: z.string(),
  at: z.string(),
  seq: z.string(),
  actorId: z.string(),
  type: z.string().describe('created, submitted, approval_requested, approval_approved, approval_rejected, approval_escalated, approved, invoice_issued, shipping_note_issued, shipment_dispatched, receipt_confirmed, cancelled, expired, failed'),
  from: z.string().optional(),
  to: z.string().optional(),
  note: z.string().optional(),
});

export const ShipmentView = z.object({
  id: z.string(),
  orderId: z.string(),
  dealerId: z.string(),
  lines: z.array(z.object({ lineNo: z.number().int(), sku: z.string(), quantity: z.number().int() })),
  carrier: z.string(),
  trackingNumber: z.string(),
  fromLocation: z.string(),
  shippedAt: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
});

export const PendingApprovalView = z.object({
  orderId: z.string(),
  orderNumber: z.string(),
  level: z.number().int(),
  role: z.enum(APPROVER_ROLES),
  dealerId: z.string(),
  dealerName: z.string(),
  region: z.string(),
  currency: z.string(),
  gross: Fen,
  reasons: z.array(z.string()),
  pendingSince: z.string(),
  dueAt: z.string(),
});

export const DocumentLinkView = z.object({
  kind: z.string(),
  number: z.string(),
  contentType: z.string(),
  url: z.string().describe('time-limited download link (presigned S3 URL; on the twin a signed local URL)'),
  expiresAt: z.string(),
});
