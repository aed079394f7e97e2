import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../domain/shared/business-date';
import { createWorld, type World } from '../support/fixture-kit';
import { catalogSku, catalogSkus, dealerStore, reportBody, sku, yesterday } from '../support/fixtures/channel';
import { idempotencyKey, startTestTwin, type ApiResponse, type TestTwin } from '../support/twin';
import type { Location } from '../../domain/inventory/location';
import { ulid } from 'ulid';
import { resolvePrincipal } from '../../domain/access/principal';
import { BUILT_IN_ROLES } from '../../domain/access/roles';
import { NewSellOutBatchSchema, NewStockReportSchema, type SellOutBatch, type StockReport } from '../../domain/channel/channel-stock';
import { ChannelStockService } from '../../domain/channel/channel-stock-service';
import { channelStockRepository } from '../../functions/adapters/dynamo/channel-stock-repository';
import { locationRepository } from '../../functions/adapters/dynamo/location-repository';
import { productRepository } from '../../functions/adapters/dynamo/catalog-product-repository';

/**
 * Channel inventory through the local HTTP server: dealers report their own locations' stock
 * and sell-out; staff read it by dealer, SKU and region; nobody reaches another dealer's data.
 */

const START = new Date(Date.now() - 60_000).toISOString();
let twin: TestTwin;
let world: World;
let storeA: Location;
let storeA2: Location;
let storeB: Location;
let dealerA: string;
let dealerB: string;

beforeAll(async () => {
  twin = await startTestTwin();
  world = await createWorld(twin);
  [storeA, storeA2, storeB] = await Promise.all([dealerStore(world, 'A'), dealerStore(world, 'A', { kind: 'dealer_warehouse' }), dealerStore(world, 'B')]);
  dealerA = await twin.token('dealer_user', { userId: 'chan-user-a', dealerId: world.dealerA.id });
  dealerB = await twin.token('dealer_admin', { userId: 'chan-admin-b', dealerId: world.dealerB.id });
});
afterAll(async () => {
  await twin?.close();
});

function post(path: string, body: unknown, token: string, key = idempotencyKey()): Promise<ApiResponse> {
  return twin.request('POST', path, { token, body, headers: { 'idempotency-key': key } });
}

const read = (path: string, token = world.admin) => twin.request('GET', path, { token });

/** The audit records so far (counted from a fixed start, so a mark is exact). */
async function auditMark(): Promise<{ count: number }> {
  return { count: await auditCountSince() };
}

async function auditCountSince(_mark?: { count: number }): Promise<number> {
  const from = START;
  let count = 0;
  let cursor: string | undefined;
  do {
    const response = await read(`/audit-log?${new URLSearchParams({ from, limit: '100', ...(cursor ? { cursor } : {}) })}`);
    expect(response.status).toBe(200);
    count += response.body.items.length;
    cursor = response.body.nextCursor;
  } while (cursor);
  return count;
}

async function levelsOf(location: Location, token = world.admin): Promise<Record<string, number>> {
  const response = await read(`/channel-stock/locations/${location.code}?limit=100`, token);
  expect(response.status, response.text).toBe(200);
  return Object.fromEntries(response.body.items.map((l: { sku: string; quantity: number }) => [l.sku, l.quantity]));
}

async function allPages(path: string, query: Record<string, string>, token: string): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const response = await read(`${path}?${new URLSearchParams({ ...query, ...(cursor ? { cursor } : {}) })}`, token);
    expect(response.status, response.text).toBe(200);
    items.push(...response.body.items);
    cursor = response.body.nextCursor;
    pages += 1;
  } while (cursor && pages < 100);
  return items;
}

describe('stock reports', () => {
  it('a dealer reports its store’s stock; the levels show at the location, by dealer, by SKU and by region', async () => {
    const [s1, s2] = [await catalogSku(world, 'R1'), await catalogSku(world, 'R2')];
    const response = await post('/channel-stock/reports', reportBody(storeA, [{ sku: s1, quantity: 10 }, { sku: s2, quantity: 0 }]), dealerA);
    expect(response.status, response.text).toBe(201);
    expect(response.headers.get('location')).toMatch(new RegExp(`/channel-stock/reports/${response.body.id}$`));
    expect(response.body).toMatchObject({ dealerId: world.dealerA.id, locationCode: storeA.code, region: 'CN-EAST', lineCount: 2, totalQuantity: 10, reportedBy: 'chan-user-a' });

    expect(await levelsOf(storeA, dealerA)).toMatchObject({ [s1]: 10, [s2]: 0 });
    const bySku = await allPages('/channel-stock', { sku: s1 }, world.admin);
    expect(bySku).toEqual([expect.objectContaining({ locationCode: storeA.code, dealerId: world.dealerA.id, quantity: 10, asOf: yesterday(), reportId: response.body.id })]);
    const byDealer = await allPages('/channel-stock', { dealerId: world.dealerA.id, limit: '1' }, world.admin);
    expect(byDealer.map((l) => l.sku)).toEqual(expect.arrayContaining([s1, s2]));
    const byRegion = await allPages('/channel-stock', { region: 'CN-EAST', sku: s2 }, world.admin);
    expect(byRegion).toHaveLength(1);
    expect(await allPages('/channel-stock', { region: 'CN-SOUTH', sku: s2 }, world.admin)).toEqual([]);
    const got = await read(`/channel-stock/reports/${response.body.id}`, dealerA);
    expect(got.body).toEqual(response.body);
  });

  it('a newer report replaces the levels it names; an older one arriving late does not', async () => {
    const s = await catalogSku(world, 'NEW');
    const other = await catalogSku(world, 'KEEP');
    const today = addDays(yesterday(), 1);
    expect((await post('/channel-stock/reports', reportBody(storeA, [{ sku: s, quantity: 5 }, { sku: other, quantity: 9 }], yesterday()), dealerA)).status).toBe(201);
    // Same date, sent later: replaces.
    expect((await post('/channel-stock/reports', reportBody(storeA, [{ sku: s, quantity: 6 }], yesterday()), dealerA)).status).toBe(201);
    expect(await levelsOf(storeA)).toMatchObject({ [s]: 6, [other]: 9 });
    // A later date: replaces.
    expect((await post('/channel-stock/reports', reportBody(storeA, [{ sku: s, quantity: 8 }], today), dealerA)).status).toBe(201);
    // An earlier date arriving after it: stored, but the level stays.
    const late = await post('/channel-stock/reports', reportBody(storeA, [{ sku: s, quantity: 1 }], addDays(yesterday(), -3)), dealerA);
    expect(late.status).toBe(201);
    expect((await read(`/channel-stock/reports/${late.body.id}`)).status).toBe(200);
    const levels = await allPages('/channel-stock', { sku: s }, world.admin);
    expect(levels).toEqual([expect.objectContaining({ quantity: 8, asOf: today })]);
  });

  it('re-sending the same report (another Idempotency-Key) is a replay: same report, one audit record', async () => {
    const body = reportBody(storeA, [{ sku: await catalogSku(world, 'RE'), quantity: 4 }, { sku: await catalogSku(world, 'RE'), quantity: 2 }]);
    const from = await auditMark();
    const first = await post('/channel-stock/reports', body, dealerA);
    expect(first.status).toBe(201);
    const again = await post('/channel-stock/reports', { ...body, lines: [...body.lines].reverse() }, dealerA);
    expect(again.status).toBe(201);
    expect(again.headers.get('x-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    const key = idempotencyKey();
    const concurrent = await Promise.all([1, 2, 3, 4, 5].map(() => post('/channel-stock/reports', body, dealerA, key)));
    for (const r of concurrent) expect(r.body.id).toBe(first.body.id);
    expect(await auditCountSince(from)).toBe(from.count + 1);
  });

  it('a 500-line report is applied in full; 501 lines are refused', async () => {
    const lines = (await catalogSkus(world, 501, 'BULK')).map((s, i) => ({ sku: s, quantity: i }));
    const extra = lines.pop()!;
    const response = await post('/channel-stock/reports', reportBody(storeA2, lines), world.admin);
    expect(response.status, response.text.slice(0, 300)).toBe(201);
    const levels = await allPages(`/channel-stock/locations/${storeA2.code}`, { limit: '100' }, world.admin);
    expect(levels).toHaveLength(500);
    expect(levels.reduce((sum, l) => sum + l.quantity, 0)).toBe((499 * 500) / 2);
    const tooMany = await post('/channel-stock/reports', reportBody(storeA2, [...lines, extra]), world.admin);
    expect(tooMany.status).toBe(400);
  });

  it('rejected reports write nothing: unknown location, malformed lines, dates out of range, a warehouse, an inactive location', async () => {
    const inactive = await dealerStore(world, 'A', { status: 'inactive' });
    const warehouse = await dealerStore(world, 'A', { kind: 'warehouse', dealerId: undefined as never });
    const s = await catalogSku(world, 'BAD');
    const from = await auditMark();
    const cases: [unknown, string, number, string][] = [
      [reportBody({ ...storeA, code: 'CS-NO-SUCH-PLACE' }, [{ sku: s, quantity: 1 }]), dealerA, 404, 'not_found'],
      [reportBody(storeA, [{ sku: s, quantity: 1 }, { sku: s, quantity: 2 }]), dealerA, 400, 'validation_failed'],
      [reportBody(storeA, [{ sku: s, quantity: -1 }]), dealerA, 400, 'validation_failed'],
      [reportBody(storeA, [{ sku: s, quantity: 1.5 }]), dealerA, 400, 'validation_failed'],
      [reportBody(storeA, [{ sku: 'a b', quantity: 1 }]), dealerA, 400, 'validation_failed'],
      [reportBody(storeA, []), dealerA, 400, 'validation_failed'],
      [reportBody(storeA, [{ sku: s, quantity: 1 }], addDays(yesterday(), 3)), dealerA, 400, 'validation_failed'],
      [reportBody(storeA, [{ sku: s, quantity: 1 }, { sku: sku('NOT-IN-CATALOG'), quantity: 1 }]), dealerA, 400, 'unknown_sku'],
      [reportBody(storeA, [{ sku: s, quantity: 1 }], '2026-02-30'), dealerA, 400, 'validation_failed'],
      [reportBody(inactive, [{ sku: s, quantity: 1 }]), dealerA, 409, 'location_inactive'],
      [reportBody(warehouse, [{ sku: s, quantity: 1 }]), world.admin, 404, 'not_found'],
      [reportBody(warehouse, [{ sku: s, quantity: 1 }]), dealerA, 404, 'not_found'],
    ];
    for (const [body, token, status, code] of cases) {
      const response = await post('/channel-stock/reports', body, token);
      expect(response.status, `${JSON.stringify(body)} → ${response.text}`).toBe(status);
      expect(response.body.code).toBe(code);
    }
    expect(await auditCountSince(from)).toBe(from.count);
    expect(await allPages('/channel-stock', { sku: s }, world.admin)).toEqual([]);
  });
});

describe('concurrency and failures midway', () => {
  it('concurrent reports for one location and date: the last accepted report sets every level', async () => {
    const store = await dealerStore(world, 'A');
    const skus = [await catalogSku(world, 'C1'), await catalogSku(world, 'C2'), await catalogSku(world, 'C3')];
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => post('/channel-stock/reports', reportBody(store, skus.map((s) => ({ sku: s, quantity: i * 10 + 1 }))), dealerA)),
    );
    for (const r of responses) expect(r.status, r.text).toBe(201);
    const last = responses.map((r) => r.body).sort((a, b) => (a.id < b.id ? -1 : 1)).pop();
    const levels = await allPages(`/channel-stock/locations/${store.code}`, {}, world.admin);
    expect(levels).toHaveLength(3);
    for (const level of levels) expect(level).toMatchObject({ reportId: last.id, quantity: last.lines[0].quantity });
  });

  it('a report whose levels stopped being applied midway is completed by re-sending it, with one audit record', async () => {
    const store = await dealerStore(world, 'A');
    const lines = (await catalogSkus(world, 300, 'MID')).map((s, i) => ({ sku: s, quantity: i + 1 }));
    const body = reportBody(store, lines);
    // The same use case over a repository that crashes after applying the first 100 lines.
    const crashing = {
      ...channelStockRepository,
      async applyReport(report: StockReport) {
        await channelStockRepository.applyReport({ ...report, lines: report.lines.slice(0, 100) });
        throw new Error('Lambda timed out');
      },
    };
    const service = new ChannelStockService(crashing, locationRepository, productRepository, 'Asia/Shanghai');
    const principal = resolvePrincipal({ userId: 'chan-crash', username: 'x', roles: ['dealer_admin'], regions: [], dealerId: world.dealerA.id }, [BUILT_IN_ROLES.get('dealer_admin')!]);
    const mark = await auditMark();
    await expect(service.report({ principal, requestId: 'req-crash', now: new Date(), newId: ulid }, NewStockReportSchema.parse(body))).rejects.toThrow('Lambda timed out');
    expect(await allPages(`/channel-stock/locations/${store.code}`, { limit: '100' }, world.admin)).toHaveLength(100);

    const retry = await post('/channel-stock/reports', body, dealerA);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('x-replayed')).toBe('true');
    const levels = await allPages(`/channel-stock/locations/${store.code}`, { limit: '100' }, world.admin);
    expect(levels).toHaveLength(300);
    expect(levels.every((l) => l.reportId === retry.body.id)).toBe(true);
    expect(await auditCountSince(mark)).toBe(mark.count + 1);
  });

  it('a sell-out batch interrupted midway and re-sent counts every sale exactly once', async () => {
    const store = await dealerStore(world, 'B');
    const [p, q] = await catalogSkus(world, 2, 'INT');
    const lines = Array.from({ length: 60 }, (_, i) => ({ sku: i % 2 ? p! : q!, quantity: (i % 5) + 1, soldOn: addDays(yesterday(), -(i % 7)), customerRef: `R-${i}` }));
    const crashing = {
      ...channelStockRepository,
      async applySellOutBatch(batch: SellOutBatch) {
        await channelStockRepository.applySellOutBatch({ ...batch, lines: batch.lines.slice(0, 25) });
        throw new Error('Lambda timed out');
      },
    };
    const service = new ChannelStockService(crashing, locationRepository, productRepository, 'Asia/Shanghai');
    const principal = resolvePrincipal({ userId: 'chan-crash-b', username: 'x', roles: ['dealer_admin'], regions: [], dealerId: world.dealerB.id }, [BUILT_IN_ROLES.get('dealer_admin')!]);
    const body = { locationCode: store.code, lines };
    await expect(service.recordSellOut({ principal, requestId: 'req-crash-b', now: new Date(), newId: ulid }, NewSellOutBatchSchema.parse(body))).rejects.toThrow('Lambda timed out');
    const retry = await post('/channel-stock/sell-out', body, dealerB);
    expect(retry.headers.get('x-replayed')).toBe('true');
    await post('/channel-stock/sell-out', body, dealerB);
    const expected = (sku: string) => lines.filter((l) => l.sku === sku).reduce((sum, l) => sum + l.quantity, 0);
    const totals = (await read(`/channel-stock/sell-out?${new URLSearchParams({ dealerId: world.dealerB.id, from: addDays(yesterday(), -7), to: yesterday() })}`)).body.items;
    expect(totals.filter((t: { sku: string }) => t.sku === p || t.sku === q)).toEqual(
      [p!, q!].sort().map((sku) => ({ sku, quantity: expected(sku), lineCount: 30 })),
    );
  });
});

describe('tenant isolation for dealer stock', () => {
  it('dealer A cannot report for B’s location: 404 like a location that does not exist, nothing written', async () => {
    const s = await catalogSku(world, 'ISO');
    const from = await auditMark();
    const theirs = await post('/channel-stock/reports', reportBody(storeB, [{ sku: s, quantity: 1 }]), dealerA);
    const ghost = await post('/channel-stock/reports', reportBody({ ...storeB, code: 'CS-GHOST-0001' }, [{ sku: s, quantity: 1 }]), dealerA);
    expect(theirs.status).toBe(404);
    expect(theirs.body.code).toBe('not_found');
    expect(theirs.body.title).toBe(ghost.body.title);
    expect(theirs.text).not.toContain(world.dealerB.id);
    const sellOut = await post('/channel-stock/sell-out', { locationCode: storeB.code, lines: [{ sku: s, quantity: 1, soldOn: yesterday() }] }, dealerA);
    expect(sellOut.status).toBe(404);
    expect(await auditCountSince(from)).toBe(from.count);
    expect(await allPages('/channel-stock', { sku: s }, world.admin)).toEqual([]);
  });

  it('dealer A cannot read B’s location, report or batch (404); A’s lists never contain B, whatever the filters', async () => {
    const s = await catalogSku(world, 'BOTH');
    const reportB = await post('/channel-stock/reports', reportBody(storeB, [{ sku: s, quantity: 70 }]), dealerB);
    const batchB = await post('/channel-stock/sell-out', { locationCode: storeB.code, lines: [{ sku: s, quantity: 5, soldOn: yesterday() }] }, dealerB);
    expect((await post('/channel-stock/reports', reportBody(storeA, [{ sku: s, quantity: 30 }]), dealerA)).status).toBe(201);
    expect((await post('/channel-stock/sell-out', { locationCode: storeA.code, lines: [{ sku: s, quantity: 2, soldOn: yesterday() }] }, dealerA)).status).toBe(201);

    expect((await read(`/channel-stock/locations/${storeB.code}`, dealerA)).status).toBe(404);
    expect((await read(`/channel-stock/reports/${reportB.body.id}`, dealerA)).status).toBe(404);
    expect((await read(`/channel-stock/sell-out/batches/${batchB.body.id}`, dealerA)).status).toBe(404);
    const east = await twin.token('sales_manager', { regions: ['CN-EAST'] });
    expect((await read(`/channel-stock/locations/${storeB.code}`, east)).status).toBe(404);
    expect((await read(`/channel-stock/reports/${reportB.body.id}`, east)).status).toBe(404);

    for (const token of [dealerA, east]) {
      for (const query of <Record<string, string>[]>[{}, { sku: s }, { dealerId: world.dealerB.id }, { region: 'CN-SOUTH' }, { dealerId: world.dealerB.id, sku: s }]) {
        for (const path of ['/channel-stock', '/channel-stock/sell-out']) {
          const response = await read(`${path}?${new URLSearchParams(query)}`, token);
          expect(response.status, `${path} ${JSON.stringify(query)} ${response.text}`).toBe(200);
          expect(response.text).not.toContain(world.dealerB.id);
          expect(response.text).not.toContain(storeB.code);
        }
      }
    }
    // Not vacuous: A sees its own 30 and 2, staff see both dealers.
    expect(await allPages('/channel-stock', { sku: s }, dealerA)).toEqual([expect.objectContaining({ quantity: 30, dealerId: world.dealerA.id })]);
    expect((await read(`/channel-stock/sell-out?sku=${s}`, dealerA)).body.items).toEqual([{ sku: s, quantity: 2, lineCount: 1 }]);
    expect((await allPages('/channel-stock', { sku: s }, world.admin)).map((l) => l.quantity).sort()).toEqual([30, 70]);
    expect((await read(`/channel-stock/sell-out?sku=${s}`, world.admin)).body.items).toEqual([{ sku: s, quantity: 7, lineCount: 2 }]);
    const south = await twin.token('sales_manager', { regions: ['CN-SOUTH'] });
    expect(await allPages('/channel-stock', { sku: s }, south)).toEqual([expect.objectContaining({ quantity: 70 })]);
    expect((await read(`/channel-stock/locations/${storeB.code}`, south)).status).toBe(200);
  });

  it('staff across all regions name a dealer, a SKU or a region; a one-region manager need not', async () => {
    const response = await read('/channel-stock');
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('filter_required');
    const east = await twin.token('sales_manager', { regions: ['CN-EAST'] });
    const own = await allPages('/channel-stock', { limit: '50' }, east);
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((l) => l.region === 'CN-EAST')).toBe(true);
  });
});

describe('sell-out', () => {
  it('batches are summed per SKU over a date range, by dealer (paged by SKU), SKU and region; a replay counts once', async () => {
    const store = await dealerStore(world, 'B');
    const [x, y, z] = [await catalogSku(world, 'SX'), await catalogSku(world, 'SY'), await catalogSku(world, 'SZ')];
    const d0 = yesterday();
    const d1 = addDays(d0, -1);
    const d9 = addDays(d0, -9);
    const body = {
      locationCode: store.code,
      lines: [
        { sku: x, quantity: 3, soldOn: d0, customerRef: '张三' },
        { sku: x, quantity: 4, soldOn: d1 },
        { sku: y, quantity: 1, soldOn: d0 },
        { sku: z, quantity: 9, soldOn: d9 },
      ],
    };
    const created = await post('/channel-stock/sell-out', body, dealerB);
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ lineCount: 4, totalQuantity: 17, firstSoldOn: d9, lastSoldOn: d0, region: 'CN-SOUTH' });
    const replay = await post('/channel-stock/sell-out', body, dealerB);
    expect(replay.body.id).toBe(created.body.id);
    expect(replay.headers.get('x-replayed')).toBe('true');

    const totals = async (query: Record<string, string>, token = world.admin) => allPages('/channel-stock/sell-out', query, token);
    expect(await totals({ sku: x, from: d1, to: d0 })).toEqual([{ sku: x, quantity: 7, lineCount: 2 }]);
    expect(await totals({ sku: x, from: d0, to: d0 })).toEqual([{ sku: x, quantity: 3, lineCount: 1 }]);
    expect(await totals({ sku: z, from: d1, to: d0 })).toEqual([]);
    expect(await totals({ sku: z, from: d9, to: d9, region: 'CN-SOUTH' })).toEqual([{ sku: z, quantity: 9, lineCount: 1 }]);
    // A dealer's totals, one SKU per page.
    const mine = await totals({ from: d9, to: d0, limit: '1' }, dealerB);
    const ours = mine.filter((t) => [x, y, z].includes(t.sku));
    expect(ours).toEqual([
      { sku: x, quantity: 7, lineCount: 2 },
      { sku: y, quantity: 1, lineCount: 1 },
      { sku: z, quantity: 9, lineCount: 1 },
    ]);
    expect(new Set(mine.map((t) => t.sku)).size).toBe(mine.length);
    const region = await totals({ region: 'CN-SOUTH', from: d1, to: d0, limit: '2' });
    expect(region.filter((t) => [x, y, z].includes(t.sku))).toEqual([
      { sku: x, quantity: 7, lineCount: 2 },
      { sku: y, quantity: 1, lineCount: 1 },
    ]);
    const bad = await read(`/channel-stock/sell-out?sku=${x}&from=${d0}&to=${d1}`);
    expect(bad.status).toBe(400);
    const wide = await read(`/channel-stock/sell-out?sku=${x}&from=2020-01-01&to=2023-01-01`);
    expect(wide.status).toBe(400);
    expect(wide.body.code).toBe('validation_failed');
  });

  it('a sale dated in the future, a zero quantity or an unknown SKU is refused and writes nothing', async () => {
    const f = await catalogSku(world, 'F');
    const from = await auditMark();
    for (const line of [
      { sku: f, quantity: 1, soldOn: addDays(yesterday(), 5) },
      { sku: f, quantity: 0, soldOn: yesterday() },
      { sku: f, quantity: 1, soldOn: yesterday(), customerRef: '' },
      { sku: sku('NOT-IN-CATALOG'), quantity: 1, soldOn: yesterday() },
    ]) {
      const response = await post('/channel-stock/sell-out', { locationCode: storeA.code, lines: [line] }, dealerA);
      expect(response.status, response.text).toBe(400);
    }
    expect(await auditCountSince(from)).toBe(from.count);
  });
});
