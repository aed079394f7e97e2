import { mockClient } from 'aws-sdk-client-mock';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reversalOf, type SalesFacts, type SalesFactsLine } from '../../domain/orders/sales-statistics';
import { dynamoDocumentClient } from '../../functions/adapters/dynamo/client';
import { querySales, recordSales } from '../../functions/adapters/dynamo/sales-statistics-store';
import { dms } from '../../functions/adapters/dynamo/service';
import { startTestTwin, type ApiResponse, type TestTwin } from '../support/twin';

/**
 * Sales counters against DynamoDB Local: known orders in two regions, two months and two
 * channels give exact sums for every grouping and granularity; recording is idempotent per
 * (order, kind), also when ten copies race; a reversal takes an order out; region-scoped staff
 * read their regions only; dealers are refused; bad ranges are 400s.
 */

let twin: TestTwin;
let admin: string;

const D1 = ulid();
const D2 = ulid();
const D3 = ulid();

const line = (sku: string, quantity: number, unitNet: number, rateBp = 1300): SalesFactsLine => {
  const net = quantity * unitNet;
  const vat = Math.round((net * rateBp) / 10_000);
  return { sku, name: `产品 ${sku}`, quantity, net, vat, gross: net + vat };
};

function order(overrides: Partial<SalesFacts> & Pick<SalesFacts, 'date' | 'dealerId' | 'region' | 'channel' | 'lines'>): SalesFacts {
  const id = ulid();
  return {
    orderId: id,
    orderNumber: `SO-2026-${id.slice(-6)}`,
    kind: 'booked',
    dealerName: overrides.dealerId === D1 ? '上海一号商贸' : overrides.dealerId === D2 ? '杭州二号商贸' : '广州三号商贸',
    currency: 'CNY',
    ...overrides,
  };
}

/**
 * The known world (CNY, January and February 2026):
 *   o1  CN-EAST  D1  online_portal 2026-01-15  A×2@1000, B×1@500
 *   o2  CN-EAST  D2  sales_rep     2026-01-20  A×3@1000
 *   o3  CN-SOUTH D3  online_portal 2026-02-03  B×4@500, C×1@10000
 *   o4  CN-EAST  D1  sales_rep     2026-02-03  C×2@10000 (9 %)
 *   o5  CN-SOUTH D3  sales_rep     2026-02-10  A×7@1000   — booked, then reversed
 */
const O1 = order({ date: '2026-01-15', dealerId: D1, region: 'CN-EAST', channel: 'online_portal', lines: [line('SKU-A', 2, 1000), line('SKU-B', 1, 500)] });
const O2 = order({ date: '2026-01-20', dealerId: D2, region: 'CN-EAST', channel: 'sales_rep', lines: [line('SKU-A', 3, 1000)] });
const O3 = order({ date: '2026-02-03', dealerId: D3, region: 'CN-SOUTH', channel: 'online_portal', lines: [line('SKU-B', 4, 500), line('SKU-C', 1, 10_000)] });
const O4 = order({ date: '2026-02-03', dealerId: D1, region: 'CN-EAST', channel: 'sales_rep', lines: [line('SKU-C', 2, 10_000, 900)] });
const O5 = order({ date: '2026-02-10', dealerId: D3, region: 'CN-SOUTH', channel: 'sales_rep', lines: [line('SKU-A', 7, 1000)] });

const amounts = (orders: number, quantity: number, net: number, vat: number) => ({ orders, quantity, net, vat, gross: net + vat });

beforeAll(async () => {
  twin = await startTestTwin();
  admin = await twin.token('admin');
  for (const facts of [O1, O2, O3, O4, O5]) await recordSales(facts);
  await recordSales(reversalOf(O5));
}, 60_000);
afterAll(() => twin?.close());

async function stats(query: Record<string, string>, token = admin): Promise<ApiResponse> {
  return twin.request('GET', `/sales-statistics?${new URLSearchParams(query)}`, { token });
}

async function ok(query: Record<string, string>, token = admin) {
  const response = await stats(query, token);
  expect(response.status, response.text).toBe(200);
  return response.body;
}

const JAN_FEB = { granularity: 'month', from: '2026-01', to: '2026-02' };
const rowsOf = (body: { rows: { period: string; key: string; orders: number; quantity: number; net: number; vat: number; gross: number; label?: string }[] }) =>
  body.rows.map(({ period, key, orders, quantity, net, vat, gross }) => ({ period, key, orders, quantity, net, vat, gross }));

describe('exact sums per grouping and granularity', () => {
  it('groupBy=total by month', async () => {
    const body = await ok({ ...JAN_FEB, groupBy: 'total' });
    expect(body).toMatchObject({ currency: 'CNY', groupBy: 'total', granularity: 'month', from: '2026-01', to: '2026-02' });
    expect(rowsOf(body)).toEqual([
      { period: '2026-01', key: 'total', ...amounts(2, 6, 5500, 715) },
      { period: '2026-02', key: 'total', ...amounts(2, 7, 32_000, 3_360) },
    ]);
    expect(body.totals).toEqual(amounts(4, 13, 37_500, 4_075));
  });

  it('groupBy=dealer by month (labels are dealer names; sorted by gross within a period)', async () => {
    const body = await ok({ ...JAN_FEB, groupBy: 'dealer' });
    expect(rowsOf(body)).toEqual([
      { period: '2026-01', key: D2, ...amounts(1, 3, 3000, 390) },
      { period: '2026-01', key: D1, ...amounts(1, 3, 2500, 325) },
      { period: '2026-02', key: D1, ...amounts(1, 2, 20_000, 1_800) },
      { period: '2026-02', key: D3, ...amounts(1, 5, 12_000, 1_560) },
    ]);
    expect(body.rows.map((r: { label?: string }) => r.label)).toEqual(['杭州二号商贸', '上海一号商贸', '上海一号商贸', '广州三号商贸']);
    expect(body.totals).toEqual(amounts(4, 13, 37_500, 4_075));
  });

  it('groupBy=dealer with dealerId narrows to that dealer', async () => {
    const body = await ok({ ...JAN_FEB, groupBy: 'dealer', dealerId: D1 });
    expect(rowsOf(body)).toEqual([
      { period: '2026-01', key: D1, ...amounts(1, 3, 2500, 325) },
      { period: '2026-02', key: D1, ...amounts(1, 2, 20_000, 1_800) },
    ]);
    expect(body.totals).toEqual(amounts(2, 5, 22_500, 2_125));
  });

  it('groupBy=region by month', async () => {
    const body = await ok({ ...JAN_FEB, groupBy: 'region' });
    expect(rowsOf(body)).toEqual([
      { period: '2026-01', key: 'CN-EAST', ...amounts(2, 6, 5500, 715) },
      { period: '2026-02', key: 'CN-EAST', ...amounts(1, 2, 20_000, 1_800) },
      { period: '2026-02', key: 'CN-SOUTH', ...amounts(1, 5, 12_000, 1_560) },
    ]);
  });

  it('groupBy=product by month: rows merged across regions; totals count each order once', async () => {
    const body = await ok({ ...JAN_FEB, groupBy: 'product' });
    expect(rowsOf(body)).toEqual([
      { period: '2026-01', key: 'SKU-A', ...amounts(2, 5, 5000, 650) },
      { period: '2026-01', key: 'SKU-B', ...amounts(1, 1, 500, 65) },
      // SKU-C: O3 (CN-SOUTH, 13 %) + O4 (CN-EAST, 9 %).
      { period: '2026-02', key: 'SKU-C', ...amounts(2, 3, 30_000, 1_300 + 1_800) },
      { period: '2026-02', key: 'SKU-B', ...amounts(1, 4, 2000, 260) },
    ]);
    expect(body.rows[0].label).toBe('产品 SKU-A');
    // Σ product orders would be 5; the orders are 4.
    expect(body.totals).toEqual(amounts(4, 13, 37_500, 4_075));
  });

  it('groupBy=channel by month', async () => {
    const body = await ok({ ...JAN_FEB, groupBy: 'channel' });
    expect(rowsOf(body)).toEqual([
      { period: '2026-01', key: 'sales_rep', ...amounts(1, 3, 3000, 390) },
      { period: '2026-01', key: 'online_portal', ...amounts(1, 3, 2500, 325) },
      { period: '2026-02', key: 'sales_rep', ...amounts(1, 2, 20_000, 1_800) },
      { period: '2026-02', key: 'online_portal', ...amounts(1, 5, 12_000, 1_560) },
    ]);
  });

  it('day granularity: the booking dates, inclusive bounds, nothing outside the range', async () => {
    const total = await ok({ granularity: 'day', from: '2026-01-15', to: '2026-02-03', groupBy: 'total' });
    expect(rowsOf(total)).toEqual([
      { period: '2026-01-15', key: 'total', ...amounts(1, 3, 2500, 325) },
      { period: '2026-01-20', key: 'total', ...amounts(1, 3, 3000, 390) },
      { period: '2026-02-03', key: 'total', ...amounts(2, 7, 32_000, 3_360) },
    ]);
    const inner = await ok({ granularity: 'day', from: '2026-01-16', to: '2026-02-02', groupBy: 'product' });
    expect(rowsOf(inner)).toEqual([{ period: '2026-01-20', key: 'SKU-A', ...amounts(1, 3, 3000, 390) }]);
    expect(inner.totals).toEqual(amounts(1, 3, 3000, 390));
    const byDealer = await ok({ granularity: 'day', from: '2026-02-01', to: '2026-02-28', groupBy: 'dealer' });
    expect(rowsOf(byDealer).map((r) => [r.period, r.key, r.gross])).toEqual([['2026-02-03', D1, 21_800], ['2026-02-03', D3, 13_560]]);
    // The reversed order's day is empty.
    expect((await ok({ granularity: 'day', from: '2026-02-10', to: '2026-02-10' })).rows).toEqual([]);
  });

  it('a region filter, and month bounds given as dates', async () => {
    const body = await ok({ granularity: 'month', from: '2026-01-31', to: '2026-02-01', groupBy: 'total', region: 'CN-SOUTH' });
    expect(body).toMatchObject({ from: '2026-01', to: '2026-02' });
    expect(rowsOf(body)).toEqual([{ period: '2026-02', key: 'total', ...amounts(1, 5, 12_000, 1_560) }]);
  });

  it('another currency is another set of counters', async () => {
    expect((await ok({ ...JAN_FEB, currency: 'USD' })).rows).toEqual([]);
  });
});

describe('exactly once per (order, kind)', () => {
  const snapshot = (from: string, to: string) => Promise.all((['total', 'dealer', 'product', 'channel', 'region'] as const).flatMap((groupBy) => [
    ok({ granularity: 'month', from: from.slice(0, 7), to: to.slice(0, 7), groupBy }),
    ok({ granularity: 'day', from, to, groupBy }),
  ]));

  it('recording the same facts again changes nothing (booking and reversal)', async () => {
    const before = await snapshot('2026-01-01', '2026-02-28');
    for (const facts of [O1, O3, reversalOf(O5), O5]) await recordSales(facts);
    expect(await snapshot('2026-01-01', '2026-02-28')).toEqual(before);
  });

  it('ten concurrent recordings of one order count it once', async () => {
    const facts = order({ date: '2025-07-04', dealerId: D2, region: 'CN-EAST', channel: 'offline_store', lines: [line('SKU-A', 1, 1000), line('SKU-D', 2, 250)] });
    await Promise.all(Array.from({ length: 10 }, () => recordSales(facts)));
    const body = await ok({ granularity: 'day', from: '2025-07-04', to: '2025-07-04', groupBy: 'product' });
    expect(rowsOf(body)).toEqual([
      { period: '2025-07-04', key: 'SKU-A', ...amounts(1, 1, 1000, 130) },
      { period: '2025-07-04', key: 'SKU-D', ...amounts(1, 2, 500, 65) },
    ]);
    expect(body.totals).toEqual(amounts(1, 3, 1500, 195));
    // And ten concurrent reversals take it out once.
    await Promise.all(Array.from({ length: 10 }, () => recordSales(reversalOf(facts))));
    const after = await ok({ granularity: 'month', from: '2025-07', to: '2025-07', groupBy: 'channel' });
    expect(after.rows).toEqual([]);
    expect(after.totals).toEqual(amounts(0, 0, 0, 0));
  }, 60_000);

  it('a reversal before its booking is refused and changes nothing', async () => {
    const facts = order({ date: '2025-08-01', dealerId: D1, region: 'CN-EAST', channel: 'sales_rep', lines: [line('SKU-A', 1, 1000)] });
    await expect(recordSales(reversalOf(facts))).rejects.toMatchObject({ code: 'sales_not_booked' });
    expect((await ok({ granularity: 'month', from: '2025-08', to: '2025-08' })).rows).toEqual([]);
    await recordSales(facts);
    expect((await ok({ granularity: 'month', from: '2025-08', to: '2025-08' })).totals).toEqual(amounts(1, 1, 1000, 130));
  });

  it('an order of 60 SKUs spans two transactions; each chunk counts once, also when retried', async () => {
    const lines = Array.from({ length: 60 }, (_, i) => line(`BIG-${String(i).padStart(2, '0')}`, 1, 100));
    const facts = order({ date: '2025-09-09', dealerId: D3, region: 'CN-SOUTH', channel: 'api_edi', lines });
    await recordSales(facts);
    await recordSales(facts);
    const marks = await Promise.all([0, 1, 2].map((chunk) => dms().entities.salesMark.get({ orderId: facts.orderId, kind: 'booked', chunk }).go()));
    expect(marks.map((m) => m.data?.increments)).toEqual([98, 30, undefined]);
    const body = await ok({ granularity: 'month', from: '2025-09', to: '2025-09', groupBy: 'product' });
    expect(body.rows).toHaveLength(60);
    for (const row of body.rows) expect(row).toMatchObject({ orders: 1, quantity: 1, net: 100, vat: 13, gross: 113 });
    expect(body.totals).toEqual(amounts(1, 60, 6000, 780));
  });

  for (const failure of ['before', 'after'] as const) {
    it(`aws-sdk-client-mock: the second chunk's transaction fails ${failure} it commits; recording again completes it exactly once`, async () => {
      const lines = Array.from({ length: 55 }, (_, i) => line(`F${failure.toUpperCase()}-${String(i).padStart(2, '0')}`, 2, 50));
      const date = failure === 'before' ? '2025-10-01' : '2025-11-01';
      const facts = order({ date, dealerId: D2, region: 'CN-EAST', channel: 'api_edi', lines });
      const client = dynamoDocumentClient();
      type Send = (command: unknown) => Promise<never>;
      const realSend = client.send.bind(client) as unknown as Send;
      const mock = mockClient(client);
      let transactions = 0;
      mock.send.callsFake(async (command: unknown) => {
        if ((command as object).constructor.name === 'TransactWriteCommand' && ++transactions === 2) {
          if (failure === 'after') await realSend(command);
          throw Object.assign(new Error('injected: socket hang up'), { name: 'TimeoutError', $metadata: {} });
        }
        return realSend(command);
      });
      try {
        await expect(recordSales(facts)).rejects.toThrow(/injected/);
      } finally {
        mock.restore();
      }
      // 2 × (4 + 55) = 118 increments: the first chunk (98) holds the 59 day counters and 39 month
      // ones (4 order-level + 35 products); the second the other 20 month product counters.
      expect((await ok({ granularity: 'day', from: date, to: date, groupBy: 'product' })).rows).toHaveLength(55);
      const midway = await ok({ granularity: 'month', from: date.slice(0, 7), to: date.slice(0, 7), groupBy: 'product' });
      expect(midway.rows).toHaveLength(failure === 'before' ? 35 : 55);
      await recordSales(facts);
      const body = await ok({ granularity: 'month', from: date.slice(0, 7), to: date.slice(0, 7), groupBy: 'product' });
      expect(body.rows).toHaveLength(55);
      for (const row of body.rows) expect(row).toMatchObject({ orders: 1, quantity: 2, net: 100, vat: 13, gross: 113 });
      expect(body.totals).toEqual(amounts(1, 110, 5500, 715));
      expect((await ok({ granularity: 'month', from: date.slice(0, 7), to: date.slice(0, 7), groupBy: 'channel' })).rows).toEqual([
        { period: date.slice(0, 7), key: 'api_edi', ...amounts(1, 110, 5500, 715) },
      ]);
    }, 60_000);
  }
});

describe('who sees what', () => {
  it('a sales manager of CN-EAST sees only CN-EAST; a CN-SOUTH filter is empty, not an error', async () => {
    const east = await twin.token('sales_manager', { regions: ['CN-EAST'] });
    const byRegion = await ok({ ...JAN_FEB, groupBy: 'region' }, east);
    expect(rowsOf(byRegion).map((r) => r.key)).toEqual(['CN-EAST', 'CN-EAST']);
    const byDealer = await ok({ ...JAN_FEB, groupBy: 'dealer' }, east);
    expect(JSON.stringify(byDealer)).not.toContain(D3);
    expect(byDealer.totals).toEqual(amounts(3, 8, 25_500, 2_515));
    const byProduct = await ok({ ...JAN_FEB, groupBy: 'product' }, east);
    expect(byProduct.totals).toEqual(amounts(3, 8, 25_500, 2_515));
    const south = await ok({ ...JAN_FEB, region: 'CN-SOUTH' }, east);
    expect(south.rows).toEqual([]);
    expect(south.totals).toEqual(amounts(0, 0, 0, 0));
    // A manager of both regions sees both.
    const both = await twin.token('sales_manager', { regions: ['CN-EAST', 'CN-SOUTH'] });
    expect((await ok({ ...JAN_FEB }, both)).totals).toEqual(amounts(4, 13, 37_500, 4_075));
  });

  it('finance and auditors read everything; dealers get 403', async () => {
    for (const role of ['finance', 'auditor', 'sales_director']) {
      expect((await ok({ ...JAN_FEB }, await twin.token(role))).totals).toEqual(amounts(4, 13, 37_500, 4_075));
    }
    for (const role of ['dealer_admin', 'dealer_user']) {
      const response = await stats({ ...JAN_FEB, groupBy: 'dealer' }, await twin.token(role, { dealerId: D1 }));
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({ code: 'forbidden' });
      expect(response.text).not.toContain(D1);
    }
    expect((await stats({ ...JAN_FEB }, await twin.token('warehouse'))).status).toBe(403);
  });
});

describe('bad queries are 400s with field errors', () => {
  const cases: [string, Record<string, string>, string[]][] = [
    ['from after to', { granularity: 'month', from: '2026-03', to: '2026-01' }, ['query/from', 'query/to']],
    ['367 days', { granularity: 'day', from: '2025-01-01', to: '2026-01-02' }, ['query/from']],
    ['61 months', { granularity: 'month', from: '2021-01', to: '2026-01' }, ['query/from']],
    ['a month for day granularity', { granularity: 'day', from: '2026-01', to: '2026-01-31' }, ['query/from']],
    ['not a calendar date', { granularity: 'day', from: '2026-02-30', to: '2026-03-01' }, ['query/from']],
    ['month 13', { granularity: 'month', from: '2026-13', to: '2026-12' }, ['query/from']],
    ['unknown grouping', { groupBy: 'customer' }, ['query/groupBy']],
    ['unknown parameter', { groupBy: 'total', sort: 'gross' }, ['query']],
    ['dealerId without groupBy=dealer', { groupBy: 'product', dealerId: D1 }, ['query/dealerId']],
  ];
  it.each(cases)('%s', async (_name, query, paths) => {
    const response = await stats(query);
    expect(response.status, response.text).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const seen = (response.body.errors as { path: string }[]).map((e) => e.path);
    for (const path of paths) expect(seen.some((p) => p === path || p.startsWith(`${path}/`) || (path === 'query' && p.startsWith('query'))), `${seen}`).toBe(true);
  });
});
