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
    const types = new Set(twin.bus.published.map((e) => e.type));
    expect(types).toEqual(new Set(Object.keys(EVENT_REGISTRY)));
    for (const event of twin.bus.published) {
      expect(() => EnvelopeSchema.parse(event)).not.toThrow();
      expect(() => assertValidEvent(event)).not.toThrow();
    }
    const changed = twin.bus.published.find((e) => e.type === 'dealer.status_changed.v1')!;
    expect(changed.detail).toEqual({ dealerId: dealer.id, code: dealer.code, region: dealer.region, from: 'prospect', to: 'active', reason: '签约' });
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
