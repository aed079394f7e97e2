import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idempotencyKey, newDealerInput, startTestTwin, type ApiResponse, type TestTwin } from '../support/twin';

/**
 * Locations and stock through the API on the twin: receipts, adjustments, transfers, the
 * ledger invariant (movements sum to the level), thresholds (one event per crossing), alerts
 * and tenant isolation of dealer locations and their stock.
 */

let twin: TestTwin;
let admin: string;
let dealerA: { id: string; region: string };
let dealerB: { id: string; region: string };
let seq = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36).toUpperCase()}-${(seq += 1)}`;

beforeAll(async () => {
  twin = await startTestTwin();
  admin = await twin.token('admin', { userId: 'inv-admin' });
  const make = async (region: string) =>
    (await twin.request('POST', '/dealers', { token: admin, body: newDealerInput({ region }), headers: { 'idempotency-key': idempotencyKey() } })).body;
  dealerA = await make('CN-EAST');
  dealerB = await make('CN-SOUTH');
});
afterAll(() => twin?.close());

/** A catalog product (stock moves only for SKUs the catalog knows). */
async function product(): Promise<string> {
  const sku = unique('P');
  const response = await twin.request('POST', '/products', {
    token: admin,
    body: { sku, name: `测试商品 ${sku}`, nameEn: `Test product ${sku}`, category: 'AC', unit: 'UNIT', vatRate: 1300, listPrice: { amount: 100_000, currency: 'CNY' } },
    headers: { 'idempotency-key': idempotencyKey() },
  });
  expect(response.status, response.text).toBe(201);
  return response.body.sku;
}


async function call(method: string, path: string, body?: unknown, options: { token?: string; headers?: Record<string, string> } = {}): Promise<ApiResponse> {
  const headers = { ...(method === 'POST' ? { 'idempotency-key': idempotencyKey() } : {}), ...options.headers };
  return twin.request(method, path, { token: options.token ?? admin, ...(body !== undefined ? { body } : {}), headers });
}

async function warehouse(region = 'CN-EAST'): Promise<string> {
  const response = await call('POST', '/locations', { code: unique('WH'), name: '华东中心仓', kind: 'warehouse', region });
  expect(response.status, response.text).toBe(201);
  return response.body.code;
}

async function dealerStore(dealerId: string, token = admin): Promise<string> {
  const response = await call('POST', '/locations', { code: unique('DS'), name: '门店', kind: 'dealer_store', ...(token === admin ? { dealerId } : {}) }, { token });
  expect(response.status, response.text).toBe(201);
  return response.body.code;
}

async function receive(locationCode: string, sku: string, quantity: number): Promise<ApiResponse> {
  return call('POST', '/stock/receipts', { locationCode, sku, quantity });
}

async function allMovements(locationCode: string, sku: string): Promise<{ onHandDelta: number; reservedDelta: number; type: string }[]> {
  const items = [];
  let cursor: string | undefined;
  do {
    const response = await call('GET', `/stock/${locationCode}/${sku}/movements?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    expect(response.status, response.text).toBe(200);
    items.push(...response.body.items);
    cursor = response.body.nextCursor;
  } while (cursor);
  return items;
}

async function expectLedgerBalanced(locationCode: string, sku: string): Promise<void> {
  const level = (await call('GET', `/stock/${locationCode}/${sku}`)).body;
  const movements = await allMovements(locationCode, sku);
  expect(movements.reduce((s, m) => s + m.onHandDelta, 0)).toBe(level.onHand);
  expect(movements.reduce((s, m) => s + m.reservedDelta, 0)).toBe(level.reserved);
  expect(level.available).toBe(level.onHand - level.reserved);
}

describe('locations', () => {
  it('warehouses by headquarters staff; dealer administrators create only their own locations', async () => {
    const code = await warehouse();
    const read = await call('GET', `/locations/${code.toLowerCase()}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ code, kind: 'warehouse', region: 'CN-EAST', status: 'active', version: 1 });

    const dealerAdmin = await twin.token('dealer_admin', { dealerId: dealerA.id });
    const own = await dealerStore(dealerA.id, dealerAdmin);
    expect((await call('GET', `/locations/${own}`)).body).toMatchObject({ dealerId: dealerA.id, region: 'CN-EAST', kind: 'dealer_store' });

    const refused = await call('POST', '/locations', { code: unique('WH'), name: 'x', kind: 'warehouse', region: 'CN-EAST' }, { token: dealerAdmin });
    expect(refused.status).toBe(403);
    const foreign = await call('POST', '/locations', { code: unique('DS'), name: 'x', kind: 'dealer_store', dealerId: dealerB.id }, { token: dealerAdmin });
    expect(foreign.status).toBe(404);
    const duplicate = await call('POST', '/locations', { code: own, name: 'x', kind: 'dealer_store', dealerId: dealerA.id });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe('location_code_taken');
  });

  it('updates need If-Match; a dealer location keeps its dealer’s region', async () => {
    const code = await dealerStore(dealerA.id);
    const changed = await call('PATCH', `/locations/${code}`, { name: '新名字', city: '宁波' }, { headers: { 'if-match': '"1"' } });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body).toMatchObject({ name: '新名字', city: '宁波', version: 2 });
    const region = await call('PATCH', `/locations/${code}`, { region: 'CN-SOUTH' }, { headers: { 'if-match': '"2"' } });
    expect(region.status).toBe(409);
    const stale = await call('PATCH', `/locations/${code}`, { name: 'x' }, { headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(412);
    const cleared = await call('PATCH', `/locations/${code}`, { city: null }, { headers: { 'if-match': '"2"' } });
    expect(cleared.status, cleared.text).toBe(200);
    expect((await call('GET', `/locations/${code}`)).body.city).toBeUndefined();

    // A warehouse may move to another region; the region's list follows it.
    const wh = await warehouse('CN-EAST');
    const moved = await call('PATCH', `/locations/${wh}`, { region: 'CN-NORTH', status: 'inactive' }, { headers: { 'if-match': '"1"' } });
    expect(moved.status, moved.text).toBe(200);
    const north = await call('GET', '/locations?region=CN-NORTH&limit=100');
    expect(north.body.items.map((l: { code: string }) => l.code)).toContain(wh);
    const east = await call('GET', '/locations?region=CN-EAST&limit=100');
    expect(east.body.items.map((l: { code: string }) => l.code)).not.toContain(wh);
    expect((await call('GET', '/locations?active=false&limit=100')).body.items.map((l: { code: string }) => l.code)).toContain(wh);
    // Stock no longer moves into an inactive location.
    const refused = await call('POST', '/stock/receipts', { locationCode: wh, sku: 'X-1', quantity: 1 });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('location_inactive');
  });

  it('tenant isolation: a dealer sees only its own locations and their stock', async () => {
    const storeA = await dealerStore(dealerA.id);
    const storeB = await dealerStore(dealerB.id);
    const wh = await warehouse();
    const sku = await product();
    await receive(storeA, sku, 5);
    await receive(storeB, sku, 7);
    await receive(wh, sku, 9);
    const dealerUserA = await twin.token('dealer_user', { dealerId: dealerA.id });
    expect((await call('GET', `/locations/${storeB}`, undefined, { token: dealerUserA })).status).toBe(404);
    expect((await call('GET', `/stock/${storeB}/${sku}`, undefined, { token: dealerUserA })).status).toBe(404);
    expect((await call('GET', `/stock/${storeB}/${sku}/movements`, undefined, { token: dealerUserA })).status).toBe(404);
    expect((await call('GET', `/stock?locationCode=${storeB}`, undefined, { token: dealerUserA })).status).toBe(404);
    expect((await call('GET', `/stock/${storeA}/${sku}`, undefined, { token: dealerUserA })).body.onHand).toBe(5);

    const bySku = await call('GET', `/stock?sku=${sku}`, undefined, { token: dealerUserA });
    expect(bySku.body.items.map((l: { locationCode: string }) => l.locationCode)).toEqual([storeA]);
    const locations = await call('GET', '/locations?limit=100', undefined, { token: dealerUserA });
    expect(locations.body.items.every((l: { dealerId?: string }) => l.dealerId === dealerA.id)).toBe(true);

    // Regional staff: every warehouse, dealer locations only in their regions.
    const east = await twin.token('sales_manager', { regions: ['CN-EAST'] });
    const seen = (await call('GET', `/stock?sku=${sku}`, undefined, { token: east })).body.items.map((l: { locationCode: string }) => l.locationCode);
    expect(seen.sort()).toEqual([storeA, wh].sort());
    expect((await call('GET', `/stock?sku=${sku}`)).body.items).toHaveLength(3);
  });
});

describe('stock movements', () => {
  it('receipts, adjustments (reason required, never below reserved) and the ledger balance', async () => {
    const wh = await warehouse();
    const sku = await product();
    const first = await receive(wh, sku, 40);
    expect(first.status, first.text).toBe(201);
    expect(first.body.level).toMatchObject({ onHand: 40, reserved: 0, available: 40, version: 1 });
    expect(first.body.movement).toMatchObject({ type: 'receipt', onHandDelta: 40, onHandAfter: 40, actorId: 'inv-admin' });
    expect(first.headers.get('etag')).toBe('"1"');

    const noReason = await call('POST', '/stock/adjustments', { locationCode: wh, sku, quantity: -5 });
    expect(noReason.status).toBe(400);
    const damaged = await call('POST', '/stock/adjustments', { locationCode: wh, sku, quantity: -5, reason: '破损' });
    expect(damaged.status, damaged.text).toBe(201);
    expect(damaged.body.level.onHand).toBe(35);
    const tooMuch = await call('POST', '/stock/adjustments', { locationCode: wh, sku, quantity: -36, reason: '盘亏' });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.code).toBe('insufficient_stock');
    expect(tooMuch.body.detail).toContain('35 available');
    await expectLedgerBalanced(wh, sku);

    const unknown = await call('POST', '/stock/receipts', { locationCode: wh, sku: 'NOT-IN-CATALOG', quantity: 1 });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('unknown_sku');

    const byLocation = await call('GET', `/stock?locationCode=${wh}`);
    expect(byLocation.body.items).toEqual([expect.objectContaining({ sku, onHand: 35 })]);
  });

  it('transfers move both sides and write both movements; never more than is available', async () => {
    const from = await warehouse();
    const to = await dealerStore(dealerA.id);
    const sku = await product();
    await receive(from, sku, 10);
    const moved = await call('POST', '/stock-transfers', { fromLocationCode: from, toLocationCode: to, sku, quantity: 4 });
    expect(moved.status, moved.text).toBe(201);
    expect(moved.body.from).toMatchObject({ onHand: 6 });
    expect(moved.body.to).toMatchObject({ onHand: 4 });
    expect(moved.body.movements.map((m: { type: string }) => m.type)).toEqual(['transfer_out', 'transfer_in']);
    const doc = await call('GET', `/stock-transfers/${moved.body.transfer.id}`);
    expect(doc.body).toMatchObject({ fromLocationCode: from, toLocationCode: to, sku, quantity: 4 });

    const refused = await call('POST', '/stock-transfers', { fromLocationCode: from, toLocationCode: to, sku, quantity: 7 });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('insufficient_stock');
    const same = await call('POST', '/stock-transfers', { fromLocationCode: from, toLocationCode: from, sku, quantity: 1 });
    expect(same.status).toBe(400);
    await expectLedgerBalanced(from, sku);
    await expectLedgerBalanced(to, sku);
  });

  it('movement history filters by date and pages', async () => {
    const wh = await warehouse();
    const sku = await product();
    for (let i = 1; i <= 5; i += 1) await receive(wh, sku, i);
    const page1 = await call('GET', `/stock/${wh}/${sku}/movements?limit=2`);
    expect(page1.body.items.map((m: { onHandDelta: number }) => m.onHandDelta)).toEqual([5, 4]);
    const page2 = await call('GET', `/stock/${wh}/${sku}/movements?limit=2&cursor=${page1.body.nextCursor}`);
    expect(page2.body.items.map((m: { onHandDelta: number }) => m.onHandDelta)).toEqual([3, 2]);
    const today = new Date().toISOString().slice(0, 10);
    expect((await call('GET', `/stock/${wh}/${sku}/movements?from=${today}&to=${today}`)).body.items).toHaveLength(5);
    expect((await call('GET', `/stock/${wh}/${sku}/movements?to=2020-01-01`)).body.items).toHaveLength(0);
    expect((await call('GET', `/stock/${wh}/${sku}/movements?cursor=${page1.body.nextCursor}x`)).status).toBe(400);
  });
});

describe('thresholds', () => {
  it('fire once per crossing: down, back up, down again = 2 events; alerts list what is below now', async () => {
    const store = await dealerStore(dealerA.id);
    const sku = await product();
    const received = await receive(store, sku, 20);
    const set = await call('PATCH', `/stock/${store}/${sku}`, { reorderPoint: 10, overstockLevel: 50 }, { headers: { 'if-match': received.headers.get('etag')! } });
    expect(set.status, set.text).toBe(200);
    const events = () => twin.bus.published.filter((e) => (e.detail as { sku?: string }).sku === sku);
    const adjust = (quantity: number) => call('POST', '/stock/adjustments', { locationCode: store, sku, quantity, reason: '测试' });

    await adjust(-12); // 8 < 10: crossing down
    await adjust(-1); // still below: no new event
    expect(events().map((e) => e.type)).toEqual(['stock.below_reorder_point.v1']);
    expect(events()[0]!.detail).toMatchObject({ locationCode: store, sku, dealerId: dealerA.id, region: 'CN-EAST', available: 8, reorderPoint: 10 });
    const alerts = await call('GET', '/stock/alerts?kind=below_reorder_point&limit=100');
    expect(alerts.body.items).toContainEqual(expect.objectContaining({ locationCode: store, sku, available: 7, reorderPoint: 10 }));

    await adjust(+10); // 17: back up, re-armed
    expect((await call('GET', '/stock/alerts?limit=100')).body.items.some((a: { sku: string }) => a.sku === sku)).toBe(false);
    await adjust(-9); // 8: down again
    await receive(store, sku, 60); // 68 > 50: overstock
    await receive(store, sku, 1);
    expect(events().map((e) => e.type)).toEqual(['stock.below_reorder_point.v1', 'stock.below_reorder_point.v1', 'stock.above_overstock.v1']);

    // The dealer sees its own alert; dealer B does not.
    const mine = await call('GET', '/stock/alerts?limit=100', undefined, { token: await twin.token('dealer_user', { dealerId: dealerA.id }) });
    expect(mine.body.items.some((a: { sku: string }) => a.sku === sku)).toBe(true);
    const theirs = await call('GET', '/stock/alerts?limit=100', undefined, { token: await twin.token('dealer_user', { dealerId: dealerB.id }) });
    expect(theirs.body.items.some((a: { sku: string }) => a.sku === sku)).toBe(false);
  });

  it('concurrent movements across the threshold raise exactly one event', async () => {
    const wh = await warehouse();
    const sku = await product();
    const received = await receive(wh, sku, 30);
    await call('PATCH', `/stock/${wh}/${sku}`, { reorderPoint: 25 }, { headers: { 'if-match': received.headers.get('etag')! } });
    const results = await Promise.all(Array.from({ length: 10 }, () => call('POST', '/stock/adjustments', { locationCode: wh, sku, quantity: -1, reason: '并发' })));
    expect(results.every((r) => r.status === 201)).toBe(true);
    const fired = twin.bus.published.filter((e) => (e.detail as { sku?: string }).sku === sku);
    expect(fired).toHaveLength(1);
    await expectLedgerBalanced(wh, sku);
  });
});
