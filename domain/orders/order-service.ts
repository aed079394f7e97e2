import { canSee } from '../access/object-scope';
import { hasPermission, isDealerPrincipal, type Principal } from '../access/principal';
import { auditEntry, type RequestContext } from '../audit/audit-entry';
import type { DealerLookup } from '../catalog/ports';
import { assessCredit, type CreditCheckProfile } from '../credit/assess-credit';
import type { CreditProfile, OverdueSummary } from '../credit/credit-profile';
import type { Dealer } from '../dealers/dealer';
import type { Location } from '../inventory/location';
import type { Invoice, ShippingNote } from '../invoicing/invoice';
import { addDays, businessDate } from '../shared/business-date';
import { formatYuan } from '../invoicing/invoice';
import { ConflictError, DomainError, NotFoundError, ValidationError, VersionMismatchError, type FieldError } from '../shared/errors';
import { withoutEmpty } from '../shared/objects';
import type { DomainEvent } from '../../events/registry';
import { approvalSteps, escalationTarget, stepTimeoutSeconds, type ApprovalPolicyStore } from './approval-policy';
import {
  APPROVER_ROLES,
  FINAL_STATUSES,
  INTERNAL_ORDER_FIELDS,
  canTransition,
  orderTotals,
  type ApprovalDecision,
  type ApprovalStep,
  type ApproverRole,
  type DraftChanges,
  type NewOrder,
  type Order,
  type OrderDocument,
  type OrderEvent,
  type OrderLineInput,
  type OrderStatus,
  type ShipTo,
  type Shipment,
  type ShipmentInput,
} from './order';
import { priceOrderLines, type OrderPricingSources } from './order-pricing';
import type { ApprovalWorkflow, OrderListFilter, OrderStore, OrderWrite, Page, PendingApproval } from './ports';
import { reversalOf, salesFactsOf, type SalesFacts } from './sales-statistics';

/** The dealer's credit facts the submission check needs (the credit profile and its overdue receivables). */
export interface CreditFacts {
  profile(dealerId: string): Promise<CreditCheckProfile & Pick<CreditProfile, 'paymentTermsDays'>>;
  overdue(dealerId: string, today: string): Promise<OverdueSummary>;
}

export interface FulfilmentLocations {
  get(code: string): Promise<Location | undefined>;
  /** The enterprise warehouse that serves a region by default. */
  defaultFor(region: string): Promise<Location | undefined>;
}

/** Builds and stores the generated files of a document; returns what the order lists. */
export interface OrderDocumentRenderer {
  invoice(order: Order, dealer: Dealer, number: string, issueDate: string, dueDate: string, paymentTermsDays: number): Invoice;
  shippingNote(order: Order, dealer: Dealer, number: string, issueDate: string): ShippingNote;
  store(document: Invoice | ShippingNote, createdAt: string): Promise<OrderDocument[]>;
}

export interface SalesRecorder {
  record(facts: SalesFacts): Promise<void>;
}

/**
 * Applies the dealer's prepayment to a newly issued invoice (issue 5, auto-match): at most once
 * per invoice however often it is called; returns the amount applied.
 */
export interface PrepaymentMatcher {
  applyToInvoice(ctx: RequestContext, invoiceNumber: string): Promise<number>;
}

export interface OrderServiceDeps {
  orders: OrderStore;
  workflow: ApprovalWorkflow;
  dealers: DealerLookup;
  locations: FulfilmentLocations;
  pricing: OrderPricingSources;
  credit: CreditFacts;
  policy: ApprovalPolicyStore;
  documents: OrderDocumentRenderer;
  sales: SalesRecorder;
  prepayment: PrepaymentMatcher;
  timeZone: string;
}

export interface Outcome<T> {
  result: T;
  events: DomainEvent[];
}

/** What the approval workflow's Choice states branch on. */
export type NextStepOutcome =
  | { outcome: 'await'; level: number; role: ApproverRole; timeoutSeconds: number }
  | { outcome: 'approved' }
  | { outcome: 'closed' };

/** States of an approved order: documents are issued for these (a retried task may find it shipped already). */
const APPROVED_STATUSES: readonly OrderStatus[] = ['approved', 'partially_shipped', 'shipped', 'completed'];
/** Who completes a wait that found its step already decided. */
const WORKFLOW_ACTOR = 'workflow:order-approval';
const DEALER_CANCELLABLE: readonly OrderStatus[] = ['draft', 'submitted', 'pending_approval'];
const STAFF_CANCELLABLE: readonly OrderStatus[] = ['draft', 'submitted', 'pending_approval', 'approved'];
/** Read-modify-write attempts when a concurrent change (a parallel workflow branch, say) moved the order on. */
const MAX_ATTEMPTS = 8;

/**
 * The order-to-cash use cases (DESIGN §6): drafts, submission (price, reserve, credit-check
 * and number in one transaction), the approval chain driven by the workflow, decisions,
 * documents, cancellation, shipments and receipt. Every change is one OrderStore.write.
 */
export class OrderService {
  constructor(private readonly deps: OrderServiceDeps) {}

  // ── drafts and submission ─────────────────────────────────────────────────

  async create(ctx: RequestContext, input: NewOrder): Promise<Outcome<Order>> {
    const dealer = await this.dealerForNewOrder(ctx.principal, input.dealerId);
    const today = this.today(ctx);
    const location = await this.fulfilmentLocation(dealer, input.fulfilmentLocation, 'body/fulfilmentLocation');
    const priced = await priceOrderLines(this.deps.pricing, dealer, input.lines, today);
    const at = ctx.now.toISOString();
    const draft = withoutEmpty({
      id: ctx.newId(),
      dealerId: dealer.id,
      dealerCode: dealer.code,
      dealerName: dealer.name,
      region: dealer.region,
      channel: input.channel ?? (isDealerPrincipal(ctx.principal) ? 'online_portal' : 'sales_rep'),
      status: 'draft',
      currency: priced.currency,
      lines: priced.lines,
      totals: orderTotals(priced.lines),
      shipTo: input.shipTo ?? defaultShipTo(dealer),
      requestedDate: input.requestedDate,
      customerReference: input.customerReference,
      notes: input.notes,
      internalNote: isDealerPrincipal(ctx.principal) ? undefined : input.internalNote,
      fulfilmentLocation: location.code,
      pricedOn: today,
      approvalSteps: [],
      documents: [],
      createdAt: at,
      createdBy: ctx.principal.userId,
      updatedAt: at,
      version: 1,
    }) as Order;
    if (input.submit) return this.submitFrom(ctx, draft, 0, dealer, [timelineEntry(ctx, draft.id, 'created', undefined, 'draft')]);
    const written = await this.deps.orders.write({
      order: draft,
      expectedVersion: 0,
      audit: auditEntry(ctx, 'order.created', { type: 'order', id: draft.id }, undefined, draft),
      timeline: [timelineEntry(ctx, draft.id, 'created', undefined, 'draft')],
    });
    return { result: this.view(ctx.principal, written), events: [] };
  }

  async updateDraft(ctx: RequestContext, id: string, expectedVersion: number, changes: DraftChanges): Promise<Order> {
    const current = await this.visible(ctx.principal, id);
    if (current.version !== expectedVersion) throw new VersionMismatchError('Order', id);
    if (current.status !== 'draft') throw new ConflictError('order_not_draft', `Order ${id} is ${current.status}; only drafts can be edited.`);
    const dealer = await this.activeDealer(current.dealerId);
    let next: Order = { ...current };
    if (changes.fulfilmentLocation) next.fulfilmentLocation = (await this.fulfilmentLocation(dealer, changes.fulfilmentLocation, 'body/fulfilmentLocation')).code;
    if (changes.lines) {
      const priced = await priceOrderLines(this.deps.pricing, dealer, changes.lines, this.today(ctx));
      next = { ...next, currency: priced.currency, lines: priced.lines, totals: orderTotals(priced.lines), pricedOn: this.today(ctx) };
    }
    const { lines: _lines, fulfilmentLocation: _location, internalNote, ...rest } = changes;
    next = withoutEmpty({
      ...next,
      ...rest,
      ...(internalNote !== undefined && !isDealerPrincipal(ctx.principal) ? { internalNote } : {}),
      updatedAt: ctx.now.toISOString(),
      version: current.version + 1,
    }) as Order;
    const written = await this.deps.orders.write({
      order: next,
      expectedVersion,
      audit: auditEntry(ctx, 'order.updated', { type: 'order', id }, current, next),
      timeline: [],
    });
    return this.view(ctx.principal, written);
  }

  /**
   * Submits a draft. A retry after the commit (the workflow did not start) finds the order
   * submitted without an execution and starts it: StartExecution by the order id is idempotent.
   */
  async submit(ctx: RequestContext, id: string): Promise<Outcome<Order>> {
    const current = await this.visible(ctx.principal, id);
    if (current.status === 'submitted' && current.submittedBy === ctx.principal.userId && !current.executionId) {
      await this.deps.workflow.start(current.id);
      return { result: this.view(ctx.principal, current), events: [] };
    }
    if (current.status !== 'draft') throw new ConflictError('order_not_draft', `Order ${id} is ${current.status}; only drafts can be submitted.`);
    const dealer = await this.activeDealer(current.dealerId);
    const inputs: OrderLineInput[] = current.lines.map((line) => withoutEmpty({ sku: line.sku, quantity: line.quantity, requestedDate: line.requestedDate }) as OrderLineInput);
    const priced = await priceOrderLines(this.deps.pricing, dealer, inputs, this.today(ctx), 'lines');
    const repriced = { ...current, currency: priced.currency, lines: priced.lines, totals: orderTotals(priced.lines) };
    return this.submitFrom(ctx, repriced, current.version, dealer, [], current);
  }

  private async submitFrom(ctx: RequestContext, order: Order, expectedVersion: number, dealer: Dealer, timeline: OrderEvent[], before?: Order): Promise<Outcome<Order>> {
    if (!order.shipTo) {
      throw new ValidationError('The order needs a ship-to address: the dealer has no default shipping address.', [{ path: 'body/shipTo', message: 'required', code: 'ship_to_required' }], 'ship_to_required');
    }
    const today = this.today(ctx);
    await this.assertStockAvailable(order);
    const [profile, overdue, policy] = await Promise.all([
      this.deps.credit.profile(dealer.id),
      this.deps.credit.overdue(dealer.id, today),
      this.deps.policy.current(),
    ]);
    const credit = assessCredit({ profile, overdue, orderGross: order.totals.gross, maxOverdueDays: policy.overdueDebt.maxOverdueDays });
    const steps: ApprovalStep[] = approvalSteps({ currency: order.currency, totals: order.totals, credit }, dealer, policy).map((step) => ({ ...step, status: 'waiting' }));
    const at = ctx.now.toISOString();
    const next: Order = {
      ...order,
      status: 'submitted',
      credit,
      approvalSteps: steps,
      reservationId: order.id,
      pricedOn: today,
      submittedAt: at,
      submittedBy: ctx.principal.userId,
      updatedAt: at,
      version: expectedVersion + 1,
    };
    const route = steps.length === 0 ? 'auto-approval' : `approval by ${steps.map((s) => s.role).join(' → ')}`;
    const written = await this.deps.orders.write({
      order: next,
      expectedVersion,
      allocateNumber: true,
      reserve: next.lines.map((line) => ({ sku: line.sku, quantity: line.quantity })),
      exposure: { openOrders: next.totals.gross },
      audit: auditEntry(ctx, 'order.submitted', { type: 'order', id: next.id }, before, next),
      timeline: [...timeline, timelineEntry(ctx, next.id, 'submitted', before?.status, 'submitted', `${formatYuan(next.totals.gross)}; ${route}${credit.reasons.length ? `; credit: ${credit.reasons.join('; ')}` : ''}`)],
    });
    await this.deps.workflow.start(written.id);
    return {
      result: this.view(ctx.principal, written),
      events: [
        {
          type: 'order.submitted.v1',
          detail: {
            orderId: written.id,
            orderNumber: written.number!,
            dealerId: written.dealerId,
            region: written.region,
            channel: written.channel,
            currency: written.currency,
            gross: written.totals.gross,
            lineCount: written.lines.length,
            approvalRoles: steps.map((s) => s.role),
            creditReasons: credit.reasons,
          },
        },
      ],
    };
  }

  /** Names every short line with what is available, before the conditional write that guarantees it. */
  private async assertStockAvailable(order: Order): Promise<void> {
    const available = await this.deps.orders.available(order.fulfilmentLocation, order.lines.map((l) => l.sku));
    const short: FieldError[] = [];
    order.lines.forEach((line, index) => {
      const have = available.get(line.sku) ?? 0;
      if (have < line.quantity) {
        short.push({ path: `lines/${index}/quantity`, code: 'insufficient_stock', message: `line ${line.lineNo} (${line.sku}): ${line.quantity} requested, ${Math.max(0, have)} available at ${order.fulfilmentLocation}` });
      }
    });
    if (short.length > 0) {
      throw new DomainError('conflict', 'insufficient_stock', `Not enough stock for ${short.length} line(s): ${short.map((s) => s.message).join('; ')}`, short);
    }
  }

  // ── reading ───────────────────────────────────────────────────────────────

  async get(principal: Principal, id: string): Promise<Order> {
    return this.view(principal, await this.visible(principal, id));
  }

  async list(principal: Principal, filter: OrderListFilter, page: { limit: number; cursor?: string }): Promise<Page<Order>> {
    let scoped: OrderListFilter = { ...filter };
    if (principal.scope === 'dealer') {
      if (!principal.dealerId || (filter.dealerId && filter.dealerId !== principal.dealerId)) return { items: [] };
      scoped = { ...filter, dealerId: principal.dealerId };
    } else if (principal.scope === 'region') {
      scoped = { ...filter, regions: principal.regions };
    }
    const result = await this.deps.orders.list(scoped, page);
    return { ...result, items: result.items.map((order) => this.view(principal, order)) };
  }

  async timeline(principal: Principal, id: string, page: { limit: number; cursor?: string }): Promise<Page<OrderEvent>> {
    await this.visible(principal, id);
    return this.deps.orders.timeline(id, page);
  }

  async shipments(principal: Principal, id: string): Promise<Shipment[]> {
    await this.visible(principal, id);
    return this.deps.orders.shipments(id);
  }

  async document(principal: Principal, id: string, kind: OrderDocument['kind']): Promise<OrderDocument> {
    const order = await this.visible(principal, id);
    const document = order.documents.find((d) => d.kind === kind);
    if (!document) throw new NotFoundError('Document', `${kind} of order ${id}`);
    return document;
  }

  /** The approver's inbox: steps waiting for one of the principal's approver roles, in its regions, oldest first. */
  async inbox(principal: Principal, role: ApproverRole | undefined, page: { limit: number; cursor?: string }): Promise<Page<PendingApproval>> {
    const roles = APPROVER_ROLES.filter((r) => principal.roles.includes(r));
    const chosen = role ?? roles[0];
    if (!chosen || !roles.includes(chosen)) return { items: [] };
    const regions = principal.scope === 'region' ? principal.regions : undefined;
    const result = await this.deps.orders.pendingApprovals(chosen, regions, page);
    return { ...result, items: result.items.filter((item) => !item.excludedUserIds.includes(principal.userId)).map(({ taskToken: _token, ...item }) => ({ ...item, taskToken: '' })) };
  }

  // ── the approval workflow's tasks ─────────────────────────────────────────

  /** Which step comes next: wait for one, or the chain is complete. Read-only, so retries are free. */
  async nextStep(orderId: string): Promise<NextStepOutcome> {
    const order = await this.required(orderId);
    if (FINAL_STATUSES.includes(order.status)) return { outcome: 'closed' };
    if (order.status !== 'submitted' && order.status !== 'pending_approval') return { outcome: 'approved' };
    const step = order.approvalSteps.find((s) => s.status === 'waiting' || s.status === 'pending');
    if (!step) return { outcome: 'approved' };
    const policy = await this.deps.policy.current();
    return { outcome: 'await', level: step.level, role: step.role, timeoutSeconds: stepTimeoutSeconds(policy) };
  }

  /** The callback task: the step starts waiting; its inbox item holds the task token. */
  async awaitDecision(ctx: RequestContext, input: { orderId: string; level: number; taskToken: string; executionId: string; timeoutSeconds: number }): Promise<Outcome<void>> {
    for (let attempt = 1; ; attempt += 1) {
      const order = await this.required(input.orderId);
      const step = order.approvalSteps[input.level - 1];
      if (FINAL_STATUSES.includes(order.status) || !step || (step.status !== 'waiting' && step.status !== 'pending')) {
        // Decided (or closed) before this wait was stored — a resumed workflow racing an approver:
        // nobody else holds this token, so the task completes itself and the workflow reads the state.
        const goOn = !FINAL_STATUSES.includes(order.status) && step !== undefined && step.status !== 'rejected';
        await this.deps.workflow.sendDecision(input.taskToken, { decision: goOn ? 'approve' : 'reject', level: input.level, by: WORKFLOW_ACTOR });
        return { result: undefined, events: [] };
      }
      const at = ctx.now.toISOString();
      const dueAt = new Date(ctx.now.getTime() + input.timeoutSeconds * 1000).toISOString();
      const steps = order.approvalSteps.map((s) => (s.level === step.level ? { ...s, status: 'pending' as const, pendingSince: at, dueAt } : s));
      const next: Order = { ...order, status: 'pending_approval', approvalSteps: steps, executionId: order.executionId ?? input.executionId, updatedAt: at, version: order.version + 1 };
      const pending: PendingApproval = {
        orderId: order.id,
        orderNumber: order.number!,
        level: step.level,
        role: step.role,
        dealerId: order.dealerId,
        dealerName: order.dealerName,
        region: order.region,
        currency: order.currency,
        gross: order.totals.gross,
        reasons: step.reasons,
        taskToken: input.taskToken,
        pendingSince: at,
        dueAt,
        excludedUserIds: [...new Set([order.createdBy, order.submittedBy].filter((u): u is string => !!u))],
      };
      try {
        await this.deps.orders.write({
          order: next,
          expectedVersion: order.version,
          // A retried or resumed wait overwrites the item (and so the token) of the earlier one.
          createPendingApproval: pending,
          audit: auditEntry(ctx, 'order.approval_requested', { type: 'order', id: order.id }, order, next),
          timeline: step.status === 'pending' ? [] : [timelineEntry(ctx, order.id, 'approval_requested', order.status, 'pending_approval', `level ${step.level}: ${step.role} (${step.reasons.join('; ')}), due ${dueAt}`)],
        });
        return {
          result: undefined,
          events: [{ type: 'order.approval_requested.v1', detail: { orderId: order.id, orderNumber: order.number!, dealerId: order.dealerId, region: order.region, level: step.level, role: step.role, gross: order.totals.gross, currency: order.currency, dueAt } }],
        };
      } catch (error) {
        if (!(error instanceof VersionMismatchError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * An approver decides. The inbox item is the arbiter: the transaction removes it only if it
   * still holds the token, so of 50 concurrent calls exactly one takes effect; the others get 409.
   * A rejection closes the order in the same transaction (stock released, exposure returned).
   */
  async decide(ctx: RequestContext, id: string, decision: ApprovalDecision): Promise<Outcome<Order>> {
    for (let attempt = 1; ; attempt += 1) {
      const order = await this.visible(ctx.principal, id);
      const step = order.approvalSteps.find((s) => s.status === 'pending');
      if (!step || order.status !== 'pending_approval') {
        throw new ConflictError('no_pending_approval', `Order ${id} is ${order.status}; no approval step is waiting for a decision.`);
      }
      if (!ctx.principal.roles.includes(step.role)) {
        throw new DomainError('forbidden', 'not_eligible_approver', `Level ${step.level} of order ${order.number} needs a ${step.role}; your roles are ${ctx.principal.roles.join(', ')}.`);
      }
      if (order.createdBy === ctx.principal.userId || order.submittedBy === ctx.principal.userId) {
        throw new DomainError('forbidden', 'own_order', 'Nobody approves an order they created or submitted.');
      }
      const pending = await this.deps.orders.pendingApproval(order.id, step.level);
      if (!pending) throw new ConflictError('approval_already_decided', `Level ${step.level} of order ${order.number} was already decided or timed out.`);
      const at = ctx.now.toISOString();
      const decided: ApprovalStep = withoutEmpty({
        ...step,
        status: decision.decision === 'approve' ? 'approved' : 'rejected',
        decidedBy: ctx.principal.userId,
        decidedAt: at,
        comment: decision.comment,
      }) as ApprovalStep;
      const rejected = decision.decision === 'reject';
      const steps = order.approvalSteps.map((s) => (s.level === step.level ? decided : rejected && s.status === 'waiting' ? { ...s, status: 'cancelled' as const } : s));
      const next: Order = withoutEmpty({
        ...order,
        approvalSteps: steps,
        ...(rejected ? { status: 'rejected', closedReason: `rejected at level ${step.level} by ${ctx.principal.username}${decision.comment ? `: ${decision.comment}` : ''}`, closedAt: at } : {}),
        updatedAt: at,
        version: order.version + 1,
      }) as Order;
      const timeline = [timelineEntry(ctx, order.id, rejected ? 'approval_rejected' : 'approval_approved', order.status, next.status, `level ${step.level} (${step.role})${decision.comment ? `: ${decision.comment}` : ''}`)];
      try {
        await this.deps.orders.write({
          order: next,
          expectedVersion: order.version,
          removePendingApproval: { level: step.level, taskToken: pending.taskToken },
          ...(rejected ? { releaseReservation: true, exposure: { openOrders: -order.totals.gross } } : {}),
          audit: auditEntry(ctx, rejected ? 'order.rejected' : 'order.approval_approved', { type: 'order', id: order.id }, order, next),
          timeline,
        });
      } catch (error) {
        if (error instanceof VersionMismatchError && attempt < MAX_ATTEMPTS) continue;
        throw error;
      }
      try {
        await this.deps.workflow.sendDecision(pending.taskToken, { decision: decision.decision, level: step.level, by: ctx.principal.userId });
      } catch (error) {
        // Too late for the token (the step timed out in the workflow meanwhile): the timeout task
        // reads the decision recorded above and acts on it, so nothing is lost.
        if (!isStaleToken(error)) throw error;
      }
      const events: DomainEvent[] = rejected
        ? [{ type: 'order.rejected.v1', detail: { orderId: order.id, orderNumber: order.number!, dealerId: order.dealerId, region: order.region, reason: next.closedReason!, level: step.level, role: step.role, by: ctx.principal.userId, outcome: 'rejected' } }]
        : [];
      return { result: this.view(ctx.principal, next), events };
    }
  }

  /**
   * A step's callback timed out. If a decision raced the timeout and won, follow it; otherwise
   * escalate to the policy's next role, or expire the order (stock released).
   */
  async stepTimedOut(ctx: RequestContext, orderId: string, level: number): Promise<Outcome<{ outcome: 'continue' | 'closed' }>> {
    for (let attempt = 1; ; attempt += 1) {
      const order = await this.required(orderId);
      const step = order.approvalSteps[level - 1];
      if (FINAL_STATUSES.includes(order.status) || !step || step.status === 'rejected') return { result: { outcome: 'closed' }, events: [] };
      if (step.status !== 'pending' && step.status !== 'waiting') return { result: { outcome: 'continue' }, events: [] };
      const policy = await this.deps.policy.current();
      const target = escalationTarget(policy, step.role);
      const at = ctx.now.toISOString();
      let next: Order;
      let change: Partial<OrderWrite>;
      let events: DomainEvent[] = [];
      const hours = Math.round((stepTimeoutSeconds(policy) / 3600) * 10) / 10;
      if (target) {
        // The next level decides instead; a later step of that role already covers it.
        const later = order.approvalSteps.slice(level).some((s) => s.role === target);
        const escalated: ApprovalStep = { ...step, status: 'escalated', escalatedTo: level + 1 };
        const inserted: ApprovalStep[] = later ? [] : [{ level: level + 1, role: target, reasons: [`escalated from level ${level} (${step.role}): no decision within ${hours} h`], status: 'waiting' }];
        const steps = [...order.approvalSteps.slice(0, level - 1), escalated, ...inserted, ...order.approvalSteps.slice(level)].map((s, i) => ({ ...s, level: i + 1 }));
        next = { ...order, approvalSteps: steps, updatedAt: at, version: order.version + 1 };
        change = { timeline: [timelineEntry(ctx, order.id, 'approval_escalated', order.status, order.status, `level ${level} (${step.role}) timed out after ${hours} h; escalated to ${target}`)] };
      } else {
        const steps = order.approvalSteps.map((s) => (s.level === level ? { ...s, status: 'expired' as const } : s.status === 'waiting' ? { ...s, status: 'cancelled' as const } : s));
        const reason = `expired: level ${level} (${step.role}) did not decide within ${hours} h`;
        next = { ...order, status: 'expired', approvalSteps: steps, closedReason: reason, closedAt: at, updatedAt: at, version: order.version + 1 };
        change = {
          releaseReservation: true,
          exposure: { openOrders: -order.totals.gross },
          timeline: [timelineEntry(ctx, order.id, 'expired', order.status, 'expired', reason)],
        };
        events = [{ type: 'order.rejected.v1', detail: { orderId: order.id, orderNumber: order.number!, dealerId: order.dealerId, region: order.region, reason, level, role: step.role, outcome: 'expired' } }];
      }
      try {
        await this.deps.orders.write({
          order: next,
          expectedVersion: order.version,
          timeline: [],
          ...change,
          removePendingApproval: { level },
          audit: auditEntry(ctx, target ? 'order.approval_escalated' : 'order.expired', { type: 'order', id: order.id }, order, next),
        });
        return { result: { outcome: target ? 'continue' : 'closed' }, events };
      } catch (error) {
        if (!(error instanceof VersionMismatchError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /** Every step approved (or none needed): the order is approved and its sales are booked. Idempotent. */
  async markApproved(ctx: RequestContext, orderId: string, executionId: string): Promise<Outcome<{ outcome: 'approved' | 'closed' }>> {
    for (let attempt = 1; ; attempt += 1) {
      const order = await this.required(orderId);
      if (FINAL_STATUSES.includes(order.status)) return { result: { outcome: 'closed' }, events: [] };
      if (order.status !== 'submitted' && order.status !== 'pending_approval') {
        await this.deps.sales.record(salesFactsOf(order, 'booked', this.deps.timeZone));
        return { result: { outcome: 'approved' }, events: [] };
      }
      const at = ctx.now.toISOString();
      const next: Order = { ...order, status: 'approved', approvedAt: at, executionId: order.executionId ?? executionId, updatedAt: at, version: order.version + 1 };
      const how = order.approvalSteps.length === 0 ? 'auto-approved: within the approval policy' : `approved by ${order.approvalSteps.filter((s) => s.status === 'approved').map((s) => `${s.role} ${s.decidedBy}`).join(', ')}`;
      try {
        await this.deps.orders.write({
          order: next,
          expectedVersion: order.version,
          audit: auditEntry(ctx, 'order.approved', { type: 'order', id: order.id }, order, next),
          timeline: [timelineEntry(ctx, order.id, 'approved', order.status, 'approved', how)],
        });
      } catch (error) {
        if (error instanceof VersionMismatchError && attempt < MAX_ATTEMPTS) continue;
        throw error;
      }
      await this.deps.sales.record(salesFactsOf(next, 'booked', this.deps.timeZone));
      return {
        result: { outcome: 'approved' },
        events: [
          {
            type: 'order.approved.v1',
            detail: {
              orderId: order.id,
              orderNumber: order.number!,
              dealerId: order.dealerId,
              region: order.region,
              currency: order.currency,
              gross: order.totals.gross,
              approvedAt: at,
              approvers: order.approvalSteps.filter((s) => s.status === 'approved').map((s) => ({ level: s.level, role: s.role, userId: s.decidedBy! })),
            },
          },
        ],
      };
    }
  }

  /**
   * Issues the invoice (number, receivable and exposure in one transaction), then renders and
   * stores its files. A retry finds the invoice issued and only (re)stores the files, so a
   * failing renderer never burns a number or creates a second receivable.
   */
  async issueInvoice(ctx: RequestContext, orderId: string): Promise<Outcome<{ invoiceNumber?: string }>> {
    let order = await this.required(orderId);
    if (!APPROVED_STATUSES.includes(order.status)) return { result: {}, events: [] };
    const events: DomainEvent[] = [];
    const dealer = await this.dealerOf(order);
    if (!order.invoiceNumber) {
      const profile = await this.deps.credit.profile(order.dealerId);
      const issueDate = this.today(ctx);
      const dueDate = addDays(issueDate, profile.paymentTermsDays);
      order = await this.issueOnce(ctx, order, (o) => o.invoiceNumber, (current, next) => ({
        issueInvoice: {
          issueDate,
          dueDate,
          build: (number) => this.deps.documents.invoice({ ...next, invoiceNumber: number }, dealer, number, issueDate, dueDate, profile.paymentTermsDays),
        },
        exposure: { openOrders: -current.totals.gross, openReceivables: current.totals.gross },
        audit: auditEntry(ctx, 'order.invoiced', { type: 'order', id: current.id }, current, next),
        timeline: [timelineEntry(ctx, current.id, 'invoice_issued', current.status, current.status, `due ${dueDate}`)],
      }));
      events.push({
        type: 'invoice.issued.v1',
        detail: { invoiceNumber: order.invoiceNumber!, orderId: order.id, orderNumber: order.number!, dealerId: order.dealerId, currency: order.currency, net: order.totals.net, vat: order.totals.vat, gross: order.totals.gross, issueDate, dueDate },
      });
    }
    // Also on a retry: the receivable may exist from an attempt that stopped before this (once per invoice).
    await this.deps.prepayment.applyToInvoice(ctx, order.invoiceNumber!);
    const invoice = await this.deps.orders.invoice(order.invoiceNumber!);
    await this.attachDocuments(ctx, orderId, await this.deps.documents.store(invoice, ctx.now.toISOString()));
    return { result: { invoiceNumber: order.invoiceNumber }, events };
  }

  /** The shipping note (发货单) for the whole order: numbered once, its PDF stored. Idempotent like the invoice. */
  async issueShippingNote(ctx: RequestContext, orderId: string): Promise<Outcome<{ shippingNoteNumber?: string }>> {
    let order = await this.required(orderId);
    if (!APPROVED_STATUSES.includes(order.status)) return { result: {}, events: [] };
    const dealer = await this.dealerOf(order);
    if (!order.shippingNoteNumber) {
      const issueDate = this.today(ctx);
      order = await this.issueOnce(ctx, order, (o) => o.shippingNoteNumber, (current, next) => ({
        issueShippingNote: { issueDate, build: (number) => this.deps.documents.shippingNote({ ...next, shippingNoteNumber: number }, dealer, number, issueDate) },
        audit: auditEntry(ctx, 'order.shipping_note_issued', { type: 'order', id: current.id }, current, next),
        timeline: [timelineEntry(ctx, current.id, 'shipping_note_issued', current.status, current.status)],
      }));
    }
    const note = await this.deps.orders.shippingNote(order.shippingNoteNumber!);
    await this.attachDocuments(ctx, orderId, await this.deps.documents.store(note, ctx.now.toISOString()));
    return { result: { shippingNoteNumber: order.shippingNoteNumber }, events: [] };
  }

  /**
   * Writes a numbered document of the order once: a concurrent change (the other document
   * branch) makes the write re-read; if the document was issued meanwhile, that one stands.
   */
  private async issueOnce(ctx: RequestContext, order: Order, issued: (order: Order) => string | undefined, change: (current: Order, next: Order) => Omit<OrderWrite, 'order' | 'expectedVersion'>): Promise<Order> {
    for (let attempt = 1; ; attempt += 1) {
      const next: Order = { ...order, updatedAt: ctx.now.toISOString(), version: order.version + 1 };
      try {
        return await this.deps.orders.write({ order: next, expectedVersion: order.version, ...change(order, next) });
      } catch (error) {
        if (!(error instanceof VersionMismatchError) || attempt >= MAX_ATTEMPTS) throw error;
        order = await this.required(order.id);
        if (issued(order)) return order;
      }
    }
  }

  /** Lists the stored files on the order (a parallel branch may be writing too: read-modify-write). */
  private async attachDocuments(ctx: RequestContext, orderId: string, documents: OrderDocument[]): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      const order = await this.required(orderId);
      const missing = documents.filter((d) => !order.documents.some((have) => have.kind === d.kind && have.number === d.number));
      if (missing.length === 0) return;
      const next: Order = { ...order, documents: [...order.documents, ...missing], updatedAt: ctx.now.toISOString(), version: order.version + 1 };
      try {
        await this.deps.orders.write({
          order: next,
          expectedVersion: order.version,
          audit: auditEntry(ctx, 'order.documents_stored', { type: 'order', id: order.id }, order, next),
          timeline: [],
        });
        return;
      } catch (error) {
        if (!(error instanceof VersionMismatchError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * Compensation when the chain cannot finish (documents failed for good): the order ends
   * `failed` with its stock released, its exposure returned and its invoice voided if issued.
   */
  async fail(ctx: RequestContext, orderId: string, cause: string): Promise<Outcome<void>> {
    for (let attempt = 1; ; attempt += 1) {
      const order = await this.required(orderId);
      if (FINAL_STATUSES.includes(order.status) || !canTransition(order.status, 'failed')) return { result: undefined, events: [] };
      const at = ctx.now.toISOString();
      const reason = `failed: ${cause.slice(0, 400)}`;
      const next: Order = {
        ...order,
        status: 'failed',
        approvalSteps: order.approvalSteps.map((s) => (s.status === 'waiting' || s.status === 'pending' ? { ...s, status: 'cancelled' as const } : s)),
        closedReason: reason,
        closedAt: at,
        updatedAt: at,
        version: order.version + 1,
      };
      try {
        await this.deps.orders.write({
          order: next,
          expectedVersion: order.version,
          releaseReservation: true,
          removeAllPendingApprovals: true,
          ...this.closingExposure(order),
          audit: auditEntry(ctx, 'order.failed', { type: 'order', id: order.id }, order, next),
          timeline: [timelineEntry(ctx, order.id, 'failed', order.status, 'failed', reason)],
        });
      } catch (error) {
        if (error instanceof VersionMismatchError && attempt < MAX_ATTEMPTS) continue;
        throw error;
      }
      if (order.approvedAt) await this.reverseSales(order);
      return {
        result: undefined,
        events: [{ type: 'order.rejected.v1', detail: { orderId: order.id, orderNumber: order.number!, dealerId: order.dealerId, region: order.region, reason, outcome: 'failed' } }],
      };
    }
  }

  // ── cancellation, shipment, receipt ───────────────────────────────────────

  /**
   * Dealers cancel their own orders until approval; staff until the first shipment. Stock is
   * released, the exposure returned, an issued invoice voided, and the workflow stopped.
   */
  async cancel(ctx: RequestContext, id: string, reason: string): Promise<Outcome<Order>> {
    for (let attempt = 1; ; attempt += 1) {
      const order = await this.visible(ctx.principal, id);
      const allowed = isDealerPrincipal(ctx.principal) ? DEALER_CANCELLABLE : STAFF_CANCELLABLE;
      if (!allowed.includes(order.status)) {
        const who = isDealerPrincipal(ctx.principal) ? 'Dealers can cancel orders until they are approved' : 'Orders can be cancelled until the first shipment';
        throw new ConflictError('order_not_cancellable', `Order ${order.number ?? id} is ${order.status}. ${who}.`);
      }
      const at = ctx.now.toISOString();
      const next: Order = {
        ...order,
        status: 'cancelled',
        approvalSteps: order.approvalSteps.map((s) => (s.status === 'waiting' || s.status === 'pending' ? { ...s, status: 'cancelled' as const } : s)),
        closedReason: `cancelled by ${ctx.principal.username}: ${reason}`,
        closedAt: at,
        updatedAt: at,
        version: order.version + 1,
      };
      const held = order.status !== 'draft';
      try {
        await this.deps.orders.write({
          order: next,
          expectedVersion: order.version,
          ...(held ? { releaseReservation: true, removeAllPendingApprovals: true, ...this.closingExposure(order) } : {}),
          audit: auditEntry(ctx, 'order.cancelled', { type: 'order', id: order.id }, order, next),
          timeline: [timelineEntry(ctx, order.id, 'cancelled', order.status, 'cancelled', reason)],
        });
      } catch (error) {
        if (error instanceof VersionMismatchError && attempt < MAX_ATTEMPTS) continue;
        throw error;
      }
      if (held) await this.deps.workflow.stop(order.id, `Order cancelled by ${ctx.principal.userId}`);
      if (order.approvedAt) await this.reverseSales(order);
      return {
        result: this.view(ctx.principal, next),
        events: [{ type: 'order.cancelled.v1', detail: withoutEmpty({ orderId: order.id, orderNumber: order.number, dealerId: order.dealerId, region: order.region, reason, by: ctx.principal.userId, stockReleased: held }) as never }],
      };
    }
  }

  /**
   * Takes an approved order's sales back out of the statistics. The booking is recorded first
   * (both are idempotent): the approval task may not have booked yet when the order closes.
   */
  private async reverseSales(order: Order): Promise<void> {
    const booked = salesFactsOf(order, 'booked', this.deps.timeZone);
    await this.deps.sales.record(booked);
    await this.deps.sales.record(reversalOf(booked));
  }

  /** What the order's exposure moves by when it closes before completion. */
  private closingExposure(order: Order): Pick<OrderWrite, 'exposure' | 'voidReceivable'> {
    if (order.invoiceNumber) return { exposure: { openReceivables: -order.totals.gross }, voidReceivable: order.invoiceNumber };
    return { exposure: { openOrders: -order.totals.gross } };
  }

  async ship(ctx: RequestContext, id: string, input: ShipmentInput): Promise<Outcome<Shipment>> {
    for (let attempt = 1; ; attempt += 1) {
      const order = await this.visible(ctx.principal, id);
      if (order.status !== 'approved' && order.status !== 'partially_shipped') {
        throw new ConflictError('order_not_shippable', `Order ${order.number ?? id} is ${order.status}; shipments are recorded against approved orders.`);
      }
      const problems: FieldError[] = [];
      const shipped = new Map<string, number>();
      input.lines.forEach((line, index) => {
        const orderLine = order.lines.find((l) => l.sku === line.sku);
        if (!orderLine) {
          problems.push({ path: `body/lines/${index}/sku`, code: 'not_on_order', message: `${line.sku} is not on order ${order.number}` });
          return;
        }
        const open = orderLine.quantity - orderLine.shippedQuantity;
        if (line.quantity > open) problems.push({ path: `body/lines/${index}/quantity`, code: 'exceeds_open_quantity', message: `${line.sku}: ${line.quantity} to ship, ${open} still open` });
        shipped.set(line.sku, line.quantity);
      });
      if (problems.length > 0) throw new ValidationError(`The shipment does not match the order: ${problems.map((p) => p.message).join('; ')}`, problems, 'shipment_invalid');
      const at = ctx.now.toISOString();
      const lines = order.lines.map((l) => ({ ...l, shippedQuantity: l.shippedQuantity + (shipped.get(l.sku) ?? 0) }));
      const status: OrderStatus = lines.every((l) => l.shippedQuantity === l.quantity) ? 'shipped' : 'partially_shipped';
      const shipment: Shipment = {
        id: ctx.newId(),
        orderId: order.id,
        dealerId: order.dealerId,
        lines: input.lines.map((l) => ({ lineNo: order.lines.find((o) => o.sku === l.sku)!.lineNo, sku: l.sku, quantity: l.quantity })),
        carrier: input.carrier,
        trackingNumber: input.trackingNumber,
        fromLocation: order.fulfilmentLocation,
        shippedAt: at,
        createdBy: ctx.principal.userId,
        createdAt: at,
      };
      const next: Order = { ...order, lines, status, updatedAt: at, version: order.version + 1 };
      try {
        await this.deps.orders.write({
          order: next,
          expectedVersion: order.version,
          shipment,
          audit: auditEntry(ctx, 'order.shipped', { type: 'order', id: order.id }, order, next),
          timeline: [timelineEntry(ctx, order.id, 'shipment_dispatched', order.status, status, `${input.carrier} ${input.trackingNumber}: ${shipment.lines.map((l) => `${l.sku}×${l.quantity}`).join(', ')}`)],
        });
      } catch (error) {
        if (error instanceof VersionMismatchError && attempt < MAX_ATTEMPTS) continue;
        throw error;
      }
      return {
        result: shipment,
        events: [
          {
            type: 'shipment.dispatched.v1',
            detail: { shipmentId: shipment.id, orderId: order.id, orderNumber: order.number!, dealerId: order.dealerId, carrier: shipment.carrier, trackingNumber: shipment.trackingNumber, lines: shipment.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })), orderStatus: status },
          },
        ],
      };
    }
  }

  async confirmReceipt(ctx: RequestContext, id: string, note?: string): Promise<Order> {
    const order = await this.visible(ctx.principal, id);
    if (order.status !== 'shipped') throw new ConflictError('order_not_shipped', `Order ${order.number ?? id} is ${order.status}; receipt is confirmed once everything has shipped.`);
    const at = ctx.now.toISOString();
    const next: Order = { ...order, status: 'completed', closedAt: at, updatedAt: at, version: order.version + 1 };
    await this.deps.orders.write({
      order: next,
      expectedVersion: order.version,
      audit: auditEntry(ctx, 'order.completed', { type: 'order', id: order.id }, order, next),
      timeline: [timelineEntry(ctx, order.id, 'receipt_confirmed', 'shipped', 'completed', note)],
    });
    return this.view(ctx.principal, next);
  }

  // ── helpers ───────────────────────────────────────────────────────────────

  private today(ctx: Pick<RequestContext, 'now'>): string {
    return businessDate(ctx.now, this.deps.timeZone);
  }

  private async required(id: string): Promise<Order> {
    const order = await this.deps.orders.get(id);
    if (!order) throw new NotFoundError('Order', id);
    return order;
  }

  /** Object-level rule: out of scope means "does not exist". */
  private async visible(principal: Principal, id: string): Promise<Order> {
    const order = await this.deps.orders.get(id);
    if (!order || !canSee(principal, { dealerId: order.dealerId, region: order.region })) throw new NotFoundError('Order', id);
    return order;
  }

  private view(principal: Principal, order: Order): Order {
    if (hasPermission(principal, 'orders:read_internal')) return order;
    const copy: Record<string, unknown> = { ...order };
    for (const field of INTERNAL_ORDER_FIELDS) delete copy[field];
    return copy as unknown as Order;
  }

  private async dealerForNewOrder(principal: Principal, requested: string | undefined): Promise<Dealer> {
    let id = requested;
    if (isDealerPrincipal(principal)) {
      if (requested && requested !== principal.dealerId) throw new NotFoundError('Dealer', requested);
      id = principal.dealerId;
    }
    if (!id) throw new ValidationError('Staff name the dealer the order is for.', [{ path: 'body/dealerId', message: 'required when ordering on behalf of a dealer', code: 'dealer_required' }], 'dealer_required');
    const dealer = await this.deps.dealers.get(id);
    if (!dealer || !canSee(principal, { dealerId: dealer.id, region: dealer.region })) throw new NotFoundError('Dealer', id);
    if (dealer.status !== 'active') throw new ConflictError('dealer_not_active', `Dealer ${dealer.code} is ${dealer.status}; only active dealers can order.`);
    return dealer;
  }

  private async activeDealer(id: string): Promise<Dealer> {
    const dealer = await this.deps.dealers.get(id);
    if (!dealer) throw new NotFoundError('Dealer', id);
    if (dealer.status !== 'active') throw new ConflictError('dealer_not_active', `Dealer ${dealer.code} is ${dealer.status}; only active dealers can order.`);
    return dealer;
  }

  private async dealerOf(order: Order): Promise<Dealer> {
    const dealer = await this.deps.dealers.get(order.dealerId);
    if (!dealer) throw new NotFoundError('Dealer', order.dealerId);
    return dealer;
  }

  private async fulfilmentLocation(dealer: Dealer, requested: string | undefined, path: string): Promise<Location> {
    const location = requested ? await this.deps.locations.get(requested) : await this.deps.locations.defaultFor(dealer.region);
    if (!location || location.kind !== 'warehouse' || location.status !== 'active') {
      const message = requested ? `${requested} is not an active enterprise warehouse` : `no active enterprise warehouse serves ${dealer.region}`;
      throw new ValidationError(`No fulfilment location: ${message}.`, [{ path, message, code: 'invalid_fulfilment_location' }], 'invalid_fulfilment_location');
    }
    return location;
  }
}

function isStaleToken(error: unknown): boolean {
  return error instanceof Error && ['TaskTimedOut', 'InvalidToken', 'TaskDoesNotExist'].includes(error.name);
}

function timelineEntry(ctx: RequestContext, orderId: string, type: string, from: OrderStatus | undefined, to: OrderStatus | undefined, note?: string): OrderEvent {
  return withoutEmpty({ orderId, at: ctx.now.toISOString(), seq: ctx.newId(), actorId: ctx.principal.userId, type, from, to, note }) as OrderEvent;
}

/** The dealer's default shipping address as a ship-to, when it has one. */
export function defaultShipTo(dealer: Dealer): ShipTo | undefined {
  const address = dealer.addresses.find((a) => a.type === 'shipping' && a.isDefault) ?? dealer.addresses.find((a) => a.type === 'shipping');
  const contact = dealer.contacts.find((c) => c.primary) ?? dealer.contacts[0];
  const recipient = address?.recipient ?? contact?.name;
  const phone = address?.phone ?? contact?.mobile;
  if (!address || !recipient || !phone) return undefined;
  return withoutEmpty({ recipient, phone, province: address.province, city: address.city, district: address.district, street: address.street, postalCode: address.postalCode }) as ShipTo;
}
