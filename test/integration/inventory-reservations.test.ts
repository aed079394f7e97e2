import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePrincipal } from '../../domain/access/principal';
import { BUILT_IN_ROLES } from '../../domain/access/roles';
import type { RequestContext } from '../../domain/audit/audit-entry';
import type { StockStore } from '../../domain/inventory/ports';
import { InsufficientStockError, LocationFrozenError } from '../../domain/inventory/stock';
import { StockService } from '../../domain/inventory/stock-service';
import { inventoryRuntime } from '../../functions/adapters/inventory-runtime';
import { locationRepository } from '../../functions/adapters/dynamo/location-repository';
import { dms } from '../../functions/adapters/dynamo/service';
import { stockStore } from '../../functions/adapters/dynamo/stock-store';
import { runtime } from '../../functions/adapters/runtime';
import { idempotencyKey, startTestTwin, type TestTwin } from '../support/twin';

/**
 * The reservation port and the ledger under pressure, in process against DynamoDB Local: no
 * oversell under 200 concurrent reservations, all-or-nothing lines, idempotent release and
 * consume, the stocktake freeze, and transfers that stay consistent when a write fails.
 */

let twin: TestTwin;
let admin: string;
let seq = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36).toUpperCase()}-${(seq += 1)}`;

beforeAll(async () => {
  twin = await startTestTwin();
  admin = await twin.token('admin', { userId: 'res-admin' });
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


async function warehouse(): Promise<string> {
  const response = await twin.request('POST', '/locations', {
    token: admin,
    body: { code: unique('WH'), name: '测试仓', kind: 'warehouse', region: 'CN-EAST' },
    headers: { 'idempotency-key': idempotencyKey() },
  });
  expect(response.status, response.text).toBe(201);
  return response.body.code;
}

async function receive(locationCode: string, sku: string, quantity: number): Promise<void> {
  const response = await twin.request('POST', '/stock/receipts', { token: admin, body: { locationCode, sku, quantity }, headers: { 'idempotency-key': idempotencyKey() } });
  expect(response.status, response.text).toBe(201);
}

async function level(locationCode: string, sku: string) {
  return (await stockStore.getLevel(locationCode, sku))!;
}

async function movementSums(locationCode: string, sku: string): Promise<{ onHand: number; reserved: number; count: number }> {
  const all = await dms().entities.stockMovement.query.byLevel({ locationCode, sku }).go({ pages: 'all' });
  return {
    onHand: all.data.reduce((s, m) => s + m.onHandDelta, 0),
    reserved: all.data.reduce((s, m) => s + m.reservedDelta, 0),
    count: all.data.length,
  };
}

async function expectBalanced(locationCode: string, sku: string): Promise<void> {
  const current = await level(locationCode, sku);
  const sums = await movementSums(locationCode, sku);
  expect({ onHand: sums.onHand, reserved: sums.reserved }).toEqual({ onHand: current.onHand, reserved: current.reserved });
}

function adminContext(): RequestContext {
  const { newId } = runtime();
  const principal = resolvePrincipal({ userId: 'res-admin', username: 'admin', roles: ['admin'], regions: [] }, [BUILT_IN_ROLES.get('admin')!]);
  return { principal, requestId: `test-${newId()}`, now: new Date(), newId };
}

describe('the reservation port', () => {
  it('no oversell: 200 concurrent reservations of 1–3 units against 50 → exactly 50 reserved, the rest refused, movements sum to the level', async () => {
    const wh = await warehouse();
    const sku = await product();
    await receive(wh, sku, 50);
    const { reservations } = inventoryRuntime();
    const quantities = Array.from({ length: 200 }, (_, i) => (i % 3) + 1);
    const outcomes = await Promise.allSettled(quantities.map((quantity, i) => reservations.reserve(`R-${sku}-${i}`, [{ locationCode: wh, sku, quantity }])));

    const granted = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [quantities[i]!] : []));
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    for (const failure of refused) {
      expect(failure.reason).toBeInstanceOf(InsufficientStockError);
      expect(failure.reason.code).toBe('insufficient_stock');
    }
    expect(granted.reduce((s, q) => s + q, 0)).toBe(50);
    expect(granted.length + refused.length).toBe(200);
    const after = await level(wh, sku);
    expect(after).toMatchObject({ onHand: 50, reserved: 50 });
    await expectBalanced(wh, sku);
    expect((await movementSums(wh, sku)).count).toBe(1 + granted.length);
  }, 120_000);

  it('reserves all lines or none', async () => {
    const wh = await warehouse();
    const [a, b] = [await product(), await product()];
    await receive(wh, a, 10);
    await receive(wh, b, 2);
    const { reservations } = inventoryRuntime();
    await expect(
      reservations.reserve(unique('R'), [
        { locationCode: wh, sku: a, quantity: 5 },
        { locationCode: wh, sku: b, quantity: 3 },
      ]),
    ).rejects.toMatchObject({ code: 'insufficient_stock', sku: b });
    expect((await level(wh, a)).reserved).toBe(0);
    expect((await level(wh, b)).reserved).toBe(0);
    expect((await movementSums(wh, a)).count).toBe(1);
  });

  it('reserve, release and consume are idempotent', async () => {
    const wh = await warehouse();
    const sku = await product();
    await receive(wh, sku, 20);
    const { reservations } = inventoryRuntime();
    const id = unique('R');
    const lines = [{ locationCode: wh, sku, quantity: 4 }, { locationCode: wh, sku, quantity: 4 }];
    const first = await reservations.reserve(id, lines, { reference: 'SO-2026-000001' });
    expect(first.lines).toEqual([{ locationCode: wh, sku, quantity: 8, remaining: 8 }]);
    const again = await reservations.reserve(id, lines);
    expect(again.id).toBe(id);
    expect((await level(wh, sku)).reserved).toBe(8);
    await expect(reservations.reserve(id, [{ locationCode: wh, sku, quantity: 1 }])).rejects.toMatchObject({ code: 'reservation_exists' });

    // Ship 3, twice under the same shipment id: once.
    await reservations.consume(id, 'DN-1', [{ locationCode: wh, sku, quantity: 3 }]);
    await reservations.consume(id, 'DN-1', [{ locationCode: wh, sku, quantity: 3 }]);
    expect(await level(wh, sku)).toMatchObject({ onHand: 17, reserved: 5 });
    await expect(reservations.consume(id, 'DN-2', [{ locationCode: wh, sku, quantity: 6 }])).rejects.toMatchObject({ code: 'exceeds_reservation' });

    const released = await reservations.release(id);
    expect(released.status).toBe('released');
    await reservations.release(id);
    expect(await level(wh, sku)).toMatchObject({ onHand: 17, reserved: 0 });
    await expect(reservations.consume(id, 'DN-3', [{ locationCode: wh, sku, quantity: 1 }])).rejects.toMatchObject({ code: 'reservation_closed' });
    await expectBalanced(wh, sku);
    // reserve + shipment + release (the retries wrote nothing), after the receipt.
    expect((await movementSums(wh, sku)).count).toBe(4);
  });
});

describe('reservations and thresholds', () => {
  it('a reservation that takes available stock below the reorder point raises the alert once; the release re-arms it', async () => {
    const wh = await warehouse();
    const sku = await product();
    await receive(wh, sku, 10);
    const set = await twin.request('PATCH', `/stock/${wh}/${sku}`, { token: admin, body: { reorderPoint: 5 }, headers: { 'if-match': '"1"' } });
    expect(set.status, set.text).toBe(200);
    const fired = () => twin.bus.published.filter((e) => e.type === 'stock.below_reorder_point.v1' && (e.detail as { sku: string }).sku === sku);
    const { reservations } = inventoryRuntime();
    const first = unique('R');
    await reservations.reserve(first, [{ locationCode: wh, sku, quantity: 6 }]);
    await reservations.reserve(unique('R'), [{ locationCode: wh, sku, quantity: 1 }]);
    expect(fired().map((e) => (e.detail as { available: number }).available)).toEqual([4]);
    await reservations.release(first);
    await reservations.reserve(unique('R'), [{ locationCode: wh, sku, quantity: 6 }]);
    expect(fired()).toHaveLength(2);
  });
});

describe('the stocktake freeze', () => {
  it('a frozen location refuses movements with 409 location_frozen; reservations (reserved only) still work', async () => {
    const wh = await warehouse();
    const other = await warehouse();
    const sku = await product();
    await receive(wh, sku, 10);
    await receive(other, sku, 10);
    await dms().entities.location.patch({ code: wh }).set({ frozenByStocktake: 'ST-TEST' }).go();

    const refused = await twin.request('POST', '/stock/receipts', { token: admin, body: { locationCode: wh, sku, quantity: 1 }, headers: { 'idempotency-key': idempotencyKey() } });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('location_frozen');
    // A transfer into the frozen location fails as a whole: the source side did not move either.
    const transfer = await twin.request('POST', '/stock-transfers', {
      token: admin,
      body: { fromLocationCode: other, toLocationCode: wh, sku, quantity: 2 },
      headers: { 'idempotency-key': idempotencyKey() },
    });
    expect(transfer.status).toBe(409);
    expect(transfer.body.code).toBe('location_frozen');
    expect((await level(other, sku)).onHand).toBe(10);
    await inventoryRuntime().reservations.reserve(unique('R'), [{ locationCode: wh, sku, quantity: 2 }]);

    await dms().entities.location.patch({ code: wh }).remove(['frozenByStocktake']).go();
    const accepted = await twin.request('POST', '/stock/receipts', { token: admin, body: { locationCode: wh, sku, quantity: 1 }, headers: { 'idempotency-key': idempotencyKey() } });
    expect(accepted.status).toBe(201);
    // The location's own version did not move: the freeze is operational state, not master data.
    expect((await twin.request('GET', `/locations/${wh}`, { token: admin })).body.version).toBe(1);
    await expectBalanced(wh, sku);
    await expectBalanced(other, sku);
  });
});

describe('transfers when a write fails', () => {
  /** The real store, whose transaction write fails once: before it reaches DynamoDB, or after it committed. */
  function failingStore(mode: 'before' | 'after'): StockStore & { failures: number } {
    const store = Object.create(stockStore) as StockStore & { failures: number };
    store.failures = 0;
    store.apply = async (changes, audit, extra) => {
      if (store.failures === 0) {
        store.failures += 1;
        if (mode === 'after') await stockStore.apply(changes, audit, extra);
        throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
      }
      return stockStore.apply(changes, audit, extra);
    };
    return store;
  }

  it('a failure before the commit leaves both sides and the ledger untouched; the retry moves it once', async () => {
    const from = await warehouse();
    const to = await warehouse();
    const sku = await product();
    await receive(from, sku, 10);
    const service = new StockService(failingStore('before'), locationRepository);
    const input = { fromLocationCode: from, toLocationCode: to, sku, quantity: 4 };

    await expect(service.transfer(adminContext(), input)).rejects.toThrow('socket hang up');
    expect((await level(from, sku)).onHand).toBe(10);
    expect(await stockStore.getLevel(to, sku)).toBeUndefined();
    expect((await movementSums(from, sku)).count).toBe(1);

    const { transfer } = await service.transfer(adminContext(), input);
    expect((await level(from, sku)).onHand).toBe(6);
    expect((await level(to, sku)).onHand).toBe(4);
    expect(await stockStore.getTransfer(transfer!.id)).toMatchObject({ quantity: 4 });
    await expectBalanced(from, sku);
    await expectBalanced(to, sku);
  });

  it('a failure after the commit (the answer was lost) still leaves both sides and the ledger in step', async () => {
    const from = await warehouse();
    const to = await warehouse();
    const sku = await product();
    await receive(from, sku, 10);
    const service = new StockService(failingStore('after'), locationRepository);
    await expect(service.transfer(adminContext(), { fromLocationCode: from, toLocationCode: to, sku, quantity: 3 })).rejects.toThrow();
    // Committed as a whole: both sides moved together, one movement each.
    expect((await level(from, sku)).onHand).toBe(7);
    expect((await level(to, sku)).onHand).toBe(3);
    await expectBalanced(from, sku);
    await expectBalanced(to, sku);
    expect((await movementSums(to, sku)).count).toBe(1);
  });

  it('concurrent transfers out of one level never take more than it holds', async () => {
    const from = await warehouse();
    const targets = [await warehouse(), await warehouse()];
    const sku = await product();
    await receive(from, sku, 10);
    const { stock } = inventoryRuntime();
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => stock.transfer(adminContext(), { fromLocationCode: from, toLocationCode: targets[i % 2]!, sku, quantity: 3 })),
    );
    const done = results.filter((r) => r.status === 'fulfilled').length;
    expect(done).toBe(3);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(InsufficientStockError);
    expect((await level(from, sku)).onHand).toBe(1);
    const moved = (await Promise.all(targets.map((t) => stockStore.getLevel(t, sku)))).reduce((s, l) => s + (l?.onHand ?? 0), 0);
    expect(moved).toBe(9);
    await expectBalanced(from, sku);
    for (const t of targets) if (await stockStore.getLevel(t, sku)) await expectBalanced(t, sku);
    expect(LocationFrozenError).toBeDefined();
  });
});
