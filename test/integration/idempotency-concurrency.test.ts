import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idempotencyKey, newDealerInput, startTestTwin, type TestTwin } from '../support/twin';

let twin: TestTwin;
let admin: string;

beforeAll(async () => {
  twin = await startTestTwin();
  admin = await twin.token('admin');
});
afterAll(() => twin.close());

async function dealersWithCode(code: string) {
  const list = await twin.request('GET', '/dealers?limit=100', { token: admin });
  return list.body.items.filter((d: { code: string }) => d.code === code);
}

describe('Idempotency-Key on creating POSTs', () => {
  it('the same key 10 times (5 of them concurrently) creates one dealer and returns identical responses', async () => {
    const key = idempotencyKey();
    const body = newDealerInput();
    const send = () => twin.request('POST', '/dealers', { token: admin, body, headers: { 'idempotency-key': key } });
    const sequentialFirst = await send();
    const concurrent = await Promise.all(Array.from({ length: 5 }, send));
    const sequentialRest = [];
    for (let i = 0; i < 4; i += 1) sequentialRest.push(await send());
    const all = [sequentialFirst, ...concurrent, ...sequentialRest];
    expect(all).toHaveLength(10);
    for (const response of all) {
      expect(response.status).toBe(201);
      expect(response.text).toBe(sequentialFirst.text);
      expect(response.headers.get('etag')).toBe(sequentialFirst.headers.get('etag'));
      expect(response.headers.get('location')).toBe(sequentialFirst.headers.get('location'));
    }
    expect(await dealersWithCode(body.code)).toHaveLength(1);
    const created = twin.bus.published.filter((e) => e.type === 'dealer.created.v1' && (e.detail as { code: string }).code === body.code);
    expect(created).toHaveLength(1);
  });

  it('a brand-new key sent 5 times at once still creates exactly one dealer', async () => {
    const key = idempotencyKey();
    const body = newDealerInput();
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => twin.request('POST', '/dealers', { token: admin, body, headers: { 'idempotency-key': key } })),
    );
    expect(new Set(responses.map((r) => r.status))).toEqual(new Set([201]));
    expect(new Set(responses.map((r) => r.text)).size).toBe(1);
    expect(await dealersWithCode(body.code)).toHaveLength(1);
  });

  it('the same key with a different body is a 422 and writes nothing', async () => {
    const key = idempotencyKey();
    const body = newDealerInput();
    expect((await twin.request('POST', '/dealers', { token: admin, body, headers: { 'idempotency-key': key } })).status).toBe(201);
    const other = newDealerInput();
    const reused = await twin.request('POST', '/dealers', { token: admin, body: other, headers: { 'idempotency-key': key } });
    expect(reused.status).toBe(422);
    expect(reused.headers.get('content-type')).toBe('application/problem+json');
    expect(reused.body.code).toBe('idempotency_key_reused');
    expect(await dealersWithCode(other.code)).toHaveLength(0);
  });

  it('keys are per caller: another user with the same key creates its own dealer', async () => {
    const key = idempotencyKey();
    const director = await twin.token('sales_director', { userId: 'director-1' });
    const a = await twin.request('POST', '/dealers', { token: admin, body: newDealerInput(), headers: { 'idempotency-key': key } });
    const b = await twin.request('POST', '/dealers', { token: director, body: newDealerInput(), headers: { 'idempotency-key': key } });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(a.body.id).not.toBe(b.body.id);
  });

  it('a failed attempt is not remembered: fixing the conflict and retrying with the same key succeeds', async () => {
    const taken = (await twin.request('POST', '/dealers', { token: admin, body: newDealerInput(), headers: { 'idempotency-key': idempotencyKey() } })).body.code;
    const key = idempotencyKey();
    const body = newDealerInput({ code: taken });
    expect((await twin.request('POST', '/dealers', { token: admin, body, headers: { 'idempotency-key': key } })).status).toBe(409);
    // Same key, same body: the outcome is recomputed (still a conflict), not replayed from a cache of errors.
    expect((await twin.request('POST', '/dealers', { token: admin, body, headers: { 'idempotency-key': key } })).status).toBe(409);
  });

  it('requires the header on creating POSTs', async () => {
    const response = await twin.request('POST', '/dealers', { token: admin, body: newDealerInput() });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { path: string }) => e.path)).toContain('header/idempotency-key');
  });
});

describe('optimistic locking under concurrency', () => {
  it('concurrent updates with the same ETag: exactly one wins, the rest get 412', async () => {
    const dealer = (await twin.request('POST', '/dealers', { token: admin, body: newDealerInput(), headers: { 'idempotency-key': idempotencyKey() } })).body;
    const tiers = ['platinum', 'gold', 'silver', 'bronze', 'platinum', 'gold', 'silver', 'bronze'];
    const responses = await Promise.all(
      tiers.map((tier, i) =>
        twin.request('PATCH', `/dealers/${dealer.id}`, { token: admin, body: { tier, shortName: `并发${i}` }, headers: { 'if-match': '"1"' } }),
      ),
    );
    const winners = responses.filter((r) => r.status === 200);
    const losers = responses.filter((r) => r.status === 412);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(tiers.length - 1);
    const stored = (await twin.request('GET', `/dealers/${dealer.id}`, { token: admin })).body;
    expect(stored.version).toBe(2);
    expect(stored.shortName).toBe(winners[0]!.body.shortName);
    const audit = await twin.request('GET', `/audit-log?entityType=dealer&entityId=${dealer.id}`, { token: admin });
    expect(audit.body.items.filter((r: { action: string }) => r.action === 'dealer.updated')).toHaveLength(1);
  });

  it('concurrent status changes from the same version: one transition, one event', async () => {
    const dealer = (await twin.request('POST', '/dealers', { token: admin, body: newDealerInput(), headers: { 'idempotency-key': idempotencyKey() } })).body;
    const responses = await Promise.all(
      Array.from({ length: 6 }, () =>
        twin.request('POST', `/dealers/${dealer.id}/status`, { token: admin, body: { status: 'active', reason: '审核通过' }, headers: { 'if-match': '"1"' } }),
      ),
    );
    expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 412)).toHaveLength(5);
    const events = twin.bus.published.filter((e) => e.type === 'dealer.status_changed.v1' && (e.detail as { dealerId: string }).dealerId === dealer.id);
    expect(events).toHaveLength(1);
  });

  it('concurrent registrations of the same code: exactly one dealer', async () => {
    const code = newDealerInput().code;
    const responses = await Promise.all(
      Array.from({ length: 6 }, () =>
        twin.request('POST', '/dealers', { token: admin, body: newDealerInput({ code }), headers: { 'idempotency-key': idempotencyKey() } }),
      ),
    );
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 409)).toHaveLength(5);
    expect(await dealersWithCode(code)).toHaveLength(1);
  });
});
