import { resolvePrincipal, type Principal } from '../../domain/access/principal';
import { BUILT_IN_ROLES } from '../../domain/access/roles';
import type { RequestContext } from '../../domain/audit/audit-entry';
import type { Order, OrderLineInput } from '../../domain/orders/order';
import { addDays, businessDate } from '../../domain/shared/business-date';
import { CREDIT_SCHEDULER, creditEvaluationService, limitRequestService, reviewCreditHolds } from '../../functions/adapters/credit-runtime';
import { approve as approvePayable, createPayable, settle as settlePayable } from '../../functions/adapters/dynamo/payable-store';
import { dms } from '../../functions/adapters/dynamo/service';
import { finance } from '../../functions/adapters/finance-runtime';
import { ordersRuntime } from '../../functions/adapters/orders-runtime';
import { configureRuntime, runtime } from '../../functions/adapters/runtime';
import { publishEvents } from '../../functions/shared/use-case-context';
import { demoProducts } from './seed-catalog';
import type { DemoWorld } from './seed-contexts';

/**
 * Finance demo, after the orders demo (whose approved orders hold invoices due in 15–30 days,
 * i.e. `current`): receivables in every aging bucket, payments (allocated, partial, over-paid into
 * prepayment, reversed), dealer wallets with prepayment, deposit and rebate balances, payables
 * (draft, approved, settled), credit evaluations and one dealer on credit hold.
 *
 * Overdue receivables need invoices issued in the past. They are made the way real ones are —
 * a dealer orders, the approval workflow approves and issues the invoice (number, receivable,
 * exposure and audit in one transaction) — with the twin's clock turned back while each order
 * goes through (`configureRuntime({ now })`; every use case and workflow task reads
 * `runtime().now()`), so issue and due dates, audit and timeline all carry that past day. The
 * clock is restored before anything else happens. This keeps every invariant the real flow
 * keeps (exposure = open receivables, ledger sums = balances, one audit record per change);
 * nothing is written around the use cases. What cannot be back-dated: the dealers themselves
 * were registered today, and the back-dated invoices' numbers follow today's.
 */

const WAIT_MS = 20_000;
const DAY_MS = 86_400_000;
/** SKUs with deep special prices or promotions (a director step) — same list as the orders demo. */
const AVOID = new Set(['AC-GREE-KFR35GW', 'RF-HAIER-BCD520', 'WA-LITTLESWAN-G100', 'KI-FOTILE-CXW', 'PT-RC-AC-01']);

type DemoDealer = DemoWorld['dealers'][number];

const principals = new Map<string, Principal>();
function principal(role: string, userId: string, dealerId?: string): Principal {
  const key = `${role}|${userId}`;
  let found = principals.get(key);
  if (!found) {
    found = resolvePrincipal({ userId, username: userId, roles: [role], regions: [], ...(dealerId ? { dealerId } : {}) }, [BUILT_IN_ROLES.get(role)!]);
    principals.set(key, found);
  }
  return found;
}
const ADMIN = () => principal('admin', 'system:seed');
const FINANCE = () => principal('finance', 'system:seed-finance');
/** A second finance user: whoever records a payable cannot approve it (four-eyes). */
const CONTROLLER = () => principal('finance', 'system:seed-finance-controller');
const DIRECTOR = () => principal('sales_director', 'system:seed-sales-director');
const dealerUser = (dealer: DemoDealer) => principal('dealer_admin', `system:seed-dealer-${dealer.code.toLowerCase()}`, dealer.id);

function context(actor: Principal): RequestContext {
  const { now, newId } = runtime();
  return { principal: actor, requestId: `seed-${newId()}`, now: now(), newId };
}

/** Runs `work` with the twin's clock `daysAgo` days back (the wall clock keeps ticking), then restores it. */
async function daysAgo<T>(days: number, work: () => Promise<T>): Promise<T> {
  configureRuntime({ now: () => new Date(Date.now() - days * DAY_MS) });
  try {
    return await work();
  } finally {
    configureRuntime({ now: () => new Date() });
  }
}

/** A few units of SKUs the warehouse still has (the orders demo leaves some of each behind). */
async function linePicker(location: string): Promise<(grossYuan: number) => OrderLineInput[]> {
  const candidates = demoProducts().filter((p) => p.status === 'active' && !AVOID.has(p.sku) && /^(AC|RF|WA|KI)-/.test(p.sku) && !p.orderMultiple && !p.minOrderQuantity);
  const { data } = await dms().entities.stockLevel.get(candidates.map((p) => ({ locationCode: location, sku: p.sku }))).go();
  const available = new Map((data as { sku: string; available: number }[]).map((l) => [l.sku, l.available]));
  let offset = 0;
  return (grossYuan) => {
    // List price × ~1.02 ≈ gross (tier discount and VAT roughly cancel): aim at `grossYuan`.
    const lines: OrderLineInput[] = [];
    let remaining = grossYuan / 1.02;
    for (let k = 0; k < candidates.length && remaining > 0 && lines.length < 4; k += 1) {
      const product = candidates[(offset + k) % candidates.length]!;
      const price = product.listPrice.amount / 100;
      const quantity = Math.min((available.get(product.sku) ?? 0) - 3, Math.max(1, Math.round(remaining / price)), 3);
      if (quantity < 1) continue;
      lines.push({ sku: product.sku, quantity });
      available.set(product.sku, available.get(product.sku)! - quantity);
      remaining -= quantity * price;
    }
    offset += lines.length + 1;
    if (lines.length === 0) throw new Error(`no demo stock left at ${location}`);
    return lines;
  };
}

export async function seedFinance(world: DemoWorld): Promise<void> {
  const { orders } = ordersRuntime();
  const active = world.dealers.filter((d) => d.status === 'active');
  // Dealers the orders demo leaves alone (the first 7 of CN-EAST, 5 of CN-SOUTH and the first
  // active dealer), supplied from the warehouse of their region.
  const used = new Set([...active.filter((d) => d.region === 'CN-EAST').slice(0, 7), ...active.filter((d) => d.region === 'CN-SOUTH').slice(0, 5), ...active.slice(0, 1)]);
  const spare = active.filter((d) => !used.has(d)).map((d) => ({ dealer: d, location: d.region === 'CN-SOUTH' ? 'WH-GZ-01' : 'WH-SH-01' }));
  if (spare.length < 5) return;
  const [held, partial, overpaid, reversed, wallet] = spare as [typeof spare[number], typeof spare[number], typeof spare[number], typeof spare[number], typeof spare[number]];
  const pickers = new Map<string, (grossYuan: number) => OrderLineInput[]>();
  for (const { location } of spare.slice(0, 5)) if (!pickers.has(location)) pickers.set(location, await linePicker(location));

  const read = (id: string) => orders.get(ADMIN(), id);
  /** The dealer orders on the portal `days` ago; the workflow auto-approves and issues the invoice on that day. */
  const invoiced = async (who: typeof spare[number], days: number, grossYuan: number, customerReference: string): Promise<Order> =>
    daysAgo(days, async () => {
      const ctx = context(dealerUser(who.dealer));
      const { result, events } = await orders.create(ctx, { lines: pickers.get(who.location)!(grossYuan), submit: true, fulfilmentLocation: who.location, customerReference });
      await publishEvents(ctx, events);
      if (result.approvalSteps.length > 0) throw new Error(`order ${result.number} of ${who.dealer.code} needs approval by ${result.approvalSteps.map((s) => s.role).join(', ')}; the finance demo expects auto-approval`);
      const deadline = Date.now() + WAIT_MS;
      for (;;) {
        const order = await read(result.id);
        if (order.invoiceNumber && order.documents.some((d) => d.kind === 'invoice_pdf')) return order;
        if (Date.now() > deadline) throw new Error(`order ${order.number} of ${who.dealer.code} was not invoiced (still ${order.status})`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    });

  // Credit lines (a director requests, finance approves), before the first back-dated order.
  await daysAgo(150, async () => {
    for (const { dealer } of spare.slice(0, 5)) {
      const requested = await limitRequestService().request(context(DIRECTOR()), dealer.id, { newLimit: 50_000_000, reason: '年度授信 annual credit line' });
      await limitRequestService().decide(context(FINANCE()), dealer.id, requested.id, { decision: 'approve', comment: '同意 approved' });
    }
  });

  // Invoices (30-day terms): due = issue + 30. The held dealer's are issued newest first, so that
  // none of its earlier debt is already > 30 days overdue when it orders (that would route the
  // order to finance instead of auto-approving it).
  await invoiced(held, 75, 12_000, 'PO-HX-0903'); // due 45 days ago: 31–60
  await invoiced(held, 105, 9_000, 'PO-HX-0804'); // due 75 days ago: 61–90
  await invoiced(held, 140, 15_000, 'PO-HX-0630'); // due 110 days ago: 90+
  const partialOrder = await invoiced(partial, 45, 16_000, 'PO-PT-1013'); // due 15 days ago: 1–30
  const paidOrder = await invoiced(overpaid, 40, 8_000, 'PO-OP-1018'); // paid in full
  await invoiced(overpaid, 12, 6_000, 'PO-OP-1116'); // current (due in 18 days), paid in full
  const bouncedOrder = await invoiced(reversed, 35, 10_000, 'PO-RV-1023'); // due 5 days ago: 1–30, its payment bounced
  await invoiced(wallet, 8, 7_000, 'PO-WL-1120'); // current, open

  // Payments, recorded by finance from the bank statement (value dates in the past).
  const fin = finance();
  const today = businessDate(runtime().now());
  const gross = (order: Order) => order.totals.gross;
  /** Bank statement reference (银行流水号): bank, value date, serial. */
  const ref = (bank: string, valueDate: string, serial: string) => `${bank}-${valueDate.replace(/-/g, '')}-${serial}`;
  await fin.recordPayment(context(FINANCE()), {
    dealerId: paidOrder.dealerId, amount: gross(paidOrder), currency: paidOrder.currency, valueDate: addDays(today, -20), method: 'bank_transfer',
    bankReference: ref('ICBC', addDays(today, -20), '0001'), allocations: [{ invoiceNumber: paidOrder.invoiceNumber!, amount: gross(paidOrder) }], note: '货款 payment for the October order',
  });
  await fin.recordPayment(context(FINANCE()), {
    dealerId: partial.dealer.id, amount: Math.round(gross(partialOrder) / 2 / 100) * 100, currency: partialOrder.currency, valueDate: addDays(today, -6), method: 'bank_acceptance',
    bankReference: ref('CMB', addDays(today, -6), '0417'), note: '部分回款，余款下月结清 partial payment',
  });
  // More than the open invoice (oldest due first): the rest goes to the prepayment wallet.
  await fin.recordPayment(context(FINANCE()), {
    dealerId: overpaid.dealer.id, amount: 2_000_000, currency: paidOrder.currency, valueDate: addDays(today, -2), method: 'bank_transfer',
    bankReference: ref('BOC', addDays(today, -2), '0932'), note: '预付货款 payment with advance for December',
  });
  const bounced = await fin.recordPayment(context(FINANCE()), {
    dealerId: reversed.dealer.id, amount: gross(bouncedOrder), currency: bouncedOrder.currency, valueDate: addDays(today, -3), method: 'bank_acceptance',
    bankReference: ref('ABC', addDays(today, -3), '0088'), note: '银行承兑汇票 acceptance bill',
  });
  await fin.reversePayment(context(FINANCE()), bounced.payment.id, '承兑汇票被拒付 acceptance bill dishonoured');

  // Wallets: a security deposit and a rebate granted by hand; a rebate payable settled to the account.
  await fin.postEntry(context(FINANCE()), wallet.dealer.id, { account: 'deposit', amount: 5_000_000, reason: '经销保证金 dealer security deposit', reference: 'DEP-2026-0007' });
  await fin.postEntry(context(FINANCE()), overpaid.dealer.id, { account: 'deposit', amount: 2_000_000, reason: '经销保证金 dealer security deposit', reference: 'DEP-2026-0008' });
  await fin.postEntry(context(FINANCE()), wallet.dealer.id, { account: 'rebate', amount: 300_000, reason: 'Q3 进货返利 Q3 volume rebate', reference: 'RB-2026-Q3-0012' });

  // Payables: settled (rebate credited to the rebate wallet), approved (refund), draft (commission).
  const rebate = await createPayable(context(FINANCE()), { dealerId: overpaid.dealer.id, kind: 'rebate', amount: 450_000, currency: 'CNY', reason: 'Q3 进货返利 Q3 volume rebate', reference: 'RB-2026-Q3-0015' });
  const rebateApproved = await approvePayable(context(CONTROLLER()), rebate.id, rebate.version);
  await settlePayable(context(FINANCE()), rebate.id, rebateApproved.version, { method: 'account_credit', note: '抵扣货款 credited to the rebate account' });
  const refund = await createPayable(context(FINANCE()), { dealerId: partial.dealer.id, kind: 'refund', amount: 128_000, currency: 'CNY', reason: '退货退款 refund for returned goods', reference: 'RMA-2026-0031', dueDate: addDays(today, 7) });
  await approvePayable(context(CONTROLLER()), refund.id, refund.version);
  await createPayable(context(FINANCE()), { dealerId: wallet.dealer.id, kind: 'commission', amount: 86_000, currency: 'CNY', reason: '10月代销佣金 October consignment commission', reference: 'COM-2026-10' });

  // The daily hold review puts the dealer with debt > 30 days overdue on hold; evaluations score
  // the finance demo's dealers and two of the orders demo's (clean history, no history).
  await reviewCreditHolds(context(CREDIT_SCHEDULER), today);
  const evaluated = [...spare.slice(0, 5).map((s) => s.dealer.id), ...active.filter((d) => d.region === 'CN-EAST').slice(0, 1).map((d) => d.id), ...spare.slice(5, 6).map((s) => s.dealer.id)];
  for (const dealerId of evaluated) await creditEvaluationService().evaluateOnDemand(context(FINANCE()), dealerId);
}
