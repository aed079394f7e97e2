import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessDate } from '../../domain/shared/business-date';
import { productReader } from '../../functions/adapters/catalog-runtime';
import { dynamoCallCounter } from '../../functions/adapters/dynamo/client';
import { idempotencyKey, newDealerInput, startTestTwin, type ApiResponse, type TestTwin } from '../support/twin';
import { newProductInput } from '../support/fixtures/catalog';

/**
 * The catalog and price policies through the twin: product CRUD and search, price policy CRUD,
 * quotes with their explanation, and tenant isolation of quotes and special prices.
 */

let twin: TestTwin;
let admin: string;
let dealerA: { id: string; region: string };
let dealerB: { id: string; region: string };

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, token = admin): Promise<ApiResponse> {
  return twin.request(method, path, { token, ...(body !== undefined ? { body } : {}), headers });
}

async function create(path: string, body: unknown): Promise<ApiResponse> {
  const response = await call('POST', path, body, { 'idempotency-key': idempotencyKey() });
  expect(response.status, response.text).toBe(201);
  return response;
}

beforeAll(async () => {
  twin = await startTestTwin();
  admin = await twin.token('admin', { userId: 'catalog-admin' });
  // A: gold distributor in CN-EAST; B: silver retailer in CN-SOUTH.
  dealerA = (await create('/dealers', newDealerInput({ region: 'CN-EAST', tier: 'gold', channelType: 'distributor' }))).body;
  dealerB = (await create('/dealers', newDealerInput({ region: 'CN-SOUTH', tier: 'silver', channelType: 'retailer' }))).body;
  // A is active (quotes carry no warning); B stays a prospect.
  expect((await call('POST', `/dealers/${dealerA.id}/status`, { status: 'active', reason: '签约' }, { 'if-match': '"1"' })).status).toBe(200);
});
afterAll(() => twin?.close());

describe('products', () => {
  it('creates, reads (SKU case-insensitive in the path), updates with If-Match and discontinues', async () => {
    const input = newProductInput({ sku: 'ac-int-001', barcode: '6901234567892', orderMultiple: 2, minOrderQuantity: 4 });
    const created = await create('/products', input);
    expect(created.body).toMatchObject({ sku: 'AC-INT-001', status: 'active', listPrice: { amount: 329_900, currency: 'CNY' }, version: 1 });
    expect(created.headers.get('location')).toMatch(/\/products\/AC-INT-001$/);

    const duplicate = await call('POST', '/products', { ...input, sku: 'AC-INT-001' }, { 'idempotency-key': idempotencyKey() });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe('sku_taken');

    const read = await call('GET', '/products/ac-int-001');
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toBe('"1"');

    const stale = await call('PATCH', '/products/AC-INT-001', { status: 'discontinued' }, { 'if-match': '"7"' });
    expect(stale.status).toBe(412);
    const discontinued = await call('PATCH', '/products/AC-INT-001', { status: 'discontinued', barcode: null }, { 'if-match': '"1"' });
    expect(discontinued.status, discontinued.text).toBe(200);
    expect(discontinued.body).toMatchObject({ status: 'discontinued', version: 2 });
    expect(discontinued.body.barcode).toBeUndefined();
    const trail = await call('GET', `/audit-log?entityType=product&entityId=AC-INT-001`);
    expect(trail.body.items.map((r: { action: string }) => r.action)).toEqual(['product.discontinued', 'product.created']);

    const bad = await call('PATCH', '/products/AC-INT-001', { minOrderQuantity: 3 }, { 'if-match': '"2"' });
    expect(bad.status).toBe(400);
    expect((await call('POST', '/products', { ...newProductInput(), barcode: '6901234567893' }, { 'idempotency-key': idempotencyKey() })).status).toBe(400);
    expect((await call('POST', '/products', { ...newProductInput(), vatRate: 1700 }, { 'idempotency-key': idempotencyKey() })).status).toBe(400);
  });

  it('concurrent updates with one ETag: exactly one wins, the others get 412', async () => {
    await create('/products', newProductInput({ sku: 'RACE-1' }));
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => call('PATCH', '/products/RACE-1', { listPrice: { amount: 100_000 + n, currency: 'CNY' } }, { 'if-match': '"1"' })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 412, 412, 412, 412]);
    const trail = await call('GET', '/audit-log?entityType=product&entityId=RACE-1');
    expect(trail.body.items).toHaveLength(2);
  });

  it('offers other contexts a product reader: get and a batched getMany', async () => {
    await create('/products', newProductInput({ sku: 'READER-1' }));
    expect((await productReader.get('READER-1'))?.sku).toBe('READER-1');
    expect(await productReader.get('READER-404')).toBeUndefined();
    dynamoCallCounter.reset();
    const found = await productReader.getMany(['READER-1', 'RACE-1', 'READER-404', 'READER-1']);
    expect(found.map((p) => p.sku).sort()).toEqual(['RACE-1', 'READER-1']);
    expect(dynamoCallCounter.counts.get('BatchGetItemCommand')).toBe(1);
  });

  it('searches by category, status and name prefix (Chinese or English), paginated', async () => {
    const made = [
      newProductInput({ sku: 'SRCH-FRIDGE-1', name: '海尔 三门冰箱 235升', nameEn: 'Haier 3-door fridge 235L', category: 'REFRIGERATOR' }),
      newProductInput({ sku: 'SRCH-FRIDGE-2', name: '海尔 对开门冰箱 520升', nameEn: 'Haier side-by-side fridge 520L', category: 'REFRIGERATOR' }),
      newProductInput({ sku: 'SRCH-FRIDGE-3', name: '美的 十字门冰箱 450升', nameEn: 'Midea cross-door fridge 450L', category: 'REFRIGERATOR', status: 'discontinued' }),
      newProductInput({ sku: 'SRCH-HOOD-1', name: '海尔 侧吸式油烟机', nameEn: 'Haier side-draft range hood', category: 'KITCHEN' }),
    ];
    for (const product of made) await create('/products', product);
    const skus = async (query: string) => (await call('GET', `/products?${query}`)).body.items.map((p: { sku: string }) => p.sku);

    expect(await skus('category=REFRIGERATOR')).toEqual(expect.arrayContaining(['SRCH-FRIDGE-1', 'SRCH-FRIDGE-2', 'SRCH-FRIDGE-3']));
    expect(await skus('category=REFRIGERATOR&status=active')).not.toContain('SRCH-FRIDGE-3');
    expect(await skus('status=discontinued')).toContain('SRCH-FRIDGE-3');
    expect((await twin.request('GET', '/products?status=prospect', { token: admin })).status).toBe(400);
    expect((await skus(`namePrefix=${encodeURIComponent('海尔')}`)).sort()).toEqual(['SRCH-FRIDGE-1', 'SRCH-FRIDGE-2', 'SRCH-HOOD-1']);
    expect((await skus(`namePrefix=${encodeURIComponent('海尔')}&category=KITCHEN`))).toEqual(['SRCH-HOOD-1']);
    expect((await skus('namePrefix=haier%20side')).sort()).toEqual(['SRCH-FRIDGE-2', 'SRCH-HOOD-1']);
    expect(await skus('namePrefix=MIDEA&category=REFRIGERATOR')).toEqual(['SRCH-FRIDGE-3']);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await call('GET', `/products?category=REFRIGERATOR&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((p: { sku: string }) => p.sku));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(['SRCH-FRIDGE-1', 'SRCH-FRIDGE-2', 'SRCH-FRIDGE-3']));
    const foreign = (await call('GET', '/products?category=KITCHEN&limit=1')).body.nextCursor;
    if (foreign) expect((await call('GET', `/products?category=REFRIGERATOR&cursor=${foreign}`)).status).toBe(400);

    const categories = await call('GET', '/categories', undefined, {}, await twin.token('dealer_user', { dealerId: dealerA.id }));
    expect(categories.body.items.map((c: { code: string }) => c.code)).toContain('REFRIGERATOR');
  });
});

describe('quotes', () => {
  const SKU = 'QT-AC-35';
  const DATE = '2026-06-15';
  const ids: Record<string, string> = {};
  const quote = (query: Record<string, string>, token = admin) => call('GET', `/prices/quote?${new URLSearchParams({ sku: SKU, date: DATE, ...query })}`, undefined, {}, token);

  beforeAll(async () => {
    await create('/products', newProductInput({ sku: SKU, vatRate: 1300, listPrice: { amount: 300_000, currency: 'CNY' }, minOrderQuantity: 2 }));
    ids.gold = (await create('/price-lists', { name: '2026 金牌价', tier: 'gold', validFrom: '2026-01-01', validTo: '2026-12-31', lines: [{ sku: SKU, amount: 270_000 }, { sku: SKU, amount: 265_000, minQuantity: 50 }] })).body.id;
    ids.silver = (await create('/price-lists', { name: '2026 银牌价', tier: 'silver', validFrom: '2026-01-01', lines: [{ sku: SKU, amount: 285_000 }] })).body.id;
    ids.distributor = (await create('/price-lists', { name: '分销渠道价', channelType: 'distributor', validFrom: '2026-06-10', validTo: '2026-06-20', lines: [{ sku: SKU, amount: 262_000 }] })).body.id;
    ids.specialB = (await create('/special-prices', { dealerId: dealerB.id, sku: SKU, amount: 240_000, validFrom: '2026-01-01', note: 'B 年度协议价' })).body.id;
    ids.promo = (await create('/promotions', { name: '618 空调节', discount: { kind: 'percent', basisPoints: 500 }, skus: [], categories: ['AC'], validFrom: '2026-06-01', validTo: '2026-06-18' })).body.id;
  });

  it('applies the precedence, the promotion, VAT, and explains every rule considered', async () => {
    const response = await quote({ dealerId: dealerA.id, quantity: '3' });
    expect(response.status, response.text).toBe(200);
    // Channel list 262,000 beats the gold list; 5 % off → 248,900.
    expect(response.body).toMatchObject({
      dealerId: dealerA.id,
      sku: SKU,
      quantity: 3,
      date: DATE,
      currency: 'CNY',
      listPrice: 300_000,
      basePrice: 262_000,
      unitPrice: 248_900,
      discountPerUnit: 51_100,
      vatRate: 1300,
      lineNet: 746_700,
      vatAmount: 97_071,
      lineGross: 843_771,
      warnings: [],
    });
    const { explanation } = response.body;
    expect(explanation.winner).toMatchObject({ kind: 'channel_price_list', id: ids.distributor });
    expect(explanation.promotion).toMatchObject({ id: ids.promo, discountPerUnit: 13_100 });
    const outcome = (id: string) => explanation.considered.find((r: { id: string }) => r.id === id)?.outcome;
    expect(outcome(ids.gold!)).toBe('outranked');
    expect(outcome(SKU)).toBe('outranked');
    expect(outcome(ids.promo!)).toBe('applied');
    // B's special price and the silver list are not A's: never loaded, never shown.
    expect(response.text).not.toContain(ids.specialB);
    expect(response.text).not.toContain(dealerB.id);
    expect(response.text).not.toContain(ids.silver);
  });

  it('follows validity: after the channel list and the promotion end, the tier list and its quantity break apply', async () => {
    const after = await quote({ dealerId: dealerA.id, date: '2026-06-21', quantity: '1' });
    expect(after.body).toMatchObject({ unitPrice: 270_000, warnings: [{ code: 'below_minimum_order_quantity' }] });
    // Rules that ended before the date are not even read (a key range on the end date).
    expect(after.body.explanation.considered.map((r: { id: string }) => r.id)).not.toContain(ids.distributor);
    expect(after.body.explanation.winner).toMatchObject({ kind: 'tier_price_list', id: ids.gold });
    // Rules that start later are read and explained.
    const before = await quote({ dealerId: dealerA.id, date: '2026-06-09' });
    expect(before.body.explanation.considered.find((r: { id: string }) => r.id === ids.distributor)).toMatchObject({ outcome: 'not_applicable', reason: 'not_yet_valid' });
    expect((await quote({ dealerId: dealerA.id, date: '2026-06-21', quantity: '50' })).body.unitPrice).toBe(265_000);
    expect((await quote({ dealerId: dealerA.id, date: '2027-01-01' })).body.unitPrice).toBe(300_000);
  });

  it('a special price wins for its dealer', async () => {
    const response = await quote({ dealerId: dealerB.id, date: '2026-07-01', quantity: '2' });
    expect(response.body.warnings).toEqual([{ code: 'dealer_not_active', message: 'The dealer is prospect; it cannot order.' }]);
    expect(response.body).toMatchObject({ unitPrice: 240_000, explanation: { winner: { kind: 'special_price', id: ids.specialB, name: 'B 年度协议价' } } });
  });

  it('defaults the date to today in Asia/Shanghai', async () => {
    const response = await call('GET', `/prices/quote?dealerId=${dealerA.id}&sku=${SKU}`);
    expect(response.status).toBe(200);
    expect([businessDate(new Date(Date.now() - 5_000)), businessDate(new Date())]).toContain(response.body.date);
    expect(response.body.quantity).toBe(1);
  });

  it('needs few DynamoDB calls: dealer, product, special prices, promotions, then the two lists', async () => {
    await quote({ dealerId: dealerA.id });
    dynamoCallCounter.reset();
    expect((await quote({ dealerId: dealerA.id })).status).toBe(200);
    expect(dynamoCallCounter.total()).toBeLessThanOrEqual(6);
    expect(dynamoCallCounter.counts.get('ScanCommand')).toBeUndefined();
  });

  it('unknown product or dealer → 404; bad input → 400', async () => {
    expect((await quote({ dealerId: dealerA.id, sku: 'NO-SUCH-SKU' })).status).toBe(404);
    expect((await quote({ dealerId: ulid() })).status).toBe(404);
    expect((await quote({ dealerId: dealerA.id, quantity: '0' })).status).toBe(400);
    expect((await quote({ dealerId: dealerA.id, date: '2026-02-30' })).status).toBe(400);
  });

  describe('tenant isolation', () => {
    it('a dealer quotes its own prices; another dealer’s id is a 404 exactly like an unknown one', async () => {
      for (const role of ['dealer_admin', 'dealer_user']) {
        const token = await twin.token(role, { dealerId: dealerA.id });
        expect((await quote({ dealerId: dealerA.id }, token)).status).toBe(200);
        const other = await quote({ dealerId: dealerB.id }, token);
        const ghostId = ulid();
        const ghost = await quote({ dealerId: ghostId }, token);
        expect(other.status).toBe(404);
        expect(other.body.code).toBe('not_found');
        expect(other.body.detail.replace(dealerB.id, ghostId)).toBe(ghost.body.detail);
        expect(other.text).not.toContain('240000');
      }
    });

    it('a region-scoped sales manager quotes only dealers of its regions', async () => {
      const east = await twin.token('sales_manager', { regions: ['CN-EAST'] });
      expect((await quote({ dealerId: dealerA.id }, east)).status).toBe(200);
      expect((await quote({ dealerId: dealerB.id }, east)).status).toBe(404);
    });

    it('nobody outside B’s scope sees B’s special prices', async () => {
      const dealerToken = await twin.token('dealer_admin', { dealerId: dealerA.id });
      expect((await call('GET', '/special-prices', undefined, {}, dealerToken)).status).toBe(403);
      expect((await call('GET', `/special-prices/${ids.specialB}`, undefined, {}, dealerToken)).status).toBe(403);

      const east = await twin.token('sales_manager', { regions: ['CN-EAST'] });
      const hidden = await call('GET', `/special-prices/${ids.specialB}`, undefined, {}, east);
      expect(hidden.status).toBe(404);
      const listed = await call('GET', '/special-prices?limit=100', undefined, {}, east);
      expect(listed.status).toBe(200);
      expect(listed.text).not.toContain(dealerB.id);
      expect((await call('GET', `/special-prices?dealerId=${dealerB.id}`, undefined, {}, east)).body.items).toEqual([]);

      const south = await twin.token('sales_manager', { regions: ['CN-SOUTH'] });
      expect((await call('GET', `/special-prices/${ids.specialB}`, undefined, {}, south)).status).toBe(200);
      expect((await call('GET', `/special-prices?dealerId=${dealerB.id}`, undefined, {}, south)).body.items.map((s: { id: string }) => s.id)).toEqual([ids.specialB]);
    });
  });
});

describe('price policy maintenance', () => {
  it('refuses prices for unknown SKUs, inverted windows, and lists for both a tier and a channel', async () => {
    const headers = () => ({ 'idempotency-key': idempotencyKey() });
    const unknown = await call('POST', '/price-lists', { name: 'x', tier: 'gold', validFrom: '2026-01-01', lines: [{ sku: 'NOPE-1', amount: 1 }] }, headers());
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('unknown_sku');
    expect((await call('POST', '/price-lists', { name: 'x', tier: 'gold', channelType: 'retailer', validFrom: '2026-01-01' }, headers())).status).toBe(400);
    expect((await call('POST', '/promotions', { name: 'x', discount: { kind: 'percent', basisPoints: 100 }, categories: ['AC'], validFrom: '2026-02-01', validTo: '2026-01-01' }, headers())).status).toBe(400);
    expect((await call('POST', '/special-prices', { dealerId: ulid(), sku: 'QT-AC-35', amount: 1, validFrom: '2026-01-01' }, headers())).status).toBe(404);
  });

  it('updates and deletes with If-Match, filters lists by tier and date', async () => {
    const list = await create('/price-lists', { name: '铂金临时价', tier: 'platinum', validFrom: '2026-03-01', validTo: '2026-03-31', lines: [] });
    const id = list.body.id as string;
    const inverted = await call('PATCH', `/price-lists/${id}`, { validFrom: '2026-04-01' }, { 'if-match': '"1"' });
    expect(inverted.status).toBe(400);
    const updated = await call('PATCH', `/price-lists/${id}`, { validTo: null }, { 'if-match': '"1"' });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body.validTo).toBeUndefined();
    const ids = async (query: string) => (await call('GET', `/price-lists?${query}`)).body.items.map((l: { id: string }) => l.id);
    expect(await ids('tier=platinum&activeOn=2026-05-01')).toContain(id);
    expect(await ids('tier=platinum&activeOn=2026-02-28')).not.toContain(id);
    expect(await ids('activeOn=2026-05-01')).toContain(id);
    expect(await ids('channelType=retailer')).not.toContain(id);
    const summary = (await call('GET', '/price-lists?tier=platinum')).body.items[0];
    expect(summary.lineCount).toBe(0);
    expect(summary.lines).toBeUndefined();

    expect((await call('DELETE', `/price-lists/${id}`, undefined, { 'if-match': '"1"' })).status).toBe(412);
    expect((await call('DELETE', `/price-lists/${id}`, undefined, { 'if-match': '"2"' })).status).toBe(204);
    expect((await call('GET', `/price-lists/${id}`)).status).toBe(404);
  });
});
