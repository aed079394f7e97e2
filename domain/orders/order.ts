import * as z from 'zod';
import { BusinessDateSchema } from '../shared/business-date';
import { trimmedText } from '../shared/schemas';

/**
 * Sales orders (销售订单): what a dealer buys, priced by the price policy, reserved against a
 * warehouse, checked against the dealer's credit, approved level by level, invoiced and shipped.
 * Amounts are integer 分 in the order's currency; VAT rates in basis points (1300 = 13 %).
 *
 *   draft → submitted → pending_approval → approved → partially_shipped → shipped → completed
 *                     ↘ (no steps) approved   ↘ rejected | expired           ↘ cancelled
 *   any open state before shipment → cancelled; approved → failed (documents could not be issued)
 */
export const ORDER_STATUSES = [
  'draft',
  'submitted',
  'pending_approval',
  'approved',
  'partially_shipped',
  'shipped',
  'completed',
  'rejected',
  'expired',
  'cancelled',
  'failed',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Where the order came from: the dealer portal, an API/EDI integration, a sales rep, a store. */
export const ORDER_CHANNELS = ['online_portal', 'api_edi', 'sales_rep', 'offline_store'] as const;
export type OrderChannel = (typeof ORDER_CHANNELS)[number];

/** States from which nothing moves any more. */
export const FINAL_STATUSES: readonly OrderStatus[] = ['completed', 'rejected', 'expired', 'cancelled', 'failed'];

/** States in which stock is still reserved for the order and its credit exposure counts as an open order. */
export const OPEN_STATUSES: readonly OrderStatus[] = ['submitted', 'pending_approval', 'approved', 'partially_shipped'];

export const MAX_ORDER_LINES = 40;

const SkuSchema = z.string().trim().toUpperCase().regex(/^[A-Z0-9][A-Z0-9-]{1,39}$/, 'a SKU such as PMP-100');

export const OrderLineInputSchema = z.strictObject({
  sku: SkuSchema,
  quantity: z.number().int().min(1).max(1_000_000),
  requestedDate: BusinessDateSchema.optional().describe('delivery date the dealer asks for (YYYY-MM-DD)'),
});
export type OrderLineInput = z.output<typeof OrderLineInputSchema>;

export const ShipToSchema = z.strictObject({
  recipient: trimmedText(50),
  phone: z.string().regex(/^\+?[0-9][0-9 -]{5,19}$/, 'a phone number such as 13800138000'),
  province: trimmedText(30),
  city: trimmedText(30),
  district: trimmedText(30).optional(),
  street: trimmedText(200),
  postalCode: z.string().regex(/^[0-9]{6}$/, 'a six-digit postal code').optional(),
});
export type ShipTo = z.output<typeof ShipToSchema>;

const linesField = z
  .array(OrderLineInputSchema)
  .min(1)
  .max(MAX_ORDER_LINES)
  .refine((lines) => new Set(lines.map((l) => l.sku)).size === lines.length, 'each SKU at most once; add the quantities up');

/** A new order: saved as a draft, or submitted at once with `submit: true`. */
export const NewOrderSchema = z.strictObject({
  dealerId: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'a dealer id (ULID)').optional().describe('staff ordering on behalf of a dealer; dealers may omit it'),
  channel: z.enum(ORDER_CHANNELS).optional().describe('defaults to online_portal for dealers and sales_rep for staff'),
  lines: linesField,
  shipTo: ShipToSchema.optional().describe("defaults to the dealer's default shipping address"),
  requestedDate: BusinessDateSchema.optional(),
  customerReference: trimmedText(50).optional().describe("the dealer's own purchase order number"),
  notes: trimmedText(1000).optional(),
  internalNote: trimmedText(1000).optional().describe('staff only; never shown to dealers'),
  fulfilmentLocation: z.string().trim().toUpperCase().regex(/^[A-Z0-9][A-Z0-9-]{1,39}$/).optional().describe("the warehouse to ship from; defaults to the enterprise warehouse of the dealer's region"),
  submit: z.boolean().default(false).describe('submit right away instead of saving a draft'),
});
export type NewOrder = z.output<typeof NewOrderSchema>;

export const DraftChangesSchema = z
  .strictObject({
    channel: z.enum(ORDER_CHANNELS),
    lines: linesField,
    shipTo: ShipToSchema,
    requestedDate: BusinessDateSchema.nullable(),
    customerReference: trimmedText(50).nullable(),
    notes: trimmedText(1000).nullable(),
    internalNote: trimmedText(1000).nullable(),
    fulfilmentLocation: z.string().trim().toUpperCase().regex(/^[A-Z0-9][A-Z0-9-]{1,39}$/),
  })
  .partial()
  .refine((changes) => Object.keys(changes).length > 0, 'at least one field to change');
export type DraftChanges = z.output<typeof DraftChangesSchema>;

export const ApprovalDecisionSchema = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  comment: trimmedText(1000).optional(),
});
export type ApprovalDecision = z.output<typeof ApprovalDecisionSchema>;

export const CancelOrderSchema = z.strictObject({ reason: trimmedText(500) });

export interface OrderLine {
  lineNo: number;
  sku: string;
  name: string;
  unit: string;
  quantity: number;
  requestedDate?: string;
  listPrice: number;
  /** Unit price after the price policy (special/channel/tier price and promotion). */
  unitPrice: number;
  discountPerUnit: number;
  vatRate: number;
  /** quantity × unitPrice. */
  lineNet: number;
  /** quantity × discountPerUnit (what the dealer saves against the list price). */
  lineDiscount: number;
  vatAmount: number;
  lineGross: number;
  /** The rule that set the price, e.g. `tier_price_list: 金牌经销商价格表`. */
  priceRule?: string;
  shippedQuantity: number;
}

export interface OrderTotals {
  /** Σ quantity × listPrice. */
  lineExtension: number;
  discount: number;
  net: number;
  vat: number;
  gross: number;
}

/** The credit check made at submission (DESIGN §6), kept on the order so it says why it went to finance. */
export interface CreditAssessment {
  currency: string;
  creditLimit: number;
  /** Open orders + shipped-not-invoiced + open receivables − prepayment, before this order. */
  exposureBefore: number;
  exposureAfter: number;
  /** exposureAfter − creditLimit when positive, else 0. */
  excess: number;
  overdueAmount: number;
  /** Days the oldest open receivable is past its due date (0 when none is overdue). */
  overdueDays: number;
  onCreditHold: boolean;
  /** Human-readable reasons the check routed the order to finance (empty when it passed). */
  reasons: string[];
}

export const APPROVER_ROLES = ['sales_manager', 'sales_director', 'finance'] as const;
export type ApproverRole = (typeof APPROVER_ROLES)[number];

export type ApprovalStepStatus = 'waiting' | 'pending' | 'approved' | 'rejected' | 'escalated' | 'expired' | 'cancelled';

export interface ApprovalStep {
  /** 1-based position in the chain. */
  level: number;
  role: ApproverRole;
  /** Why the policy asks for this step, e.g. `order gross ≥ ¥50,000.00`. */
  reasons: string[];
  status: ApprovalStepStatus;
  /** When the step started waiting for a decision and when it times out. */
  pendingSince?: string;
  dueAt?: string;
  decidedBy?: string;
  decidedAt?: string;
  comment?: string;
  /** For an escalated step: the level that took over. */
  escalatedTo?: number;
}

export type OrderDocumentKind = 'invoice_pdf' | 'invoice_xml' | 'invoice_json' | 'shipping_note_pdf';

export interface OrderDocument {
  kind: OrderDocumentKind;
  /** INV-2026-000001 / DN-2026-000001. */
  number: string;
  /** Key in the documents bucket. */
  key: string;
  contentType: string;
  createdAt: string;
}

export interface Order {
  id: string;
  /** SO-2026-000123, allocated at submission (drafts have none). */
  number?: string;
  dealerId: string;
  dealerCode: string;
  dealerName: string;
  region: string;
  channel: OrderChannel;
  status: OrderStatus;
  currency: string;
  lines: OrderLine[];
  totals: OrderTotals;
  shipTo?: ShipTo;
  requestedDate?: string;
  customerReference?: string;
  notes?: string;
  /** Staff only (property-level rule). */
  internalNote?: string;
  fulfilmentLocation: string;
  /** Business date the prices were resolved for (the submission date). */
  pricedOn?: string;
  credit?: CreditAssessment;
  approvalSteps: ApprovalStep[];
  /** Id of the stock reservation (the order id), while stock is held. */
  reservationId?: string;
  /** Step Functions execution running the approval. */
  executionId?: string;
  invoiceNumber?: string;
  shippingNoteNumber?: string;
  documents: OrderDocument[];
  /** Why the order ended where it did (rejection comment, expiry, cancellation, failure). */
  closedReason?: string;
  createdAt: string;
  createdBy: string;
  submittedAt?: string;
  submittedBy?: string;
  approvedAt?: string;
  closedAt?: string;
  updatedAt: string;
  version: number;
}

/** One entry of the order's timeline: every status change (and approval decision) with time and actor. */
export interface OrderEvent {
  orderId: string;
  at: string;
  seq: string;
  actorId: string;
  type: string;
  from?: OrderStatus;
  to?: OrderStatus;
  note?: string;
}

export interface Shipment {
  id: string;
  orderId: string;
  dealerId: string;
  lines: { lineNo: number; sku: string; quantity: number }[];
  carrier: string;
  trackingNumber: string;
  fromLocation: string;
  shippedAt: string;
  createdBy: string;
  createdAt: string;
}

export const ShipmentInputSchema = z.strictObject({
  lines: z
    .array(z.strictObject({ sku: SkuSchema, quantity: z.number().int().min(1).max(1_000_000) }))
    .min(1)
    .max(MAX_ORDER_LINES)
    .refine((lines) => new Set(lines.map((l) => l.sku)).size === lines.length, 'each SKU at most once'),
  carrier: trimmedText(50),
  trackingNumber: trimmedText(50),
});
export type ShipmentInput = z.output<typeof ShipmentInputSchema>;

const TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  draft: ['submitted', 'cancelled'],
  submitted: ['pending_approval', 'approved', 'cancelled', 'rejected', 'expired', 'failed'],
  pending_approval: ['pending_approval', 'approved', 'rejected', 'expired', 'cancelled', 'failed'],
  approved: ['partially_shipped', 'shipped', 'cancelled', 'failed'],
  partially_shipped: ['partially_shipped', 'shipped'],
  shipped: ['completed'],
  completed: [],
  rejected: [],
  expired: [],
  cancelled: [],
  failed: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function isOpen(status: OrderStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

/** Fields dealers never see (property-level rule, DESIGN §5). */
export const INTERNAL_ORDER_FIELDS = ['internalNote'] as const;

/** Σ of the lines, as the documents print them. */
export function orderTotals(lines: Pick<OrderLine, 'quantity' | 'listPrice' | 'lineNet' | 'lineDiscount' | 'vatAmount' | 'lineGross'>[]): OrderTotals {
  return lines.reduce<OrderTotals>(
    (sum, line) => ({
      lineExtension: sum.lineExtension + line.quantity * line.listPrice,
      discount: sum.discount + line.lineDiscount,
      net: sum.net + line.lineNet,
      vat: sum.vat + line.vatAmount,
      gross: sum.gross + line.lineGross,
    }),
    { lineExtension: 0, discount: 0, net: 0, vat: 0, gross: 0 },
  );
}
