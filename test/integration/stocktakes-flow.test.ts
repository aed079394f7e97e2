import { mockClient } from 'aws-sdk-client-mock';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../domain/audit/audit-entry';
import type { LevelChange } from '../../domain/inventory/ports';
import type { StocktakeRepository } from '../../domain/stocktakes/ports';
import { StocktakeService } from '../../domain/stocktakes/stocktake-service';
import { resolvePrincipal } from '../../domain/access/principal';
import { BUILT_IN_ROLES } from '../../domain/access/roles';
import { locationRepository } from '../../functions/adapters/dynamo/location-repository';
import { dynamoDocumentClient } from '../../functions/adapters/dynamo/client';
import { dms } from '../../functions/adapters/dynamo/service';
import { stockStore } from '../../functions/adapters/dynamo/stock-store';
import { stockBook, stocktakeRepository } from '../../functions/adapters/dynamo/stocktake-repository';
import { createWorld, type World } from '../support/fixture-kit';
import { freshStocktakeLocation, uniqueCode } from '../support/fixtures/stocktakes';
import { idempotencyKey, startTestTwin, type TestTwin } from '../support/twin';

/**
 * Stocktaking end to end on the twin: snapshot, freeze, counts in batches, variances measured
 * against the book at count time, approval in chunks that survive a failure midway.
 */

let twin: TestTwin;
let world: World;

beforeAll(async () => {
  twin = await startTestTwin();
  world = await createWorld(twin);
});
afterAll(() => twin?.close());

function audit(action: string, entityId: string): AuditEntry {
  return { id: ulid(), at: new Date().toISOString(), actorId: 'stocktake-test', actorRoles: ['warehouse'], action, entityType: 'stock_level', entityId, changes: {}, requestId: `test-${ulid()}` };
}

/** Ledger changes through the inventory store, 49 per transaction (its item limit). */
async function move(locationCode: string, deltas: [string, number][], type: LevelChange['type'] = 'receipt'): Promise<void> {
  for (let i = 0; i < deltas.length; i += 49) {
    const changes = deltas.slice(i, i + 49).map(([sku, delta]): LevelChange => ({ locationCode, sku, onHandDelta: delta, reservedDelta: 0, type, reason: 'test' }));
    await stockStore.apply(changes, audit(`stock.${type}`, locationCode));
  }
}

async function onHandOf(locationCode: string): Promise<Map<string, number>> {
  const result = await dms().entities.stockLevel.query.byLocation({ locationCode }).go({ pages: 'all', consistent: true });
  return new Map(result.data.map((l) => [l.sku, l.onHand]));
}

async function movementSum(locationCode: string, sku: string): Promise<{ total: number; variance: number; varianceCount: number }> {
  const result = await dms().entities.stockMovement.query.byLevel({ locationCode, sku }).go({ pages: 'all', consistent: true });
  const variances = result.data.filter((m) => m.type === 'stocktake_variance');
  return { total: result.data.reduce((s, m) => s + m.onHandDelta, 0), variance: variances.reduce((s, m) => s + m.onHandDelta, 0), varianceCount: variances.length };
}

async function admin(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return twin.request(method, path, { token: world.admin, ...(body !== undefined ? { body } : {}), headers });
}

async function submitCounts(id: string, lines: { sku: string; quantity: number }[], batchSize = 1000): Promise<string> {
  let etag = '';
  for (let i = 0; i < lines.length; i += batchSize) {
    const response = await admin('POST', `/stocktakes/${id}/counts`, { lines: lines.slice(i, i + batchSize) }, { 'idempotency-key': idempotencyKey() });
    expect(response.status, response.text.slice(0, 300)).toBe(201);
    etag = response.headers.get('etag')!;
  }
  return etag;
}

async function allVariances(id: string) {
  const items: any[] = [];
  let cursor: string | undefined;
  let summary: any;
  do {
    const response = await admin('GET', `/stocktakes/${id}/variances?limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
    expect(response.status, response.text.slice(0, 300)).toBe(200);
    items.push(...response.body.items);
    summary = response.body.summary;
    cursor = response.body.nextCursor;
  } while (cursor);
  return { items, summary };
}

async function auditTrail(id: string): Promise<AuditEntry[]> {
  const response = await admin('GET', `/audit-log?entityType=stocktake&entityId=${id}&limit=100`);
  expect(response.status).toBe(200);
  return response.body.items;
}

describe('a frozen count', () => {
  it('snapshots the book, blocks movements with 409 location_frozen, posts variances on approval and unfreezes', async () => {
    const location = await freshStocktakeLocation(world, 'A', 'warehouse');
    const [a, b, c, d] = ['A', 'B', 'C', 'D'].map((x) => uniqueCode(`FZ${x}`));
    await move(location.code, [[a!, 10], [b!, 5], [c!, 8]]);

    const opened = await admin('POST', '/stocktakes', { locationCode: location.code, freeze: true }, { 'idempotency-key': idempotencyKey() });
    expect(opened.status, opened.text).toBe(201);
    expect(opened.body).toMatchObject({ status: 'open', freeze: true, scope: 'full', lineCount: 3, countBatches: 0 });
    const id = opened.body.id as string;

    // The location is frozen: the ledger refuses ordinary movements there.
    await expect(move(location.code, [[a!, 1]])).rejects.toMatchObject({ code: 'location_frozen' });
    // A second count of the same location cannot open.
    const second = await admin('POST', '/stocktakes', { locationCode: location.code, freeze: false }, { 'idempotency-key': idempotencyKey() });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('stocktake_already_open');

    // Two batches; the second recounts B (overwrites) and finds D, never in the books.
    await submitCounts(id, [{ sku: a!, quantity: 9 }, { sku: b!, quantity: 1 }]);
    const etag = await submitCounts(id, [{ sku: b!, quantity: 6 }, { sku: c!, quantity: 8 }, { sku: d!, quantity: 2 }]);

    const { items, summary } = await allVariances(id);
    expect(items.map((l) => [l.sku, l.bookAtOpen, l.counted, l.bookAtCount, l.variance, l.state])).toEqual(
      [
        [a, 10, 9, 10, -1, 'short'],
        [b, 5, 6, 5, 1, 'over'],
        [c, 8, 8, 8, 0, 'matched'],
        [d, undefined, 2, 0, 2, 'over'],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
    expect(summary).toMatchObject({ lines: 4, counted: 4, uncounted: 0, matched: 1, over: 2, short: 1, quantityOver: 3, quantityShort: -1 });

    // Dealers see nothing of an enterprise warehouse count.
    const dealerToken = await twin.token('dealer_admin', { dealerId: world.dealerA.id });
    expect((await twin.request('GET', `/stocktakes/${id}`, { token: dealerToken })).status).toBe(404);
    expect((await twin.request('GET', `/stocktakes/${id}/variances`, { token: dealerToken })).status).toBe(404);
    expect((await twin.request('GET', `/stocktakes?locationCode=${location.code}`, { token: dealerToken })).body.items).toEqual([]);
    // Warehouse staff cannot approve; finance can.
    const warehouse = await twin.token('warehouse');
    expect((await twin.request('POST', `/stocktakes/${id}/approval`, { token: warehouse, body: { uncounted: 'reject' }, headers: { 'if-match': etag } })).status).toBe(403);
    const finance = await twin.token('finance', { userId: 'finance-approver' });
    const approved = await twin.request('POST', `/stocktakes/${id}/approval`, { token: finance, body: { uncounted: 'reject' }, headers: { 'if-match': etag } });
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', approvedBy: 'finance-approver', varianceMovements: 3 });

    expect(Object.fromEntries(await onHandOf(location.code))).toEqual({ [a!]: 9, [b!]: 6, [c!]: 8, [d!]: 2 });
    for (const sku of [a!, b!, c!, d!]) {
      const sums = await movementSum(location.code, sku);
      expect(sums.total).toBe((await onHandOf(location.code)).get(sku));
      expect(sums.varianceCount).toBe(sku === c ? 0 : 1);
    }
    // Unfrozen: stock moves again.
    await move(location.code, [[a!, 1]]);
    expect(await locationRepository.isFrozen(location.code)).toBe(false);

    const trail = await auditTrail(id);
    expect(trail.map((r) => r.action).reverse()).toEqual(['stocktake.opened', 'stocktake.counted', 'stocktake.counted', 'stocktake.approved']);
    expect(trail[0]!.changes.status).toEqual({ before: 'counting', after: 'approved' });

    // Closed: no more counts, no second approval, no cancellation.
    const late = await admin('POST', `/stocktakes/${id}/counts`, { lines: [{ sku: a!, quantity: 1 }] }, { 'idempotency-key': idempotencyKey() });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('stocktake_closed');
  });

  it('cancel unfreezes without posting; a count batch replayed with its Idempotency-Key counts once', async () => {
    const location = await freshStocktakeLocation(world, 'A', 'warehouse');
    const sku = uniqueCode('CX');
    await move(location.code, [[sku, 3]]);
    const opened = await admin('POST', '/stocktakes', { locationCode: location.code, freeze: true, skus: [sku] }, { 'idempotency-key': idempotencyKey() });
    expect(opened.body.scope).toBe('partial');
    const id = opened.body.id as string;
    const key = idempotencyKey();
    const batch = { lines: [{ sku, quantity: 1 }] };
    const first = await admin('POST', `/stocktakes/${id}/counts`, batch, { 'idempotency-key': key });
    const replay = await admin('POST', `/stocktakes/${id}/counts`, batch, { 'idempotency-key': key });
    expect(replay.body).toEqual(first.body);
    expect((await admin('GET', `/stocktakes/${id}`)).body.countBatches).toBe(1);
    // A partial count takes only its SKUs.
    const outside = await admin('POST', `/stocktakes/${id}/counts`, { lines: [{ sku: uniqueCode('NOPE'), quantity: 1 }] }, { 'idempotency-key': idempotencyKey() });
    expect(outside.status).toBe(400);
    expect(outside.body.code).toBe('sku_not_in_stocktake');

    const cancelled = await admin('POST', `/stocktakes/${id}/cancellation`, { reason: '计划取消' }, { 'if-match': first.headers.get('etag')! });
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(await locationRepository.isFrozen(location.code)).toBe(false);
    expect((await onHandOf(location.code)).get(sku)).toBe(3);
    // The location takes a new count.
    expect((await admin('POST', '/stocktakes', { locationCode: location.code, freeze: false }, { 'idempotency-key': idempotencyKey() })).status).toBe(201);
  });

  it('approval with uncounted lines: reject refuses (409), zero counts them as 0', async () => {
    const location = await freshStocktakeLocation(world, 'A', 'warehouse');
    const [x, y] = [uniqueCode('UX'), uniqueCode('UY')];
    await move(location.code, [[x, 4], [y, 6]]);
    const opened = await admin('POST', '/stocktakes', { locationCode: location.code, freeze: false }, { 'idempotency-key': idempotencyKey() });
    const id = opened.body.id as string;
    const etag = await submitCounts(id, [{ sku: x, quantity: 5 }]);
    const refused = await admin('POST', `/stocktakes/${id}/approval`, { uncounted: 'reject' }, { 'if-match': etag });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('uncounted_lines');
    const approved = await admin('POST', `/stocktakes/${id}/approval`, { uncounted: 'zero' }, { 'if-match': etag });
    expect(approved.status, approved.text).toBe(200);
    expect(Object.fromEntries(await onHandOf(location.code))).toEqual({ [x]: 5, [y]: 0 });
  });
});

describe('counts and visibility', () => {
  it('concurrent count batches on one stocktake all land, in distinct sequence, one audit record each', async () => {
    const location = await freshStocktakeLocation(world, 'A', 'warehouse');
    const opened = await admin('POST', '/stocktakes', { locationCode: location.code, freeze: false }, { 'idempotency-key': idempotencyKey() });
    const id = opened.body.id as string;
    const sku = uniqueCode('CC');
    const responses = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => admin('POST', `/stocktakes/${id}/counts`, { lines: [{ sku, quantity: n }, { sku: uniqueCode(`C${n}`), quantity: n }] }, { 'idempotency-key': idempotencyKey() })),
    );
    expect(responses.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(responses.map((r) => r.body.batch.seq).sort()).toEqual([1, 2, 3, 4, 5]);
    const stocktake = (await admin('GET', `/stocktakes/${id}`)).body;
    expect(stocktake).toMatchObject({ status: 'counting', countBatches: 5, linesSubmitted: 10, version: 6 });
    // The recount of the shared SKU that wins is the batch submitted last.
    const last = responses.find((r) => r.body.batch.seq === 5)!;
    const { items } = await allVariances(id);
    expect(items.find((l) => l.sku === sku).counted).toBe(responses.indexOf(last) + 1);
    expect((await auditTrail(id)).filter((r) => r.action === 'stocktake.counted')).toHaveLength(5);
  });

  it('a count at a dealer location: that dealer reads it, another dealer gets 404 and never sees it listed', async () => {
    const location = await freshStocktakeLocation(world, 'A');
    const opened = await admin('POST', '/stocktakes', { locationCode: location.code, freeze: false }, { 'idempotency-key': idempotencyKey() });
    const id = opened.body.id as string;
    const own = await twin.token('dealer_user', { dealerId: world.dealerA.id });
    const other = await twin.token('dealer_user', { dealerId: world.dealerB.id });
    expect((await twin.request('GET', `/stocktakes/${id}`, { token: own })).status).toBe(200);
    expect((await twin.request('GET', '/stocktakes?limit=100', { token: own })).body.items.map((s: { id: string }) => s.id)).toContain(id);
    for (const path of [`/stocktakes/${id}`, `/stocktakes/${id}/variances`]) {
      const response = await twin.request('GET', path, { token: other });
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('not_found');
    }
    const listed = await twin.request('GET', `/stocktakes?limit=100&locationCode=${location.code}`, { token: other });
    expect(listed.status).toBe(200);
    expect(listed.text).not.toContain(id);
    // A sales manager of another region does not see it either; one of its region does.
    const south = await twin.token('sales_manager', { regions: ['CN-SOUTH'] });
    expect((await twin.request('GET', `/stocktakes/${id}`, { token: south })).status).toBe(404);
    expect((await twin.request('GET', '/stocktakes?limit=100', { token: south })).text).not.toContain(id);
    const east = await twin.token('sales_manager', { regions: [location.region] });
    expect((await twin.request('GET', `/stocktakes/${id}`, { token: east })).status).toBe(200);
    // Dealers hold no stocktake permission to change it.
    const dealerAdmin = await twin.token('dealer_admin', { dealerId: world.dealerA.id });
    const refused = await twin.request('POST', `/stocktakes/${id}/counts`, { token: dealerAdmin, body: { lines: [{ sku: 'AB-123', quantity: 1 }] }, headers: { 'idempotency-key': idempotencyKey() } });
    expect(refused.status).toBe(403);
  });
});

describe('thresholds', () => {
  it('a variance that takes a level below its reorder point publishes stock.below_reorder_point.v1 once', async () => {
    const location = await freshStocktakeLocation(world, 'A', 'warehouse');
    const sku = uniqueCode('TH');
    await move(location.code, [[sku, 20]]);
    const level = (await stockStore.getLevel(location.code, sku))!;
    await stockStore.setThresholds({ ...level, reorderPoint: 10 }, level.version, audit('stock.thresholds_set', sku));
    const opened = await admin('POST', '/stocktakes', { locationCode: location.code, freeze: true }, { 'idempotency-key': idempotencyKey() });
    const etag = await submitCounts(opened.body.id, [{ sku, quantity: 6 }]);
    const published = twin.bus.published.length;
    const approved = await admin('POST', `/stocktakes/${opened.body.id}/approval`, { uncounted: 'reject' }, { 'if-match': etag });
    expect(approved.status, approved.text).toBe(200);
    const events = twin.bus.published.slice(published).filter((e) => e.type === 'stock.below_reorder_point.v1');
    expect(events).toHaveLength(1);
    expect(events[0]!.detail).toMatchObject({ locationCode: location.code, sku });
  });
});

describe('a full stocktake of 5,000 lines with movements during the count', () => {
  it('measures each line against the book when it was counted, and approval keeps later movements', async () => {
    const location = await freshStocktakeLocation(world, 'A', 'warehouse');
    const N = 5_000;
    const skus = Array.from({ length: N }, (_, i) => `ST5K-${location.code.slice(-6)}-${String(i).padStart(5, '0')}`);
    const initial = new Map(skus.map((sku, i) => [sku, 10 + (i % 17)]));
    await move(location.code, [...initial]);

    const opened = await admin('POST', '/stocktakes', { locationCode: location.code, freeze: false }, { 'idempotency-key': idempotencyKey() });
    expect(opened.status, opened.text).toBe(201);
    expect(opened.body.lineCount).toBe(N);
    const id = opened.body.id as string;

    // Between open and count: receipts on every 7th SKU, issues on every 11th.
    const beforeCount: [string, number][] = skus.flatMap((sku, i): [string, number][] => (i % 7 === 0 ? [[sku, 5]] : i % 11 === 0 ? [[sku, -3]] : []));
    await move(location.code, beforeCount, 'adjustment');
    const bookAtCount = await onHandOf(location.code);

    // The physical truth: the book at count time, except planted differences on every 13th SKU.
    const planted = new Map(skus.filter((_, i) => i % 13 === 0).map((sku, j) => [sku, j % 2 === 0 ? 2 : -1]));
    const counts = skus.map((sku) => ({ sku, quantity: bookAtCount.get(sku)! + (planted.get(sku) ?? 0) }));
    await submitCounts(id, counts);

    // After the count, before approval: more movements on every 5th SKU.
    const afterCount: [string, number][] = skus.filter((_, i) => i % 5 === 0).map((sku) => [sku, 4]);
    await move(location.code, afterCount, 'receipt');

    const { items, summary } = await allVariances(id);
    expect(items).toHaveLength(N);
    const differing = items.filter((l) => l.variance !== 0);
    expect(new Map(differing.map((l) => [l.sku, l.variance]))).toEqual(planted);
    expect(summary).toMatchObject({ lines: N, counted: N, uncounted: 0, matched: N - planted.size, over: [...planted.values()].filter((v) => v > 0).length });
    // Movements between open and count are not variances: book at open differs from book at count there.
    const moved = items.find((l) => l.sku === skus[7]);
    expect(moved.bookAtCount - moved.bookAtOpen).toBe(5);

    const etag = (await admin('GET', `/stocktakes/${id}`)).headers.get('etag')!;
    const approved = await admin('POST', `/stocktakes/${id}/approval`, { uncounted: 'reject' }, { 'if-match': etag });
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body.varianceMovements).toBe(planted.size);

    const final = await onHandOf(location.code);
    const afterBySku = new Map(afterCount);
    for (const [i, sku] of skus.entries()) {
      const expected = counts[i]!.quantity + (afterBySku.get(sku) ?? 0);
      expect(final.get(sku), sku).toBe(expected);
    }
    for (const sku of [...planted.keys()].slice(0, 25)) {
      const sums = await movementSum(location.code, sku);
      expect(sums.total).toBe(final.get(sku));
      expect(sums.variance).toBe(planted.get(sku));
      expect(sums.varianceCount).toBe(1);
    }
  }, 300_000);
});

describe('approval that fails midway', () => {
  const principal = resolvePrincipal({ userId: 'midway-approver', username: 'midway', roles: ['finance'], regions: [] }, [BUILT_IN_ROLES.get('finance')!]);
  const ctx = () => ({ principal, requestId: `req-${ulid()}`, now: new Date(), newId: () => ulid() });

  async function countedStocktake(lines: number) {
    const location = await freshStocktakeLocation(world, 'A', 'warehouse');
    const skus = Array.from({ length: lines }, (_, i) => `MW-${location.code.slice(-6)}-${String(i).padStart(4, '0')}`);
    await move(location.code, skus.map((sku) => [sku, 20]));
    const opened = await admin('POST', '/stocktakes', { locationCode: location.code, freeze: true }, { 'idempotency-key': idempotencyKey() });
    const id = opened.body.id as string;
    // Every line differs: 20 in the books, i % 9 + 1 counted (never 20).
    const counted = new Map(skus.map((sku, i) => [sku, (i % 9) + 1]));
    const etag = await submitCounts(id, [...counted].map(([sku, quantity]) => ({ sku, quantity })));
    return { location, id, counted, version: Number(etag.replaceAll('"', '').replace(/^W\//, '')) };
  }

  async function expectConsistent(locationCode: string, counted: Map<string, number>) {
    const levels = await onHandOf(locationCode);
    for (const [sku, quantity] of counted) {
      expect(levels.get(sku), sku).toBe(quantity);
      const sums = await movementSum(locationCode, sku);
      expect(sums.total, `${sku}: movements sum to the level`).toBe(quantity);
      expect(sums.varianceCount, `${sku}: one variance movement`).toBe(1);
    }
  }

  for (const failure of ['before the chunk commits', 'after the chunk commits (the answer is lost)'] as const) {
    it(`a failure ${failure} leaves whole chunks posted; approving again resumes without double posting`, async () => {
      const { location, id, counted, version } = await countedStocktake(100);
      let calls = 0;
      const failing: StocktakeRepository = Object.create(stocktakeRepository, {
        postChunk: {
          value: async (...args: Parameters<StocktakeRepository['postChunk']>) => {
            calls += 1;
            if (calls === 2) {
              if (failure === 'after the chunk commits (the answer is lost)') await stocktakeRepository.postChunk(...args);
              throw Object.assign(new Error('injected: connection reset'), { name: 'TimeoutError' });
            }
            return stocktakeRepository.postChunk(...args);
          },
        },
      });
      const broken = new StocktakeService(failing, locationRepository, stockBook);
      await expect(broken.approve(ctx(), id, version, { uncounted: 'reject' })).rejects.toThrow(/injected/);

      const midway = (await admin('GET', `/stocktakes/${id}`)).body;
      expect(midway.status).toBe('approving');
      expect(await locationRepository.isFrozen(location.code)).toBe(true);
      const posted = await stocktakeRepository.postedSkus(id);
      const chunk = stocktakeRepository.postingsPerChunk;
      expect(posted.size).toBe(failure === 'before the chunk commits' ? chunk : 2 * chunk);
      // Counting and cancelling wait for the approval to finish.
      const count = await admin('POST', `/stocktakes/${id}/counts`, { lines: [{ sku: [...counted.keys()][0], quantity: 1 }] }, { 'idempotency-key': idempotencyKey() });
      expect(count.body.code).toBe('approval_in_progress');

      // The retry: the same If-Match over HTTP.
      const retry = await admin('POST', `/stocktakes/${id}/approval`, { uncounted: 'reject' }, { 'if-match': `"${version}"` });
      expect(retry.status, retry.text).toBe(200);
      expect(retry.body).toMatchObject({ status: 'approved', varianceMovements: counted.size });
      await expectConsistent(location.code, counted);
      expect(await locationRepository.isFrozen(location.code)).toBe(false);
      const trail = await auditTrail(id);
      expect(trail.filter((r) => r.action === 'stocktake.approved')).toHaveLength(1);
    }, 120_000);
  }

  for (const failure of ['before', 'after'] as const) {
    it(`aws-sdk-client-mock: the third TransactWriteItems of an approval fails ${failure} DynamoDB commits it → 500; the same request again completes it exactly once`, async () => {
      const { location, id, counted, version } = await countedStocktake(90);
      const client = dynamoDocumentClient();
      type Send = (command: unknown) => Promise<never>;
      const realSend = client.send.bind(client) as unknown as Send;
      const mock = mockClient(client);
      let transactions = 0;
      // Every call goes to DynamoDB Local, except the injected failure of the third transaction.
      const faulty: Send = async (command) => {
        if ((command as object).constructor.name === 'TransactWriteCommand' && ++transactions === 3) {
          if (failure === 'after') await realSend(command);
          throw Object.assign(new Error('injected: socket hang up'), { name: 'TimeoutError', $metadata: {} });
        }
        return realSend(command);
      };
      mock.send.callsFake(faulty);
      let first;
      try {
        first = await admin('POST', `/stocktakes/${id}/approval`, { uncounted: 'reject' }, { 'if-match': `"${version}"` });
      } finally {
        mock.restore();
      }
      expect(transactions).toBeGreaterThanOrEqual(3);
      expect(first.status, first.text).toBe(500);
      expect((await admin('GET', `/stocktakes/${id}`)).body.status).toBe('approving');

      const retry = await admin('POST', `/stocktakes/${id}/approval`, { uncounted: 'reject' }, { 'if-match': `"${version}"` });
      expect(retry.status, retry.text).toBe(200);
      await expectConsistent(location.code, counted);
      expect(await locationRepository.isFrozen(location.code)).toBe(false);
      expect((await auditTrail(id)).filter((r) => r.action === 'stocktake.approved')).toHaveLength(1);
    }, 120_000);
  }

  it('two approvals racing post every line once and write one approval record', async () => {
    const { location, id, counted, version } = await countedStocktake(80);
    const responses = await Promise.all(
      [1, 2].map(() => admin('POST', `/stocktakes/${id}/approval`, { uncounted: 'reject' }, { 'if-match': `"${version}"` })),
    );
    expect(responses.map((r) => r.status).sort(), responses.map((r) => r.text.slice(0, 200)).join('\n')).toContain(200);
    for (const response of responses) expect([200, 409, 412]).toContain(response.status);
    await expectConsistent(location.code, counted);
    expect((await auditTrail(id)).filter((r) => r.action === 'stocktake.approved')).toHaveLength(1);
  }, 120_000);
});
