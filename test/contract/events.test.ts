import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvelopeSchema } from '../../events/envelope';
import { EVENT_REGISTRY, assertValidEvent, type EventDetail, type EventType } from '../../events/registry';
import { idempotencyKey, newDealerInput, startTestTwin, type TestTwin } from '../support/twin';

/**
 * Examples of the order-to-cash events, for the negative checks of their contracts (unknown
 * fields, missing or wrong values). The flow test below publishes each of them for real.
 */
const ORDER_EXAMPLES: { [T in EventType]?: EventDetail<T> } = {
  'order.submitted.v1': {
    orderId: '01JQ0000000000000000000001',
    orderNumber: 'SO-2026-000123',
    dealerId: '01JQ00000000000000000000D1',
    region: 'CN-EAST',
    channel: 'online_portal',
    currency: 'CNY',
    gross: 6_780_000,
    lineCount: 2,
    approvalRoles: ['sales_manager', 'finance'],
    creditReasons: ['信用额度超出 ¥12,000.00'],
  },
  'order.approval_requested.v1': {
    orderId: '01JQ0000000000000000000001',
    orderNumber: 'SO-2026-000123',
    dealerId: '01JQ00000000000000000000D1',
    region: 'CN-EAST',
    level: 1,
    role: 'sales_manager',
    currency: 'CNY',
    gross: 6_780_000,
    dueAt: '2026-04-03T02:03:04.000Z',
  },
  'order.approved.v1': {
    orderId: '01JQ0000000000000000000001',
    orderNumber: 'SO-2026-000123',
    dealerId: '01JQ00000000000000000000D1',
    region: 'CN-EAST',
    currency: 'CNY',
    gross: 6_780_000,
    approvedAt: '2026-04-01T02:03:04.000Z',
    approvers: [
      { level: 1, role: 'sales_manager', userId: 'user-sm' },
      { level: 2, role: 'finance', userId: 'user-fin' },
    ],
  },
  'order.rejected.v1': {
    orderId: '01JQ0000000000000000000002',
    orderNumber: 'SO-2026-000124',
    dealerId: '01JQ00000000000000000000D1',
    region: 'CN-EAST',
    reason: '折扣过高',
    level: 1,
    role: 'sales_manager',
    by: 'user-sm',
    outcome: 'rejected',
  },
  'order.cancelled.v1': { orderId: '01JQ0000000000000000000003', dealerId: '01JQ00000000000000000000D1', region: 'CN-EAST', reason: '客户取消', by: 'user-dealer', stockReleased: false },
  'invoice.issued.v1': {
    invoiceNumber: 'INV-2026-000001',
    orderId: '01JQ0000000000000000000001',
    orderNumber: 'SO-2026-000123',
    dealerId: '01JQ00000000000000000000D1',
    currency: 'CNY',
    net: 6_000_000,
    vat: 780_000,
    gross: 6_780_000,
    issueDate: '2026-04-01',
    dueDate: '2026-05-01',
  },
  'shipment.dispatched.v1': {
    shipmentId: '01JQ00000000000000000000S1',
    orderId: '01JQ0000000000000000000001',
    orderNumber: 'SO-2026-000123',
    dealerId: '01JQ00000000000000000000D1',
    carrier: '顺丰速运',
    trackingNumber: 'SF1234567890',
    lines: [{ sku: 'PMP-100', quantity: 3 }],
    orderStatus: 'partially_shipped',
  },
};

const envelope = (type: string, detail: unknown) => ({ id: '1', type, occurredAt: '2026-04-01T02:03:04.000Z', correlationId: 'c', actorId: 'a', detail });

let twin: TestTwin;
beforeAll(async () => {
  twin = await startTestTwin();
});
afterAll(() => twin.close());

describe('domain event contracts', () => {
  it('every registered type is named <aggregate>.<event>.v<n>', () => {
    for (const type of Object.keys(EVENT_REGISTRY)) expect(type).toMatch(/^[a-z_]+\.[a-z_]+\.v[0-9]+$/);
  });

  it('every event the API publishes matches its envelope and registered schema', async () => {
    const admin = await twin.token('admin');
    const dealer = (await twin.request('POST', '/dealers', { token: admin, body: newDealerInput(), headers: { 'idempotency-key': idempotencyKey() } })).body;
    await twin.request('POST', `/dealers/${dealer.id}/status`, { token: admin, body: { status: 'active', reason: '签约' }, headers: { 'if-match': '"1"' } });
    // Stock thresholds: on-hand 10 above an overstock level of 8, then available 4 below a reorder point of 5.
    const post = (path: string, body: unknown) => twin.request('POST', path, { token: admin, body, headers: { 'idempotency-key': idempotencyKey() } });
    await post('/products', { sku: 'SKU-CONTRACT', name: '契约测试商品', nameEn: 'contract test product', category: 'AC', unit: 'UNIT', vatRate: 1300, listPrice: { amount: 100_000, currency: 'CNY' } });
    await post('/locations', { code: 'WH-CONTRACT', name: '契约测试仓', kind: 'warehouse', region: 'CN-EAST' });
    await post('/stock/receipts', { locationCode: 'WH-CONTRACT', sku: 'SKU-CONTRACT', quantity: 10 });
    await twin.request('PATCH', '/stock/WH-CONTRACT/SKU-CONTRACT', { token: admin, body: { reorderPoint: 5, overstockLevel: 8 }, headers: { 'if-match': '"1"' } });
    await post('/stock/adjustments', { locationCode: 'WH-CONTRACT', sku: 'SKU-CONTRACT', quantity: -6, reason: '破损' });
    // Order to cash: an auto-approved order shipped, one rejected by the regional manager, one cancelled.
    await post('/products', { sku: 'SKU-ORDERS', name: '契约订单商品', nameEn: 'contract order product', category: 'AC', unit: 'UNIT', vatRate: 1300, listPrice: { amount: 1_000_000, currency: 'CNY' } });
    await post('/stock/receipts', { locationCode: 'WH-CONTRACT', sku: 'SKU-ORDERS', quantity: 100 });
    // A credit line: requested by the admin, approved by finance.
    const limitRequest = await twin.request('POST', `/dealers/${dealer.id}/credit/limit-requests`, { token: admin, body: { newLimit: 1_000_000_000, reason: '年度授信' }, headers: { 'idempotency-key': idempotencyKey() } });
    expect(limitRequest.status, limitRequest.text).toBe(201);
    const financeToken = await twin.token('finance', { userId: 'contract-finance' });
    const decided = await twin.request('POST', `/dealers/${dealer.id}/credit/limit-requests/${limitRequest.body.id}/decision`, { token: financeToken, body: { decision: 'approve' }, headers: { 'idempotency-key': idempotencyKey() } });
    expect(decided.status, decided.text).toBe(200);
    const dealerToken = await twin.token('dealer_admin', { userId: 'contract-dealer', dealerId: dealer.id });
    const manager = await twin.token('sales_manager', { userId: 'contract-mgr', regions: [dealer.region] });
    const shipTo = { recipient: '王经理', phone: '13800138000', province: '上海市', city: '上海', street: '张江路 1 号' };
    const submit = async (quantity: number) => {
      const response = await twin.request('POST', '/orders', { token: dealerToken, body: { lines: [{ sku: 'SKU-ORDERS', quantity }], shipTo, submit: true }, headers: { 'idempotency-key': idempotencyKey() } });
      expect(response.status, response.text).toBe(201);
      return response.body.id as string;
    };
    const settle = async (orderId: string, until: (status: string) => boolean) => {
      for (let i = 0; i < 200; i += 1) {
        const order = (await twin.request('GET', `/orders/${orderId}`, { token: admin })).body;
        if (until(order.status) && (order.status !== 'pending_approval' || order.approvalSteps.some((s: { status: string }) => s.status === 'pending'))) return order;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error(`order ${orderId} did not settle`);
    };
    const shipped = await submit(1);
    await settle(shipped, (status) => status === 'approved');
    await twin.workflows.wait(twin.workflows.executionIdOf('order-approval', shipped));
    const warehouse = await twin.token('warehouse', { userId: 'contract-wh' });
    await twin.request('POST', `/orders/${shipped}/shipments`, { token: warehouse, body: { lines: [{ sku: 'SKU-ORDERS', quantity: 1 }], carrier: '顺丰', trackingNumber: 'SF-C1' }, headers: { 'idempotency-key': idempotencyKey() } });
    const rejected = await submit(6);
    await settle(rejected, (status) => status === 'pending_approval');
    await twin.request('POST', `/orders/${rejected}/approvals`, { token: manager, body: { decision: 'reject', comment: '折扣过高' }, headers: { 'idempotency-key': idempotencyKey() } });
    const cancelled = await submit(7);
    await settle(cancelled, (status) => status === 'pending_approval');
    await twin.request('POST', `/orders/${cancelled}/cancel`, { token: dealerToken, body: { reason: '客户取消' }, headers: { 'idempotency-key': idempotencyKey() } });

    const types = new Set(twin.bus.published.map((e) => e.type));
    expect(types).toEqual(new Set(Object.keys(EVENT_REGISTRY)));
    for (const event of twin.bus.published) {
      expect(() => EnvelopeSchema.parse(event)).not.toThrow();
      expect(() => assertValidEvent(event)).not.toThrow();
    }
    const changed = twin.bus.published.find((e) => e.type === 'dealer.status_changed.v1')!;
    expect(changed.detail).toEqual({ dealerId: dealer.id, code: dealer.code, region: dealer.region, from: 'prospect', to: 'active', reason: '签约' });
    const below = twin.bus.published.find((e) => e.type === 'stock.below_reorder_point.v1')!;
    expect(below.detail).toEqual({ locationCode: 'WH-CONTRACT', sku: 'SKU-CONTRACT', region: 'CN-EAST', onHand: 4, reserved: 0, available: 4, reorderPoint: 5 });
  });

  it('the order-to-cash examples match their contracts, which reject unknown fields and missing or wrong values', () => {
    for (const [type, detail] of Object.entries(ORDER_EXAMPLES)) {
      expect(() => assertValidEvent(envelope(type, detail))).not.toThrow();
      expect(() => assertValidEvent(envelope(type, { ...detail, unexpected: 1 }))).toThrow();
      const { dealerId: _dropped, ...withoutDealer } = detail as { dealerId: string };
      expect(() => assertValidEvent(envelope(type, withoutDealer))).toThrow();
    }
    expect(() => assertValidEvent(envelope('order.rejected.v1', { ...ORDER_EXAMPLES['order.rejected.v1'], outcome: 'vetoed' }))).toThrow();
    expect(() => assertValidEvent(envelope('invoice.issued.v1', { ...ORDER_EXAMPLES['invoice.issued.v1'], gross: 67_800.5 }))).toThrow();
    expect(() => assertValidEvent(envelope('invoice.issued.v1', { ...ORDER_EXAMPLES['invoice.issued.v1'], dueDate: '2026-5-1' }))).toThrow();
    expect(() => assertValidEvent(envelope('shipment.dispatched.v1', { ...ORDER_EXAMPLES['shipment.dispatched.v1'], lines: [] }))).toThrow();
    expect(() => assertValidEvent(envelope('order.approval_requested.v1', { ...ORDER_EXAMPLES['order.approval_requested.v1'], dueAt: 'tomorrow' }))).toThrow();
    expect(() => assertValidEvent(envelope('order.approved.v1', { ...ORDER_EXAMPLES['order.approved.v1'], approvers: [{ level: 1, role: 'finance' }] }))).toThrow();
  });

  it('the bus refuses an event that breaks its contract', async () => {
    await expect(
      twin.bus.publish([{ id: '1', type: 'dealer.created.v1', occurredAt: new Date().toISOString(), correlationId: 'c', actorId: 'a', detail: { dealerId: 1 } }]),
    ).rejects.toThrow();
    await expect(
      twin.bus.publish([{ id: '1', type: 'dealer.vanished.v1', occurredAt: new Date().toISOString(), correlationId: 'c', actorId: 'a', detail: {} }]),
    ).rejects.toThrow(/Unregistered/);
  });
});
