import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '../../domain/orders/order';
import { getReceivable } from '../../functions/adapters/dynamo/receivables';
import { ORDER_APPROVAL_WORKFLOW } from '../../functions/workflows/registry';
import { orderDocumentRenderer } from '../../functions/adapters/documents/order-document-files';
import { useDocumentRenderer } from '../../functions/adapters/orders-runtime';
import type { OrderDocumentRenderer } from '../../domain/orders/order-service';
import { idempotencyKey, startTestTwin, type ApiResponse, type TestTwin } from '../support/twin';
import { createActiveDealer, createProducts, createWarehouse, creditCounters, putStock, setCredit, stockOf, type TestProduct } from '../support/orders-world';
import { readOrder, waitForOrder } from '../support/order-api';

/**
 * Every path of the order-to-cash flow through the API, on DynamoDB Local and the local ASL
 * interpreter running the definition CDK deploys.
 */

let twin: TestTwin;
let admin: string;
let warehouse: string;
let products: TestProduct[];
const tokens: Record<string, string> = {};

async function call(method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
  return twin.request(method, path, { token, ...(body !== undefined ? { body } : {}), headers });
}

const post = (path: string, token: string, body?: unknown) => call('POST', path, token, body, { 'idempotency-key': idempotencyKey() });

const orderOf = (id: string): Promise<Order> => readOrder(twin, admin, id);
const until = (id: string, predicate: (order: Order) => boolean, timeoutMs?: number): Promise<Order> => waitForOrder(twin, admin, id, predicate, timeoutMs);

const pendingLevel = (level: number) => (order: Order) => order.status === 'pending_approval' && order.approvalSteps[level - 1]?.status === 'pending';

/** Types of the events published about an order, in order. */
function eventsFor(orderId: string): string[] {
  return twin.bus.published.filter((e) => (e.detail as { orderId?: string }).orderId === orderId).map((e) => e.type);
}

async function execution(orderId: string) {
  return twin.workflows.wait(twin.workflows.executionIdOf(ORDER_APPROVAL_WORKFLOW, orderId));
}

/** Lines whose gross is about `yuan` (list price × quantity plus VAT). */
function linesWorth(yuan: number) {
  const product = products[0]!;
  const quantity = Math.max(1, Math.round((yuan * 100) / (product.listPrice * 1.13)));
  return [{ sku: product.sku, quantity }];
}

beforeAll(async () => {
  twin = await startTestTwin();
  admin = await twin.token('admin');
  warehouse = (await createWarehouse('CN-EAST', 'WH-E-01')).code;
  products = await createProducts(4);
  for (const product of products) await putStock(warehouse, product.sku, 100_000);
  tokens.manager = await twin.token('sales_manager', { userId: 'mgr-east', regions: ['CN-EAST'] });
  tokens.managerSouth = await twin.token('sales_manager', { userId: 'mgr-south', regions: ['CN-SOUTH'] });
  tokens.director = await twin.token('sales_director', { userId: 'director-1' });
  tokens.finance = await twin.token('finance', { userId: 'finance-1' });
  tokens.warehouse = await twin.token('warehouse', { userId: 'wh-1' });
}, 60_000);

afterAll(async () => {
  await twin?.close();
});

async function dealerWithCredit(limit = 100_000_000) {
  const dealer = await createActiveDealer('CN-EAST');
  await setCredit(dealer, { creditLimit: limit, paymentTermsDays: 30 });
  const token = await twin.token('dealer_admin', { userId: `dealer-user-${dealer.id}`, dealerId: dealer.id });
  return { dealer, token };
}

describe('orders: submission and auto-approval', () => {
  it('prices, reserves, numbers and auto-approves a small order; documents, receivable and exposure follow', async () => {
    const { dealer, token } = await dealerWithCredit();
    const lines = [
      { sku: products[0]!.sku, quantity: 2 },
      { sku: products[1]!.sku, quantity: 3 },
    ];
    const created = await post('/orders', token, { lines, submit: true, customerReference: 'PO-778' });
    expect(created.status, created.text).toBe(201);
    const submitted: Order = created.body;
    expect(submitted.status).toBe('submitted');
    expect(submitted.number).toMatch(/^SO-\d{4}-\d{6}$/);
    expect(submitted.channel).toBe('online_portal');
    expect(submitted.approvalSteps).toEqual([]);
    expect(submitted.lines[0]).toMatchObject({ sku: products[0]!.sku, quantity: 2, listPrice: products[0]!.listPrice, unitPrice: products[0]!.listPrice });
    const gross = submitted.lines.reduce((sum, l) => sum + l.lineGross, 0);
    expect(submitted.totals.gross).toBe(gross);

    const done = await execution(submitted.id);
    expect(done.status).toBe('SUCCEEDED');
    const order = await orderOf(submitted.id);
    expect(order.status).toBe('approved');
    expect(order.invoiceNumber).toMatch(/^INV-\d{4}-\d{6}$/);
    expect(order.shippingNoteNumber).toMatch(/^DN-\d{4}-\d{6}$/);
    expect(order.documents.map((d) => d.kind).sort()).toEqual(['invoice_json', 'invoice_pdf', 'invoice_xml', 'shipping_note_pdf']);
    expect(twin.workflows.transitions(done.executionId)).toEqual(['Next step', 'Route', 'Mark approved', 'Approved?', 'Issue documents', 'Issue invoice', 'Issue shipping note', 'Done']);

    expect((await stockOf(warehouse, products[0]!.sku)).reserved).toBeGreaterThanOrEqual(2);
    const receivable = await getReceivable(order.invoiceNumber!);
    expect(receivable).toMatchObject({ amount: gross, open: gross, status: 'open', dealerId: dealer.id });
    expect(await creditCounters(dealer.id)).toEqual({ openOrders: 0, openReceivables: gross });

    expect(eventsFor(order.id)).toEqual(expect.arrayContaining(['order.submitted.v1', 'order.approved.v1', 'invoice.issued.v1']));
    const sales = await call('GET', `/sales-statistics?groupBy=dealer&granularity=month`, admin);
    expect(sales.status, sales.text).toBe(200);
    expect(sales.body.rows.find((r: { key: string }) => r.key === dealer.id)).toMatchObject({ orders: 1, gross });

    const link = await call('GET', `/orders/${order.id}/documents/invoice_pdf`, token);
    expect(link.status, link.text).toBe(200);
    const pdf = await fetch(link.body.url);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');

    const timeline = await call('GET', `/orders/${order.id}/timeline`, token);
    expect(timeline.body.items.map((e: { type: string }) => e.type)).toEqual(['created', 'submitted', 'approved', ...timeline.body.items.slice(3).map((e: { type: string }) => e.type)]);
    expect(new Set(timeline.body.items.slice(3).map((e: { type: string }) => e.type))).toEqual(new Set(['invoice_issued', 'shipping_note_issued']));
  });
});

describe('orders: validation', () => {
  it('names every bad line and changes nothing', async () => {
    const { token } = await dealerWithCredit();
    const [minimum] = await createProducts(1, { minOrderQuantity: 10, orderMultiple: 5 });
    const [discontinued] = await createProducts(1, { status: 'discontinued' });
    await putStock(warehouse, minimum!.sku, 1000);
    const response = await post('/orders', token, {
      submit: true,
      lines: [
        { sku: 'NOPE-404', quantity: 1 },
        { sku: minimum!.sku, quantity: 7 },
        { sku: discontinued!.sku, quantity: 1 },
      ],
    });
    expect(response.status, response.text).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const codes = response.body.errors.map((e: { path: string; code: string }) => `${e.path}:${e.code}`);
    expect(codes).toEqual(expect.arrayContaining(['body/lines/0/sku:unknown_sku', 'body/lines/1/quantity:below_minimum_order_quantity', 'body/lines/1/quantity:not_order_multiple', 'body/lines/2/sku:product_discontinued']));
    expect((await stockOf(warehouse, minimum!.sku)).reserved).toBe(0);
  });

  it('short stock is a 409 naming the line and what is available; nothing is reserved', async () => {
    const { token, dealer } = await dealerWithCredit();
    const [scarce] = await createProducts(1);
    await putStock(warehouse, scarce!.sku, 3);
    const response = await post('/orders', token, { submit: true, lines: [{ sku: products[2]!.sku, quantity: 1 }, { sku: scarce!.sku, quantity: 5 }] });
    expect(response.status, response.text).toBe(409);
    expect(response.body.code).toBe('insufficient_stock');
    expect(response.body.errors[0]).toMatchObject({ path: 'lines/1/quantity', code: 'insufficient_stock' });
    expect(response.body.errors[0].message).toContain('3 available');
    expect(await stockOf(warehouse, scarce!.sku)).toMatchObject({ reserved: 0, available: 3 });
    expect(await creditCounters(dealer.id)).toEqual({ openOrders: 0, openReceivables: 0 });
  });

  it('a dealer cannot order for another dealer (404) and drafts can be edited then submitted', async () => {
    const { token } = await dealerWithCredit();
    const other = await createActiveDealer('CN-EAST');
    const foreign = await post('/orders', token, { dealerId: other.id, lines: [{ sku: products[0]!.sku, quantity: 1 }] });
    expect(foreign.status).toBe(404);

    const draft = await post('/orders', token, { lines: [{ sku: products[0]!.sku, quantity: 1 }] });
    expect(draft.status, draft.text).toBe(201);
    expect(draft.body).toMatchObject({ status: 'draft', approvalSteps: [] });
    expect(draft.body.number).toBeUndefined();
    const edited = await call('PATCH', `/orders/${draft.body.id}`, token, { lines: [{ sku: products[1]!.sku, quantity: 4 }], notes: '请周五前送达' }, { 'if-match': draft.headers.get('etag')! });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body.lines).toHaveLength(1);
    expect(edited.body.totals.gross).toBe(edited.body.lines[0].lineGross);
    const stale = await call('PATCH', `/orders/${draft.body.id}`, token, { notes: 'x' }, { 'if-match': draft.headers.get('etag')! });
    expect(stale.status).toBe(412);
    const submitted = await post(`/orders/${draft.body.id}/submit`, token);
    expect(submitted.status, submitted.text).toBe(200);
    expect(submitted.body.status).toBe('submitted');
    expect((await execution(draft.body.id)).status).toBe('SUCCEEDED');
    const again = await post(`/orders/${draft.body.id}/submit`, token);
    expect(again.status).toBe(409);
  });
});

describe('orders: approval chains', () => {
  it('one level: the regional sales manager approves from the inbox', async () => {
    const { token } = await dealerWithCredit();
    const submitted = (await post('/orders', token, { submit: true, lines: linesWorth(60_000) })).body as Order;
    expect(submitted.approvalSteps.map((s) => s.role)).toEqual(['sales_manager']);
    await until(submitted.id, pendingLevel(1));
    const inbox = await call('GET', '/approvals/pending', tokens.manager!);
    expect(inbox.body.items.map((i: { orderId: string }) => i.orderId)).toContain(submitted.id);
    const southInbox = await call('GET', '/approvals/pending', tokens.managerSouth!);
    expect(southInbox.body.items.map((i: { orderId: string }) => i.orderId)).not.toContain(submitted.id);
    expect((await post(`/orders/${submitted.id}/approvals`, tokens.managerSouth!, { decision: 'approve' })).status).toBe(404);
    expect((await post(`/orders/${submitted.id}/approvals`, tokens.director!, { decision: 'approve' })).status).toBe(403);
    const decided = await post(`/orders/${submitted.id}/approvals`, tokens.manager!, { decision: 'approve', comment: '同意' });
    expect(decided.status, decided.text).toBe(200);
    const done = await execution(submitted.id);
    expect(done.status).toBe('SUCCEEDED');
    const order = await orderOf(submitted.id);
    expect(order.status).toBe('approved');
    expect(order.approvalSteps[0]).toMatchObject({ status: 'approved', decidedBy: 'mgr-east', comment: '同意' });
    expect(twin.workflows.transitions(done.executionId).slice(0, 6)).toEqual(['Next step', 'Route', 'Await approval', 'Decision', 'Next step', 'Route']);
  });

  it('two levels: manager, then director; the creator may not approve their own order', async () => {
    const { dealer } = await dealerWithCredit();
    // A sales manager orders on behalf of the dealer: they may not approve it themselves.
    const creator = await twin.token('sales_manager', { userId: 'mgr-creator', regions: ['CN-EAST'] });
    const submitted = (await post('/orders', creator, { dealerId: dealer.id, submit: true, lines: linesWorth(250_000) })).body as Order;
    expect(submitted.channel).toBe('sales_rep');
    expect(submitted.approvalSteps.map((s) => s.role)).toEqual(['sales_manager', 'sales_director']);
    await until(submitted.id, pendingLevel(1));
    const own = await post(`/orders/${submitted.id}/approvals`, creator, { decision: 'approve' });
    expect(own.status).toBe(403);
    expect(own.body.code).toBe('own_order');
    expect((await post(`/orders/${submitted.id}/approvals`, tokens.manager!, { decision: 'approve' })).status).toBe(200);
    await until(submitted.id, pendingLevel(2));
    expect((await post(`/orders/${submitted.id}/approvals`, tokens.director!, { decision: 'approve' })).status).toBe(200);
    expect((await execution(submitted.id)).status).toBe('SUCCEEDED');
    expect((await orderOf(submitted.id)).status).toBe('approved');
  });

  it('credit override: exceeding the limit adds a finance step and the order says why', async () => {
    const { token, dealer } = await dealerWithCredit(1_000_000);
    const submitted = (await post('/orders', token, { submit: true, lines: linesWorth(20_000) })).body as Order;
    expect(submitted.credit!.excess).toBeGreaterThan(0);
    expect(submitted.credit!.reasons[0]).toContain('would exceed the credit limit');
    expect(submitted.approvalSteps.map((s) => s.role)).toEqual(['finance']);
    await until(submitted.id, pendingLevel(1));
    expect((await post(`/orders/${submitted.id}/approvals`, tokens.manager!, { decision: 'approve' })).status).toBe(403);
    expect((await post(`/orders/${submitted.id}/approvals`, tokens.finance!, { decision: 'approve', comment: '预付款已到' })).status).toBe(200);
    expect((await execution(submitted.id)).status).toBe('SUCCEEDED');
    const order = await orderOf(submitted.id);
    expect(order.status).toBe('approved');
    expect(await creditCounters(dealer.id)).toEqual({ openOrders: 0, openReceivables: order.totals.gross });
  });

  it('rejection at level 2 closes the order and releases its stock', async () => {
    const { token, dealer } = await dealerWithCredit();
    const [product] = await createProducts(1, { listPrice: 5_000_000 });
    await putStock(warehouse, product!.sku, 50);
    const submitted = (await post('/orders', token, { submit: true, lines: [{ sku: product!.sku, quantity: 5 }] })).body as Order;
    expect(submitted.approvalSteps.map((s) => s.role)).toEqual(['sales_manager', 'sales_director']);
    expect(await stockOf(warehouse, product!.sku)).toMatchObject({ reserved: 5, available: 45 });
    await until(submitted.id, pendingLevel(1));
    expect((await post(`/orders/${submitted.id}/approvals`, tokens.manager!, { decision: 'approve' })).status).toBe(200);
    await until(submitted.id, pendingLevel(2));
    const rejected = await post(`/orders/${submitted.id}/approvals`, tokens.director!, { decision: 'reject', comment: '价格过低' });
    expect(rejected.status, rejected.text).toBe(200);
    expect(rejected.body.status).toBe('rejected');
    expect((await execution(submitted.id)).status).toBe('SUCCEEDED');
    const order = await orderOf(submitted.id);
    expect(order).toMatchObject({ status: 'rejected' });
    expect(order.closedReason).toContain('价格过低');
    expect(await stockOf(warehouse, product!.sku)).toMatchObject({ onHand: 50, reserved: 0, available: 50 });
    expect(await creditCounters(dealer.id)).toEqual({ openOrders: 0, openReceivables: 0 });
    const types = (await call('GET', `/orders/${order.id}/timeline`, admin)).body.items.map((e: { type: string }) => e.type);
    expect(types).toEqual(['created', 'submitted', 'approval_requested', 'approval_approved', 'approval_requested', 'approval_rejected']);
    expect(eventsFor(order.id)).toEqual(['order.submitted.v1', 'order.approval_requested.v1', 'order.approval_requested.v1', 'order.rejected.v1']);
  });

  it('50 concurrent approvals of one pending step: exactly one takes effect', async () => {
    const { token } = await dealerWithCredit();
    const submitted = (await post('/orders', token, { submit: true, lines: linesWorth(60_000) })).body as Order;
    await until(submitted.id, pendingLevel(1));
    const responses = await Promise.all(Array.from({ length: 50 }, () => post(`/orders/${submitted.id}/approvals`, tokens.manager!, { decision: 'approve' })));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    expect((await execution(submitted.id)).status).toBe('SUCCEEDED');
    const order = await orderOf(submitted.id);
    expect(order.status).toBe('approved');
    const decisions = (await call('GET', `/orders/${order.id}/timeline`, admin)).body.items.filter((e: { type: string }) => e.type === 'approval_approved');
    expect(decisions).toHaveLength(1);
  });
});

describe('orders: timeouts', () => {
  it('a step that times out escalates to the next role; when that one times out too the order expires and its stock is released', async () => {
    const defaults = twin.workflows.startDefaults[ORDER_APPROVAL_WORKFLOW]!;
    defaults.callbackTimeoutOverrides = { 'Await approval': 400 };
    try {
      const { token, dealer } = await dealerWithCredit();
      const [product] = await createProducts(1, { listPrice: 2_000_000 });
      await putStock(warehouse, product!.sku, 10);
      const submitted = (await post('/orders', token, { submit: true, lines: [{ sku: product!.sku, quantity: 3 }] })).body as Order;
      expect(submitted.approvalSteps.map((s) => s.role)).toEqual(['sales_manager']);
      const done = await execution(submitted.id);
      expect(done.status).toBe('SUCCEEDED');
      const order = await orderOf(submitted.id);
      expect(order.status).toBe('expired');
      expect(order.approvalSteps.map((s) => [s.role, s.status])).toEqual([
        ['sales_manager', 'escalated'],
        ['sales_director', 'expired'],
      ]);
      expect(order.closedReason).toContain('did not decide');
      expect(await stockOf(warehouse, product!.sku)).toMatchObject({ reserved: 0, available: 10 });
      expect(await creditCounters(dealer.id)).toEqual({ openOrders: 0, openReceivables: 0 });
      expect(twin.workflows.transitions(done.executionId)).toEqual([
        'Next step', 'Route', 'Await approval', 'Step timed out', 'After timeout',
        'Next step', 'Route', 'Await approval', 'Step timed out', 'After timeout', 'Closed',
      ]);
      const late = await post(`/orders/${submitted.id}/approvals`, tokens.director!, { decision: 'approve' });
      expect(late.status).toBe(409);
    } finally {
      delete defaults.callbackTimeoutOverrides;
    }
  });

  it('an escalated step is decided by the next level', async () => {
    const defaults = twin.workflows.startDefaults[ORDER_APPROVAL_WORKFLOW]!;
    defaults.callbackTimeoutOverrides = { 'Await approval': 400 };
    let submitted: Order;
    try {
      const { token } = await dealerWithCredit();
      submitted = (await post('/orders', token, { submit: true, lines: linesWorth(60_000) })).body as Order;
      await until(submitted.id, (o) => o.approvalSteps[1]?.status === 'pending');
    } finally {
      delete defaults.callbackTimeoutOverrides;
    }
    // The overrides apply per execution at start: this one keeps its 400 ms, so decide quickly.
    const decided = await post(`/orders/${submitted.id}/approvals`, tokens.director!, { decision: 'approve' });
    if (decided.status === 200) {
      expect((await execution(submitted.id)).status).toBe('SUCCEEDED');
      expect((await orderOf(submitted.id)).status).toBe('approved');
    } else {
      // The director's step timed out before the call: then it expired, which is the other branch.
      expect(decided.status).toBe(409);
      expect((await orderOf(submitted.id)).status).toBe('expired');
    }
  });
});

describe('orders: cancellation', () => {
  it('a dealer cancels while pending: the workflow stops and the stock comes back', async () => {
    const { token, dealer } = await dealerWithCredit();
    const [product] = await createProducts(1, { listPrice: 2_000_000 });
    await putStock(warehouse, product!.sku, 10);
    const submitted = (await post('/orders', token, { submit: true, lines: [{ sku: product!.sku, quantity: 4 }] })).body as Order;
    await until(submitted.id, pendingLevel(1));
    const cancelled = await post(`/orders/${submitted.id}/cancel`, token, { reason: '客户取消' });
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect((await execution(submitted.id)).status).toBe('ABORTED');
    expect(await stockOf(warehouse, product!.sku)).toMatchObject({ reserved: 0, available: 10 });
    expect(await creditCounters(dealer.id)).toEqual({ openOrders: 0, openReceivables: 0 });
    const inbox = await call('GET', '/approvals/pending', tokens.manager!);
    expect(inbox.body.items.map((i: { orderId: string }) => i.orderId)).not.toContain(submitted.id);
    expect((await post(`/orders/${submitted.id}/approvals`, tokens.manager!, { decision: 'approve' })).status).toBe(409);
  });

  it('after approval only staff may cancel; the invoice and its receivable are voided', async () => {
    const { token, dealer } = await dealerWithCredit();
    const [product] = await createProducts(1);
    await putStock(warehouse, product!.sku, 10);
    const submitted = (await post('/orders', token, { submit: true, lines: [{ sku: product!.sku, quantity: 2 }] })).body as Order;
    await execution(submitted.id);
    const approved = await orderOf(submitted.id);
    expect(approved.status).toBe('approved');
    const byDealer = await post(`/orders/${submitted.id}/cancel`, token, { reason: '不要了' });
    expect(byDealer.status).toBe(409);
    expect(byDealer.body.code).toBe('order_not_cancellable');
    const byStaff = await post(`/orders/${submitted.id}/cancel`, tokens.director!, { reason: '客户信用问题' });
    expect(byStaff.status, byStaff.text).toBe(200);
    expect(await stockOf(warehouse, product!.sku)).toMatchObject({ reserved: 0, available: 10 });
    expect((await getReceivable(approved.invoiceNumber!))!.status).toBe('void');
    expect(eventsFor(submitted.id)).toContain('order.cancelled.v1');
    // The cancelled order's sales are taken back out of the statistics.
    const sales = await call('GET', `/sales-statistics?groupBy=dealer&granularity=month`, admin);
    expect(sales.body.rows.find((r: { key: string }) => r.key === dealer.id)).toBeUndefined();
    expect(await creditCounters(dealer.id)).toEqual({ openOrders: 0, openReceivables: 0 });
  });
  it('cancelling an order whose invoice was already paid (from prepayment) voids it and credits the payment back to prepayment', async () => {
    const { token, dealer } = await dealerWithCredit();
    const financeToken = tokens.finance!;
    // An advance payment with no open invoice: all of it becomes prepayment.
    const advance = await post('/payments', financeToken, { dealerId: dealer.id, amount: 50_000, currency: 'CNY', valueDate: '2026-11-01', method: 'bank_transfer', bankReference: `ADV-${dealer.id}` });
    expect(advance.status, advance.text).toBe(201);
    const [product] = await createProducts(1);
    await putStock(warehouse, product!.sku, 10);
    const submitted = (await post('/orders', token, { submit: true, lines: [{ sku: product!.sku, quantity: 1 }] })).body as Order;
    await execution(submitted.id);
    const approved = await orderOf(submitted.id);
    const paid = await getReceivable(approved.invoiceNumber!);
    expect(paid!.paid).toBe(50_000); // auto-matched from prepayment
    const cancelled = await post(`/orders/${submitted.id}/cancel`, tokens.director!, { reason: '客户取消' });
    expect(cancelled.status, cancelled.text).toBe(200);
    expect((await getReceivable(approved.invoiceNumber!))!).toMatchObject({ status: 'void', open: 0 });
    const account = await call('GET', `/dealers/${dealer.id}/account`, financeToken);
    expect(account.body.balances.prepayment).toBe(50_000);
    const entries = (await call('GET', `/dealers/${dealer.id}/account/entries?limit=100`, financeToken)).body.items as { amount: number; kind: string; account: string }[];
    expect(entries.map((e) => e.kind).sort()).toEqual(['auto_match', 'invoice_void', 'payment']);
    expect(entries.filter((e) => e.account === 'prepayment').reduce((sum, e) => sum + e.amount, 0)).toBe(50_000);
    expect(await creditCounters(dealer.id)).toEqual({ openOrders: 0, openReceivables: 0 });
    expect(await stockOf(warehouse, product!.sku)).toMatchObject({ reserved: 0, available: 10 });
  });
});

describe('orders: shipments', () => {
  it('partial then full shipment, then the dealer confirms receipt', async () => {
    const { token } = await dealerWithCredit();
    const [a, b] = await createProducts(2);
    await putStock(warehouse, a!.sku, 20);
    await putStock(warehouse, b!.sku, 20);
    const submitted = (await post('/orders', token, { submit: true, lines: [{ sku: a!.sku, quantity: 5 }, { sku: b!.sku, quantity: 3 }] })).body as Order;
    await execution(submitted.id);
    expect((await post(`/orders/${submitted.id}/shipments`, token, { lines: [{ sku: a!.sku, quantity: 1 }], carrier: '顺丰', trackingNumber: 'SF1' })).status).toBe(403);
    const over = await post(`/orders/${submitted.id}/shipments`, tokens.warehouse!, { lines: [{ sku: a!.sku, quantity: 6 }], carrier: '顺丰', trackingNumber: 'SF1' });
    expect(over.status).toBe(400);
    expect(over.body.errors[0].code).toBe('exceeds_open_quantity');
    const first = await post(`/orders/${submitted.id}/shipments`, tokens.warehouse!, { lines: [{ sku: a!.sku, quantity: 2 }], carrier: '顺丰速运', trackingNumber: 'SF1001' });
    expect(first.status, first.text).toBe(201);
    expect((await orderOf(submitted.id)).status).toBe('partially_shipped');
    expect(await stockOf(warehouse, a!.sku)).toEqual({ onHand: 18, reserved: 3, available: 15 });
    expect((await post(`/orders/${submitted.id}/receipt`, token, {})).status).toBe(409);
    const second = await post(`/orders/${submitted.id}/shipments`, tokens.warehouse!, { lines: [{ sku: a!.sku, quantity: 3 }, { sku: b!.sku, quantity: 3 }], carrier: '中通', trackingNumber: 'ZT2002' });
    expect(second.status, second.text).toBe(201);
    const shipped = await orderOf(submitted.id);
    expect(shipped.status).toBe('shipped');
    expect(shipped.lines.map((l) => l.shippedQuantity)).toEqual([5, 3]);
    expect(await stockOf(warehouse, a!.sku)).toEqual({ onHand: 15, reserved: 0, available: 15 });
    expect(await stockOf(warehouse, b!.sku)).toEqual({ onHand: 17, reserved: 0, available: 17 });
    const list = await call('GET', `/orders/${submitted.id}/shipments`, token);
    expect(list.body.items.map((s: { trackingNumber: string }) => s.trackingNumber).sort()).toEqual(['SF1001', 'ZT2002']);
    expect((await post(`/orders/${submitted.id}/cancel`, tokens.director!, { reason: 'x' })).status).toBe(409);
    const received = await post(`/orders/${submitted.id}/receipt`, token, { note: '货已收到' });
    expect(received.status, received.text).toBe(200);
    expect(received.body.status).toBe('completed');
    expect(eventsFor(submitted.id).filter((t) => t === 'shipment.dispatched.v1')).toHaveLength(2);
  });
});

describe('orders: document failures', () => {
  /** The real renderer whose invoice storage fails `failures` times (Infinity: for good). */
  function flakyInvoices(failures: number): { renderer: OrderDocumentRenderer; attempts: () => number } {
    const real = orderDocumentRenderer();
    let attempts = 0;
    return {
      attempts: () => attempts,
      renderer: {
        ...real,
        async store(document, createdAt) {
          if (document.kind === 'invoice') {
            attempts += 1;
            if (attempts <= failures) throw new Error(`injected: document storage unavailable (attempt ${attempts})`);
          }
          return real.store(document, createdAt);
        },
      },
    };
  }

  async function approvedInvoiceNumber(token: string): Promise<string> {
    const order = (await post('/orders', token, { submit: true, lines: [{ sku: products[3]!.sku, quantity: 1 }] })).body as Order;
    await execution(order.id);
    return (await orderOf(order.id)).invoiceNumber!;
  }

  const sequenceOf = (number: string) => Number(number.slice(-6));

  it('the invoice task failing twice then succeeding gives one invoice, one receivable and no number gap', async () => {
    await import('../../functions/workflows/order-approval/issue-invoice');
    const { token, dealer } = await dealerWithCredit();
    const before = await approvedInvoiceNumber(token);
    const flaky = flakyInvoices(2);
    useDocumentRenderer(flaky.renderer);
    try {
      const order = (await post('/orders', token, { submit: true, lines: [{ sku: products[3]!.sku, quantity: 2 }] })).body as Order;
      const done = await execution(order.id);
      expect(done.status).toBe('SUCCEEDED');
      expect(flaky.attempts()).toBe(3);
      const approved = await orderOf(order.id);
      expect(approved.status).toBe('approved');
      expect(sequenceOf(approved.invoiceNumber!)).toBe(sequenceOf(before) + 1);
      expect(approved.documents.filter((d) => d.kind === 'invoice_pdf')).toHaveLength(1);
      expect(await getReceivable(approved.invoiceNumber!)).toMatchObject({ amount: approved.totals.gross, status: 'open' });
      const retried = twin.workflows.history(done.executionId).filter((e) => e.type === 'StateRetried' && e.stateName === 'Issue invoice');
      expect(retried).toHaveLength(2);
      useDocumentRenderer(orderDocumentRenderer());
      const after = await approvedInvoiceNumber(token);
      expect(sequenceOf(after)).toBe(sequenceOf(approved.invoiceNumber!) + 1);
      const counters = await creditCounters(dealer.id);
      expect(counters.openOrders).toBe(0);
    } finally {
      useDocumentRenderer(orderDocumentRenderer());
    }
  });

  it('failing for good ends the order failed, its stock released and its invoice voided', async () => {
    await import('../../functions/workflows/order-approval/issue-invoice');
    const { token, dealer } = await dealerWithCredit();
    const [product] = await createProducts(1);
    await putStock(warehouse, product!.sku, 10);
    useDocumentRenderer(flakyInvoices(Infinity).renderer);
    try {
      const order = (await post('/orders', token, { submit: true, lines: [{ sku: product!.sku, quantity: 2 }] })).body as Order;
      const done = await execution(order.id);
      expect(done).toMatchObject({ status: 'FAILED', error: 'Order.Failed' });
      const failed = await orderOf(order.id);
      expect(failed.status).toBe('failed');
      expect(failed.closedReason).toContain('injected');
      expect(await stockOf(warehouse, product!.sku)).toMatchObject({ reserved: 0, available: 10 });
      if (failed.invoiceNumber) expect((await getReceivable(failed.invoiceNumber))!.status).toBe('void');
      expect(await creditCounters(dealer.id)).toEqual({ openOrders: 0, openReceivables: 0 });
    } finally {
      useDocumentRenderer(orderDocumentRenderer());
    }
  });
});
