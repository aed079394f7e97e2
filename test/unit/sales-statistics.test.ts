import { describe, expect, it } from 'vitest';
import { resolvePrincipal, type Principal } from '../../domain/access/principal';
import { BUILT_IN_ROLES } from '../../domain/access/roles';
import {
  mergeSalesRows,
  readSalesStatistics,
  regionsFor,
  resolveSalesQuery,
  reversalOf,
  salesFactsOf,
  salesIncrements,
  type SalesCounterQuery,
  type SalesFacts,
  type SalesRow,
} from '../../domain/orders/sales-statistics';
import { DomainError, ValidationError } from '../../domain/shared/errors';

const principal = (role: string, extra: { dealerId?: string; regions?: string[] } = {}): Principal =>
  resolvePrincipal({ userId: `u-${role}`, username: role, roles: [role], regions: extra.regions ?? [], ...(extra.dealerId ? { dealerId: extra.dealerId } : {}) }, [BUILT_IN_ROLES.get(role)!]);

const ORDER: SalesFacts = {
  orderId: '01JZ0000000000000000000001',
  orderNumber: 'SO-2026-000001',
  kind: 'booked',
  date: '2026-03-31',
  dealerId: '01JZ00000000000000000000D1',
  dealerName: '上海一号商贸有限公司',
  region: 'CN-EAST',
  channel: 'online_portal',
  currency: 'CNY',
  lines: [
    { sku: 'PMP-100', name: '水泵 100', quantity: 2, net: 20_000, vat: 2_600, gross: 22_600 },
    { sku: 'FLT-200', name: '滤芯 200', quantity: 5, net: 5_000, vat: 650, gross: 5_650 },
    { sku: 'VLV-300', name: '阀门 300', quantity: 1, net: 1_001, vat: 130, gross: 1_131 },
  ],
};

const key = (i: { granularity: string; dimension: string; period: string; key: string }) => `${i.granularity}|${i.dimension}|${i.period}|${i.key}`;

describe('salesIncrements', () => {
  const increments = salesIncrements(ORDER);
  const byKey = new Map(increments.map((i) => [key(i), i]));

  it('makes one counter per granularity × (total, dealer, region, channel, each product): 2 × 7 for three lines', () => {
    expect(increments).toHaveLength(14);
    expect(byKey.size).toBe(14);
    for (const i of increments) expect(i).toMatchObject({ currency: 'CNY', region: 'CN-EAST' });
    expect([...byKey.keys()].sort()).toEqual(
      [
        'day|total|2026-03-31|total',
        'day|dealer|2026-03-31|01JZ00000000000000000000D1',
        'day|region|2026-03-31|CN-EAST',
        'day|channel|2026-03-31|online_portal',
        'day|product|2026-03-31|PMP-100',
        'day|product|2026-03-31|FLT-200',
        'day|product|2026-03-31|VLV-300',
        'month|total|2026-03|total',
        'month|dealer|2026-03|01JZ00000000000000000000D1',
        'month|region|2026-03|CN-EAST',
        'month|channel|2026-03|online_portal',
        'month|product|2026-03|PMP-100',
        'month|product|2026-03|FLT-200',
        'month|product|2026-03|VLV-300',
      ].sort(),
    );
  });

  it('counts the order once on the order-level counters, with the summed amounts', () => {
    const whole = { orders: 1, quantity: 8, net: 26_001, vat: 3_380, gross: 29_381 };
    for (const granularity of ['day', 'month']) {
      const period = granularity === 'day' ? '2026-03-31' : '2026-03';
      expect(byKey.get(`${granularity}|total|${period}|total`)).toMatchObject(whole);
      expect(byKey.get(`${granularity}|dealer|${period}|${ORDER.dealerId}`)).toMatchObject({ ...whole, label: ORDER.dealerName });
      expect(byKey.get(`${granularity}|region|${period}|CN-EAST`)).toMatchObject(whole);
      expect(byKey.get(`${granularity}|channel|${period}|online_portal`)).toMatchObject(whole);
    }
  });

  it('gives each product row the orders containing it (1) and its own amounts and name', () => {
    expect(byKey.get('month|product|2026-03|PMP-100')).toMatchObject({ orders: 1, quantity: 2, net: 20_000, vat: 2_600, gross: 22_600, label: '水泵 100' });
    expect(byKey.get('day|product|2026-03-31|FLT-200')).toMatchObject({ orders: 1, quantity: 5, net: 5_000, vat: 650, gross: 5_650, label: '滤芯 200' });
    expect(byKey.get('month|product|2026-03|VLV-300')).toMatchObject({ orders: 1, quantity: 1, net: 1_001, vat: 130, gross: 1_131 });
  });

  it('a reversal is the exact negation of its booking, in the same order', () => {
    const reversed = salesIncrements(reversalOf(ORDER));
    expect(reversed).toHaveLength(increments.length);
    reversed.forEach((r, index) => {
      const b = increments[index]!;
      expect(key(r)).toBe(key(b));
      expect([r.orders, r.quantity, r.net, r.vat, r.gross]).toEqual([-b.orders, -b.quantity, -b.net, -b.vat, -b.gross]);
    });
  });

  it('merges lines of the same SKU (one product row, counted as one order)', () => {
    const twice = salesIncrements({ ...ORDER, lines: [ORDER.lines[0]!, { ...ORDER.lines[0]!, quantity: 1, net: 10_000, vat: 1_300, gross: 11_300 }] });
    expect(twice).toHaveLength(2 * 5);
    expect(twice.find((i) => i.granularity === 'month' && i.dimension === 'product')).toMatchObject({ key: 'PMP-100', orders: 1, quantity: 3, net: 30_000 });
  });

  it('is deterministic whatever the line order (retries chunk alike)', () => {
    expect(salesIncrements({ ...ORDER, lines: [...ORDER.lines].reverse() })).toEqual(increments);
  });

  it('rejects malformed facts: fractional money, bad dates, keys with #', () => {
    for (const bad of [
      { ...ORDER, lines: [{ ...ORDER.lines[0]!, net: 1.5 }] },
      { ...ORDER, date: '2026-02-30' },
      { ...ORDER, channel: 'a#b' },
      { ...ORDER, lines: [] },
    ]) {
      expect(() => salesIncrements(bad)).toThrow(ValidationError);
    }
  });
});

describe('salesFactsOf', () => {
  const order = {
    id: ORDER.orderId,
    number: ORDER.orderNumber,
    // 17:30 UTC is 01:30 the next day in Shanghai: the booking date is the Shanghai date.
    approvedAt: '2026-03-30T17:30:00.000Z',
    dealerId: ORDER.dealerId,
    dealerName: ORDER.dealerName,
    region: ORDER.region,
    channel: 'online_portal' as const,
    currency: 'CNY',
    lines: ORDER.lines.map((l, index) => ({
      lineNo: index + 1, sku: l.sku, name: l.name, unit: 'PCS', quantity: l.quantity, listPrice: 0, unitPrice: 0, discountPerUnit: 0,
      vatRate: 1300, lineNet: l.net, lineDiscount: 0, vatAmount: l.vat, lineGross: l.gross, shippedQuantity: 0,
    })),
  };
  it('books an approved order on its Shanghai approval date, with its line amounts', () => {
    expect(salesFactsOf(order, 'booked')).toEqual(ORDER);
    expect(salesFactsOf(order, 'reversed')).toEqual(reversalOf(ORDER));
  });
  it('refuses an order that was never approved', () => {
    const { approvedAt: _ignored, ...draft } = order;
    expect(() => salesFactsOf(draft, 'booked')).toThrow(/never approved/);
  });
});

describe('resolveSalesQuery', () => {
  const TODAY = '2026-05-17';
  const problem = (fn: () => unknown): DomainError => {
    try {
      fn();
    } catch (error) {
      return error as DomainError;
    }
    throw new Error('expected an error');
  };

  it('defaults: month granularity, groupBy total, the last 12 months / 30 days up to today', () => {
    expect(resolveSalesQuery({}, TODAY)).toEqual({ groupBy: 'total', granularity: 'month', from: '2025-06', to: '2026-05', currency: 'CNY' });
    expect(resolveSalesQuery({ granularity: 'day' }, TODAY)).toMatchObject({ from: '2026-04-18', to: '2026-05-17' });
    expect(resolveSalesQuery({ granularity: 'day', from: '2026-05-01' }, TODAY)).toMatchObject({ from: '2026-05-01', to: '2026-05-17' });
  });

  it('month granularity takes YYYY-MM or a date (its month); day takes only dates', () => {
    expect(resolveSalesQuery({ from: '2026-01-15', to: '2026-03' }, TODAY)).toMatchObject({ from: '2026-01', to: '2026-03' });
    const e = problem(() => resolveSalesQuery({ granularity: 'day', from: '2026-01', to: '2026-13-01' }, TODAY));
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.fieldErrors.map((f) => f.path)).toEqual(['query/from', 'query/to']);
    expect(problem(() => resolveSalesQuery({ from: '2026-13' }, TODAY)).fieldErrors[0]?.path).toBe('query/from');
  });

  it('limits: day ≤ 366 days, month ≤ 60 months, from ≤ to', () => {
    expect(resolveSalesQuery({ granularity: 'day', from: '2024-01-01', to: '2024-12-31' }, TODAY)).toMatchObject({ from: '2024-01-01' }); // 366 days (leap year)
    expect(problem(() => resolveSalesQuery({ granularity: 'day', from: '2025-01-01', to: '2026-01-02' }, TODAY)).code).toBe('range_too_wide'); // 367 days
    expect(resolveSalesQuery({ from: '2021-06', to: '2026-05' }, TODAY)).toMatchObject({ from: '2021-06' }); // 60 months
    expect(problem(() => resolveSalesQuery({ from: '2021-05', to: '2026-05' }, TODAY)).code).toBe('range_too_wide'); // 61
    const reversed = problem(() => resolveSalesQuery({ from: '2026-03', to: '2026-02' }, TODAY));
    expect(reversed).toBeInstanceOf(ValidationError);
    expect(reversed.fieldErrors.map((f) => f.path)).toEqual(['query/from', 'query/to']);
  });

  it('a dealer filter needs groupBy=dealer', () => {
    expect(problem(() => resolveSalesQuery({ groupBy: 'product', dealerId: ORDER.dealerId }, TODAY)).fieldErrors[0]?.path).toBe('query/dealerId');
    expect(resolveSalesQuery({ groupBy: 'dealer', dealerId: ORDER.dealerId }, TODAY).dealerId).toBe(ORDER.dealerId);
  });
});

describe('regionsFor', () => {
  const all = async () => ['CN-EAST', 'CN-SOUTH', 'CN-NORTH'];
  it('all regions for headquarters, own regions for region-scoped staff, a foreign filter → none', async () => {
    expect(await regionsFor(principal('finance'), undefined, all)).toEqual(['CN-EAST', 'CN-SOUTH', 'CN-NORTH']);
    expect(await regionsFor(principal('finance'), 'CN-SOUTH', all)).toEqual(['CN-SOUTH']);
    const manager = principal('sales_manager', { regions: ['CN-EAST', 'CN-NORTH'] });
    expect(await regionsFor(manager, undefined, all)).toEqual(['CN-EAST', 'CN-NORTH']);
    expect(await regionsFor(manager, 'CN-NORTH', all)).toEqual(['CN-NORTH']);
    expect(await regionsFor(manager, 'CN-SOUTH', all)).toEqual([]);
  });
  it('dealer principals are refused', async () => {
    await expect(regionsFor(principal('dealer_admin', { dealerId: ORDER.dealerId }), undefined, all)).rejects.toMatchObject({ kind: 'forbidden' });
  });
});

describe('merging and totals', () => {
  const row = (period: string, key: string, gross: number, orders = 1, label?: string): SalesRow => ({ period, key, orders, quantity: 1, net: gross, vat: 0, gross, ...(label ? { label } : {}) });

  it('sums the same period and key, drops fully reversed rows, sorts by period then gross desc', () => {
    const merged = mergeSalesRows([
      row('2026-02', 'A', 100),
      row('2026-01', 'B', 50, 1, 'Bee'),
      row('2026-01', 'A', 30),
      row('2026-01', 'A', 40),
      row('2026-01', 'C', 0, 0),
      { ...row('2026-01', 'D', 10), quantity: 0 },
      { period: '2026-01', key: 'Z', orders: 0, quantity: 0, net: 0, vat: 0, gross: 0 },
    ]);
    expect(merged.map((r) => `${r.period}/${r.key}/${r.gross}`)).toEqual(['2026-01/A/70', '2026-01/B/50', '2026-01/D/10', '2026-01/C/0', '2026-02/A/100']);
    expect(merged.find((r) => r.key === 'A' && r.period === '2026-01')).toMatchObject({ orders: 2, quantity: 2 });
    expect(merged.find((r) => r.key === 'B')?.label).toBe('Bee');
  });

  it('product totals come from the total counters (orders counted once); empty region set reads nothing', async () => {
    const calls: SalesCounterQuery[] = [];
    const reader = {
      async querySales(query: SalesCounterQuery): Promise<SalesRow[]> {
        calls.push(query);
        return query.dimension === 'product' ? [row('2026-01', 'P1', 100), row('2026-01', 'P2', 50)] : [row('2026-01', 'total', 150)];
      },
    };
    const deps = { reader, allRegions: async () => ['CN-EAST', 'CN-SOUTH'], today: '2026-01-20' };
    const byProduct = await readSalesStatistics(principal('admin'), { groupBy: 'product' }, deps);
    expect(byProduct.totals).toEqual({ orders: 1, quantity: 1, net: 150, vat: 0, gross: 150 });
    expect(calls.map((c) => [c.dimension, c.regions])).toEqual([['product', ['CN-EAST', 'CN-SOUTH']], ['total', ['CN-EAST', 'CN-SOUTH']]]);

    calls.length = 0;
    const none = await readSalesStatistics(principal('sales_manager', { regions: ['CN-EAST'] }), { region: 'CN-SOUTH' }, deps);
    expect(none).toMatchObject({ rows: [], totals: { orders: 0, quantity: 0, net: 0, vat: 0, gross: 0 } });
    expect(calls).toEqual([]);
  });
});
