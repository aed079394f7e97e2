import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvelopeSchema } from '../../events/envelope';
import { EVENT_REGISTRY, assertValidEvent } from '../../events/registry';
import { idempotencyKey, newDealerInput, startTestTwin, type TestTwin } from '../support/twin';

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

  it('the bus refuses an event that breaks its contract', async () => {
    await expect(
      twin.bus.publish([{ id: '1', type: 'dealer.created.v1', occurredAt: new Date().toISOString(), correlationId: 'c', actorId: 'a', detail: { dealerId: 1 } }]),
    ).rejects.toThrow();
    await expect(
      twin.bus.publish([{ id: '1', type: 'dealer.vanished.v1', occurredAt: new Date().toISOString(), correlationId: 'c', actorId: 'a', detail: {} }]),
    ).rejects.toThrow(/Unregistered/);
  });
});
