import type { AuditEntry } from '../audit/audit-entry';
import type { Page } from '../dealers/ports';
import type { Invoice, ShippingNote } from '../invoicing/invoice';
import type { ApproverRole, Order, OrderChannel, OrderEvent, OrderStatus, Shipment } from './order';

export type { Page };

/** A step waiting for its approver: the inbox item, holding the workflow's task token. */
export interface PendingApproval {
  orderId: string;
  orderNumber: string;
  level: number;
  role: ApproverRole;
  dealerId: string;
  dealerName: string;
  region: string;
  currency: string;
  gross: number;
  reasons: string[];
  taskToken: string;
  pendingSince: string;
  dueAt: string;
  /** Who may not decide it (the order's creator and submitter). */
  excludedUserIds: string[];
}

/** Exposure counters of the dealer's credit profile, moved in the order's own transaction. */
export interface ExposureDelta {
  openOrders?: number;
  unbilledShipments?: number;
  openReceivables?: number;
}

/**
 * One change of an order, written atomically: the order (conditional on its version), its
 * timeline entries, the audit record, and whatever else the change implies.
 */
export interface OrderWrite {
  order: Order;
  /** The version the change was computed from; 0 for a new order. */
  expectedVersion: number;
  audit: AuditEntry;
  timeline: OrderEvent[];
  /** Submission: allocate the next SO number into `order.number` (gapless, same transaction). */
  allocateNumber?: boolean;
  /** Submission: reserve these lines at the order's fulfilment location (reservation id = order id). */
  reserve?: { sku: string; quantity: number }[];
  /** Give back what the order's reservation still holds. */
  releaseReservation?: boolean;
  /** Shipping: consume these quantities from the reservation into shipment movements. */
  shipment?: Shipment;
  exposure?: ExposureDelta;
  /** The inbox item to create (a step starts waiting) or remove (decided, timed out, cancelled). */
  createPendingApproval?: PendingApproval;
  /** Remove the pending item of this level; with `taskToken`, only if it still holds that token (decisions race on it). */
  removePendingApproval?: { level: number; taskToken?: string };
  /** Remove every pending item of the order (cancellation). */
  removeAllPendingApprovals?: boolean;
  /** Void the order's receivable (cancellation or failure after invoicing). */
  voidReceivable?: string;
  /**
   * Issue the invoice: allocate the next INV number (gapless, this transaction), store the
   * invoice built for it, create its receivable (amount = gross, due date) and set
   * `order.invoiceNumber`. Fails with VersionMismatchError like any order write.
   */
  issueInvoice?: { issueDate: string; dueDate: string; build: (number: string) => Invoice };
  /** Issue the shipping note: the next DN number, the note, `order.shippingNoteNumber`. */
  issueShippingNote?: { issueDate: string; build: (number: string) => ShippingNote };
}

export interface OrderListFilter {
  dealerId?: string;
  status?: OrderStatus;
  channel?: OrderChannel;
  /** Business dates (YYYY-MM-DD) on the creation time. */
  from?: string;
  to?: string;
  /** Region-scoped staff: only these regions. */
  regions?: string[];
}

export interface OrderStore {
  get(id: string): Promise<Order | undefined>;
  /** Throws VersionMismatchError when the order moved on; maps stock, numbering and condition failures. Returns the order as written (with its number). */
  write(change: OrderWrite): Promise<Order>;
  list(filter: OrderListFilter, page: { limit: number; cursor?: string }): Promise<Page<Order>>;
  timeline(orderId: string, page: { limit: number; cursor?: string }): Promise<Page<OrderEvent>>;
  shipments(orderId: string): Promise<Shipment[]>;
  invoice(number: string): Promise<Invoice>;
  shippingNote(number: string): Promise<ShippingNote>;
  pendingApproval(orderId: string, level: number): Promise<PendingApproval | undefined>;
  /** The inbox of one role, optionally restricted to regions, oldest first. */
  pendingApprovals(role: ApproverRole, regions: string[] | undefined, page: { limit: number; cursor?: string }): Promise<Page<PendingApproval>>;
  /** Available (on hand − reserved) per SKU at a location, for clear stock messages before the conditional write. */
  available(locationCode: string, skus: string[]): Promise<Map<string, number>>;
}

/** Starts and stops the approval workflow: Step Functions on AWS, the twin's ASL runner locally. */
export interface ApprovalWorkflow {
  /** Returns the execution id; the execution name is the order id, so a retried start finds the same execution. */
  start(orderId: string): Promise<string>;
  stop(executionId: string, cause: string): Promise<void>;
  /** Resumes the task waiting on `taskToken` with the decision. Throws an error named TaskTimedOut/InvalidToken when it is too late. */
  sendDecision(taskToken: string, decision: { decision: 'approve' | 'reject'; level: number; by: string }): Promise<void>;
}
