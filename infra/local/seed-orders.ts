import { resolvePrincipal, type Principal } from '../../domain/access/principal';
import { BUILT_IN_ROLES } from '../../domain/access/roles';
import type { RequestContext } from '../../domain/audit/audit-entry';
import type { ApproverRole, Order, OrderLineInput } from '../../domain/orders/order';
import { creditService } from '../../functions/adapters/dynamo/credit-repository';
import { limitRequestService } from '../../functions/adapters/credit-runtime';
import { dms } from '../../functions/adapters/dynamo/service';
import { ordersRuntime } from '../../functions/adapters/orders-runtime';
import { runtime } from '../../functions/adapters/runtime';
import { publishEvents } from '../../functions/shared/use-case-context';
import { demoProducts } from './seed-catalog';
import type { DemoWorld } from './seed-contexts';

/**
 * Orders demo, after the catalogue, the warehouses and their stock: an order in every status
 * the order-to-cash flow has, made by the use cases the API calls (dealers order on the portal,
 * managers, directors and finance decide, the warehouse ships, the dealer confirms receipt) and
 * moved on by the twin's approval workflow. Approval inboxes are not empty: one order waits for
 * the CN-EAST sales manager, one for the sales director, one for finance. Runs only on a fresh
 * twin (seed.ts); the workflow runs in this process, so the loader waits for it where it must.
 *
 * Not shown: `submitted` (the workflow moves an order on within milliseconds) and `failed`
 * (documents failing for good; the demo would have to break the document store to get there).
 */

/** One demo order's story; they run side by side. */
type Scenario = { name: string; run: () => Promise<void> };

const WAIT_MS = 20_000;
/** SKUs with agreed special prices or promotions deep enough (≥ 20 %) to add a director step: not used here. */
const AVOID = new Set(['AC-GREE-KFR35GW', 'RF-HAIER-BCD520', 'WA-LITTLESWAN-G100', 'KI-FOTILE-CXW', 'PT-RC-AC-01']);
/** Gross ≈ list × (1 − tier discount ≤ 15 %) × (1 + 13 % VAT): list value per yuan of gross. */
const LIST_PER_GROSS = 1 / (1.13 * 0.9);

const principals = new Map<string, Principal>();

/** A user of one built-in role, with the regions or dealer a real user of that role would have. */
function principal(role: string, userId: string, scope: { regions?: string[]; dealerId?: string } = {}): Principal {
  const key = `${role}|${userId}`;
  let found = principals.get(key);
  if (!found) {
    found = resolvePrincipal({ userId, username: userId, roles: [role], regions: scope.regions ?? [], ...(scope.dealerId ? { dealerId: scope.dealerId } : {}) }, [BUILT_IN_ROLES.get(role)!]);
    principals.set(key, found);
  }
  return found;
}

function context(actor: Principal): RequestContext {
  const { now, newId } = runtime();
  return { principal: actor, requestId: `seed-${newId()}`, now: now(), newId };
}

const ADMIN = () => principal('admin', 'system:seed');
const FINANCE = () => principal('finance', 'system:seed-finance');
const DIRECTOR = () => principal('sales_director', 'system:seed-sales-director');
const WAREHOUSE = () => principal('warehouse', 'system:seed-warehouse');
const manager = (region: string) => principal('sales_manager', `system:seed-sales-manager-${region.toLowerCase()}`, { regions: [region] });
const dealerUser = (dealer: DemoDealer) => principal('dealer_admin', `system:seed-dealer-${dealer.code.toLowerCase()}`, { dealerId: dealer.id });

type DemoDealer = DemoWorld['dealers'][number];

/** Picks lines worth about `grossYuan` from the stock at `location`, never more than is available there. */
class LinePicker {
  private offset = 0;
  private constructor(
    private readonly prices: Map<string, number>,
    private readonly available: Map<string, Map<string, number>>,
  ) {}

  static async load(locations: string[]): Promise<LinePicker> {
    const candidates = demoProducts().filter((p) => p.status === 'active' && !AVOID.has(p.sku) && /^(AC|RF|WA|KI)-/.test(p.sku) && !p.orderMultiple && !p.minOrderQuantity);
    const prices = new Map(candidates.map((p) => [p.sku, p.listPrice.amount / 100]));
    const available = new Map<string, Map<string, number>>();
    for (const location of locations) {
      const { data } = await dms().entities.stockLevel.get(candidates.map((p) => ({ locationCode: location, sku: p.sku }))).go();
      available.set(location, new Map((data as { sku: string; available: number }[]).map((l) => [l.sku, l.available])));
    }
    return new LinePicker(prices, available);
  }

  lines(location: string, grossYuan: number): OrderLineInput[] {
    const stock = this.available.get(location)!;
    const skus = [...this.prices.keys()];
    const lines: OrderLineInput[] = [];
    let remaining = grossYuan * LIST_PER_GROSS;
    for (let k = 0; k < skus.length && remaining > 0 && lines.length < 12; k += 1) {
      const sku = skus[(this.offset + k) % skus.length]!;
      const price = this.prices.get(sku)!;
      // A few units stay behind for the dealer stores' demo transfers and for anyone trying the API.
      const quantity = Math.min(10, (stock.get(sku) ?? 0) - 5, Math.max(1, Math.round(remaining / price)));
      if (quantity < 1) continue;
      lines.push({ sku, quantity });
      stock.set(sku, stock.get(sku)! - quantity);
      remaining -= quantity * price;
    }
    this.offset += lines.length + 1;
    if (remaining > grossYuan * LIST_PER_GROSS * 0.2) throw new Error(`not enough demo stock at ${location} for an order of about ¥${grossYuan}`);
    return lines;
  }
}

export async function seedOrders(world: DemoWorld): Promise<void> {
  const { orders } = ordersRuntime();
  const active = world.dealers.filter((d) => d.status === 'active');
  const east = active.filter((d) => d.region === 'CN-EAST');
  const south = active.filter((d) => d.region === 'CN-SOUTH');
  // The demo dealer users (start.ts prints their tokens) belong to the first active dealer.
  const first = active[0];
  if (east.length < 7 || south.length < 5 || !first) return;
  const picker = await LinePicker.load(['WH-SH-01', 'WH-GZ-01']);
  const warehouseOf = (dealer: DemoDealer) => (dealer.region === 'CN-SOUTH' ? 'WH-GZ-01' : 'WH-SH-01');

  // Credit limits the way finance sets them: a director requests, finance approves (both audited);
  // payment terms through the credit use case.
  const limits = new Map<DemoDealer, number>([...east, ...south.slice(0, 5), first].map((d) => [d, 200_000_000]));
  limits.set(east[3]!, 2_000_000); // ¥20,000: its order exceeds the limit and goes to finance
  limits.set(south[3]!, 1_000_000); // ¥10,000: likewise, and that approval times out
  const credit = creditService();
  const limitRequests = limitRequestService();
  for (const [dealer, newLimit] of limits) {
    const requested = await limitRequests.request(context(DIRECTOR()), dealer.id, { newLimit, reason: '年度授信 annual credit line' });
    await limitRequests.decide(context(FINANCE()), dealer.id, requested.id, { decision: 'approve', comment: '同意 approved' });
    if (newLimit < 10_000_000) {
      const current = await credit.get(FINANCE(), dealer.id, new Date());
      await credit.update(context(FINANCE()), dealer.id, current.version, { paymentTermsDays: 15 });
    }
  }

  const read = (id: string) => orders.get(ADMIN(), id);
  const until = async (id: string, what: string, predicate: (order: Order) => boolean): Promise<Order> => {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const order = await read(id);
      if (predicate(order)) return order;
      if (Date.now() > deadline) throw new Error(`order ${order.number ?? id} did not reach "${what}" (still ${order.status})`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  const pendingAt = (level: number) => (o: Order) => o.status === 'pending_approval' && o.approvalSteps[level - 1]?.status === 'pending';
  const documented = (o: Order) => o.status === 'approved' && ['invoice_pdf', 'shipping_note_pdf'].every((kind) => o.documents.some((d) => d.kind === kind));

  // Submissions one at a time: concurrent ones contend for the SO number and the order store
  // then settles stock alerts with duplicate keys (reported; see the orders-store note).
  let submitting: Promise<unknown> = Promise.resolve();
  /** The dealer orders on the portal; the chain the policy planned must be the one the scenario shows. */
  const submit = (dealer: DemoDealer, grossYuan: number, chain: ApproverRole[], extra: { notes?: string; customerReference?: string; location?: string } = {}): Promise<Order> => {
    const next = submitting.then(() => submitNow(dealer, grossYuan, chain, extra));
    submitting = next.catch(() => undefined);
    return next;
  };
  const submitNow = async (dealer: DemoDealer, grossYuan: number, chain: ApproverRole[], extra: { notes?: string; customerReference?: string; location?: string }): Promise<Order> => {
    const location = extra.location ?? warehouseOf(dealer);
    const ctx = context(dealerUser(dealer));
    const { result, events } = await orders.create(ctx, {
      lines: picker.lines(location, grossYuan),
      submit: true,
      fulfilmentLocation: location,
      ...(extra.notes ? { notes: extra.notes } : {}),
      ...(extra.customerReference ? { customerReference: extra.customerReference } : {}),
    });
    await publishEvents(ctx, events);
    const roles = result.approvalSteps.map((s) => s.role);
    if (roles.join() !== chain.join()) throw new Error(`order ${result.number} of ${dealer.code} is routed to [${roles.join(', ')}], the demo expects [${chain.join(', ')}]`);
    return result;
  };
  const decide = async (actor: Principal, id: string, decision: 'approve' | 'reject', comment: string) => {
    const ctx = context(actor);
    const { events } = await orders.decide(ctx, id, { decision, comment });
    await publishEvents(ctx, events);
  };
  const ship = async (order: Order, lines: { sku: string; quantity: number }[], trackingNumber: string) => {
    const ctx = context(WAREHOUSE());
    const { events } = await orders.ship(ctx, order.id, { lines, carrier: '顺丰速运', trackingNumber });
    await publishEvents(ctx, events);
  };

  const scenarios: Scenario[] = [
    {
      name: 'approved (auto) with invoice and shipping note',
      run: async () => {
        const order = await submit(east[0]!, 20_000, [], { customerReference: 'PO-2026-1101', notes: '请安排周五前到货' });
        await until(order.id, 'approved with documents', documented);
      },
    },
    {
      name: 'pending: CN-EAST sales manager',
      run: async () => {
        const order = await submit(east[1]!, 100_000, ['sales_manager'], { customerReference: 'PO-2026-1102' });
        await until(order.id, 'waiting for the sales manager', pendingAt(1));
      },
    },
    {
      name: 'pending: sales director (manager approved)',
      run: async () => {
        const order = await submit(east[2]!, 350_000, ['sales_manager', 'sales_director'], { notes: '年终备货，分两批到货亦可' });
        await until(order.id, 'waiting for the sales manager', pendingAt(1));
        await decide(manager('CN-EAST'), order.id, 'approve', '客户年度协议内，同意');
        await until(order.id, 'waiting for the sales director', pendingAt(2));
      },
    },
    {
      name: 'pending: finance (credit limit exceeded)',
      run: async () => {
        const order = await submit(east[3]!, 30_000, ['finance'], { customerReference: 'PO-2026-1104' });
        await until(order.id, 'waiting for finance', pendingAt(1));
      },
    },
    {
      name: 'rejected at level 2',
      run: async () => {
        const order = await submit(east[4]!, 350_000, ['sales_manager', 'sales_director']);
        await until(order.id, 'waiting for the sales manager', pendingAt(1));
        await decide(manager('CN-EAST'), order.id, 'approve', '同意，请总监复核折扣');
        await until(order.id, 'waiting for the sales director', pendingAt(2));
        await decide(DIRECTOR(), order.id, 'reject', '本季度该客户已超出区域配额，请拆分至下季度');
      },
    },
    {
      name: 'cancelled by the dealer while pending',
      run: async () => {
        const order = await submit(east[5]!, 80_000, ['sales_manager']);
        await until(order.id, 'waiting for the sales manager', pendingAt(1));
        const ctx = context(dealerUser(east[5]!));
        const { events } = await orders.cancel(ctx, order.id, '门店装修推迟，暂不需要');
        await publishEvents(ctx, events);
      },
    },
    {
      name: 'drafts',
      run: async () => {
        for (const dealer of [east[6]!, first]) {
          const ctx = context(dealerUser(dealer));
          await orders.create(ctx, { lines: picker.lines('WH-SH-01', 12_000), submit: false, fulfilmentLocation: 'WH-SH-01', notes: '草稿：待确认型号' });
        }
      },
    },
    {
      name: 'approved after the CN-SOUTH manager, documents issued',
      run: async () => {
        const order = await submit(south[4]!, 90_000, ['sales_manager']);
        await until(order.id, 'waiting for the sales manager', pendingAt(1));
        await decide(manager('CN-SOUTH'), order.id, 'approve', '同意');
        await until(order.id, 'approved with documents', documented);
      },
    },
    {
      name: 'partially shipped',
      run: async () => {
        const order = await submit(south[0]!, 25_000, []);
        await until(order.id, 'approved with documents', documented);
        const [line] = order.lines;
        await ship(order, [{ sku: line!.sku, quantity: Math.max(1, Math.floor(line!.quantity / 2)) }], 'SF1400000001');
      },
    },
    {
      name: 'shipped',
      run: async () => {
        const order = await submit(south[1]!, 25_000, []);
        await until(order.id, 'approved with documents', documented);
        await ship(order, order.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })), 'SF1400000002');
      },
    },
    {
      name: 'completed (received)',
      run: async () => {
        const order = await submit(south[2]!, 25_000, []);
        await until(order.id, 'approved with documents', documented);
        await ship(order, order.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })), 'SF1400000003');
        await orders.confirmReceipt(context(dealerUser(south[2]!)), order.id, '货已收到，外包装完好');
      },
    },
    {
      name: 'expired (finance did not decide in time)',
      run: async () => {
        const order = await submit(south[3]!, 20_000, ['finance']);
        await until(order.id, 'waiting for finance', pendingAt(1));
        // The step's 48 h timer cannot run out during a demo load: the loader runs the same
        // use case the workflow's timeout task runs. Finance escalates to `expire` under the
        // default policy. (The execution's own timer then finds the order closed.)
        const ctx = context(ADMIN());
        const { result, events } = await orders.stepTimedOut(ctx, order.id, 1);
        await publishEvents(ctx, events);
        if (result.outcome !== 'closed') throw new Error(`order ${order.number} escalated instead of expiring`);
      },
    },
    {
      name: "the demo dealer's own approved order",
      run: async () => {
        const order = await submit(first, 15_000, [], { location: 'WH-SH-01', customerReference: 'PO-DEMO-0001' });
        await until(order.id, 'approved with documents', documented);
      },
    },
  ];

  // Independent scenarios in parallel: the workflow waits dominate, not DynamoDB.
  const outcomes = await Promise.allSettled(scenarios.map((s) => s.run()));
  const failed = outcomes.flatMap((outcome, i) => (outcome.status === 'rejected' ? [`${scenarios[i]!.name}: ${(outcome.reason as Error).message}`] : []));
  if (failed.length > 0) throw new Error(`Orders demo incomplete:\n  ${failed.join('\n  ')}`);
}
