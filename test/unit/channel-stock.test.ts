import { describe, expect, it } from 'vitest';
import { resolvePrincipal, type Principal } from '../../domain/access/principal';
import { BUILT_IN_ROLES } from '../../domain/access/roles';
import type { AuditEntry, RequestContext } from '../../domain/audit/audit-entry';
import {
  NewSellOutBatchSchema,
  NewStockReportSchema,
  dateProblem,
  isCalendarDate,
  supersedes,
  totalsBySku,
  type SellOutBatch,
  type StockReport,
} from '../../domain/channel/channel-stock';
import { ChannelStockService } from '../../domain/channel/channel-stock-service';
import { addDays, businessDate } from '../../domain/shared/business-date';
import type { ChannelQuery, ChannelStockRepository } from '../../domain/channel/ports';
import type { ProductReader } from '../../domain/catalog/ports';
import type { Product } from '../../domain/catalog/product';
import type { Location, LocationReader } from '../../domain/inventory/location';
import { DomainError } from '../../domain/shared/errors';

const principal = (role: string, extra: { dealerId?: string; regions?: string[] } = {}): Principal =>
  resolvePrincipal({ userId: `u-${role}`, username: role, roles: [role], regions: extra.regions ?? [], ...(extra.dealerId ? { dealerId: extra.dealerId } : {}) }, [BUILT_IN_ROLES.get(role)!]);

const location = (code: string, dealerId: string | undefined, region: string, overrides: Partial<Location> = {}): Location => ({
  code,
  name: code,
  kind: dealerId ? 'dealer_store' : 'warehouse',
  ...(dealerId ? { dealerId } : {}),
  region,
  status: 'active',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  version: 1,
  ...overrides,
});

const LOCATIONS = new Map<string, Location>([
  ['A-STORE', location('A-STORE', 'DEALER-A', 'CN-EAST')],
  ['B-STORE', location('B-STORE', 'DEALER-B', 'CN-SOUTH')],
  ['WH-1', location('WH-1', undefined, 'CN-EAST')],
  ['A-CLOSED', location('A-CLOSED', 'DEALER-A', 'CN-EAST', { status: 'inactive' })],
]);

const locations: LocationReader = {
  get: async (code) => LOCATIONS.get(code),
  listByDealer: async (dealerId) => [...LOCATIONS.values()].filter((l) => l.dealerId === dealerId),
};

const CATALOG = new Set(['SKU-1', 'SKU-2']);
const products: ProductReader = {
  get: async (sku) => (CATALOG.has(sku) ? ({ sku } as Product) : undefined),
  getMany: async (skus) => skus.filter((sku) => CATALOG.has(sku)).map((sku) => ({ sku }) as Product),
};

/** Records what the service asked of the repository. */
function fakeRepository() {
  const calls: { method: string; arg: unknown }[] = [];
  const reports = new Map<string, StockReport>();
  const repo: ChannelStockRepository = {
    async createReport(report: StockReport, audit: AuditEntry) {
      calls.push({ method: 'createReport', arg: { report, audit } });
      const existing = [...reports.values()].find((r) => r.contentHash === report.contentHash);
      if (existing) return { created: false, value: existing };
      reports.set(report.id, report);
      return { created: true, value: report };
    },
    applyReport: async (report) => void calls.push({ method: 'applyReport', arg: report }),
    getReport: async (id) => reports.get(id),
    levelsAt: async () => ({ items: [] }),
    listLevels: async (query: ChannelQuery) => {
      calls.push({ method: 'listLevels', arg: query });
      return { items: [] };
    },
    createSellOutBatch: async (batch: SellOutBatch) => ({ created: true, value: batch }),
    applySellOutBatch: async () => undefined,
    getSellOutBatch: async () => undefined,
    sellOutTotals: async (query, range) => {
      calls.push({ method: 'sellOutTotals', arg: { query, range } });
      return { items: [] };
    },
  };
  return { repo, calls };
}

const NOW = new Date('2026-06-15T02:00:00Z'); // 10:00 in Shanghai
let seq = 0;
const ctx = (p: Principal): RequestContext => ({ principal: p, requestId: 'req-1', now: NOW, newId: () => `01J${String(++seq).padStart(23, '0')}` });

async function rejects(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('report and sell-out schemas', () => {
  it('normalises SKUs and location codes, refuses duplicates, fractions, negatives, unknown fields and too many lines', () => {
    const ok = NewStockReportSchema.parse({ locationCode: ' a-store ', asOf: '2026-06-14', lines: [{ sku: 'sku-1', quantity: 0 }] });
    expect(ok).toEqual({ locationCode: 'A-STORE', asOf: '2026-06-14', lines: [{ sku: 'SKU-1', quantity: 0 }] });
    const bad = (lines: unknown[], extra: object = {}) => NewStockReportSchema.safeParse({ locationCode: 'A-STORE', asOf: '2026-06-14', lines, ...extra }).success;
    expect(bad([{ sku: 'SKU-1', quantity: 1 }, { sku: 'sku-1', quantity: 2 }])).toBe(false);
    expect(bad([{ sku: 'SKU-1', quantity: 1.5 }])).toBe(false);
    expect(bad([{ sku: 'SKU-1', quantity: -1 }])).toBe(false);
    expect(bad([{ sku: 'SKU-1', quantity: 1, note: 'x' }])).toBe(false);
    expect(bad([{ sku: 'SKU-1', quantity: 1 }], { dealerId: 'X' })).toBe(false);
    expect(bad([])).toBe(false);
    expect(bad(Array.from({ length: 501 }, (_, i) => ({ sku: `S-${i}`, quantity: 1 })))).toBe(false);
    expect(bad(Array.from({ length: 500 }, (_, i) => ({ sku: `S-${i}`, quantity: 1 })))).toBe(true);
    expect(NewSellOutBatchSchema.safeParse({ locationCode: 'A-STORE', lines: [{ sku: 'SKU-1', quantity: 0, soldOn: '2026-06-14' }] }).success).toBe(false);
    expect(NewSellOutBatchSchema.safeParse({ locationCode: 'A-STORE', lines: [{ sku: 'SKU-1', quantity: 2, soldOn: '2026-06-14' }, { sku: 'SKU-1', quantity: 2, soldOn: '2026-06-14' }] }).success).toBe(true);
  });

  it('business dates are real calendar dates', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(isCalendarDate('1999-12-31')).toBe(false);
  });
});

describe('channel stock rules', () => {
  it('a later date supersedes; on the same date the later report; the same report again is harmless', () => {
    expect(supersedes({ asOf: '2026-06-14', reportId: 'A' }, undefined)).toBe(true);
    expect(supersedes({ asOf: '2026-06-14', reportId: 'A' }, { asOf: '2026-06-13', reportId: 'Z' })).toBe(true);
    expect(supersedes({ asOf: '2026-06-12', reportId: 'Z' }, { asOf: '2026-06-13', reportId: 'A' })).toBe(false);
    expect(supersedes({ asOf: '2026-06-13', reportId: 'B' }, { asOf: '2026-06-13', reportId: 'A' })).toBe(true);
    expect(supersedes({ asOf: '2026-06-13', reportId: 'A' }, { asOf: '2026-06-13', reportId: 'B' })).toBe(false);
    expect(supersedes({ asOf: '2026-06-13', reportId: 'A' }, { asOf: '2026-06-13', reportId: 'A' })).toBe(true);
  });

  it('dates: the enterprise time zone decides today; no future dates, nothing older than 400 days', () => {
    expect(businessDate(new Date('2026-06-14T17:00:00Z'), 'Asia/Shanghai')).toBe('2026-06-15');
    expect(businessDate(new Date('2026-06-14T15:59:59Z'), 'Asia/Shanghai')).toBe('2026-06-14');
    expect(dateProblem('2026-06-15', '2026-06-15')).toBeUndefined();
    expect(dateProblem('2026-06-16', '2026-06-15')).toMatch(/future/);
    expect(dateProblem(addDays('2026-06-15', -400), '2026-06-15')).toBeUndefined();
    expect(dateProblem(addDays('2026-06-15', -401), '2026-06-15')).toMatch(/400 days/);
  });

  it('totals per SKU, in SKU order', () => {
    expect(totalsBySku([{ sku: 'B', quantity: 2 }, { sku: 'A', quantity: 1 }, { sku: 'B', quantity: 5 }])).toEqual([
      { sku: 'A', quantity: 1, lineCount: 1 },
      { sku: 'B', quantity: 7, lineCount: 2 },
    ]);
  });
});

describe('ChannelStockService', () => {
  const dealerA = principal('dealer_user', { dealerId: 'DEALER-A' });
  const body = (code: string) => ({ locationCode: code, asOf: '2026-06-14', lines: [{ sku: 'SKU-1', quantity: 3 }] });

  it('a dealer reports for its own store: one audit entry for the report, then the levels are applied', async () => {
    const { repo, calls } = fakeRepository();
    const service = new ChannelStockService(repo, locations, products, 'Asia/Shanghai');
    const { created, value } = await service.report(ctx(dealerA), body('A-STORE'));
    expect(created).toBe(true);
    expect(value).toMatchObject({ dealerId: 'DEALER-A', region: 'CN-EAST', lineCount: 1, totalQuantity: 3, reportedBy: 'u-dealer_user' });
    const audit = (calls[0]!.arg as { audit: AuditEntry }).audit;
    expect(audit).toMatchObject({ action: 'channel_stock.reported', entityType: 'channel_stock_report', entityId: value.id, actorDealerId: 'DEALER-A' });
    expect(audit.changes.totalQuantity).toEqual({ after: 3 });
    expect(calls.map((c) => c.method)).toEqual(['createReport', 'applyReport']);
    // The same content in another order is the same report.
    const again = await service.report(ctx(dealerA), { ...body('A-STORE') });
    expect(again).toEqual({ created: false, value });
  });

  it('another dealer’s location, a warehouse and an unknown code are all "not found"; nothing is stored', async () => {
    const { repo, calls } = fakeRepository();
    const service = new ChannelStockService(repo, locations, products, 'Asia/Shanghai');
    for (const code of ['B-STORE', 'WH-1', 'NOPE']) {
      const error = await rejects(service.report(ctx(dealerA), body(code)));
      expect(error.kind).toBe('not_found');
      expect(error.message).toBe(`Location ${code} was not found.`);
    }
    const east = principal('sales_manager', { regions: ['CN-EAST'] });
    expect((await rejects(service.levelsAt(east, 'B-STORE', { limit: 10 }))).kind).toBe('not_found');
    expect((await rejects(service.report(ctx(dealerA), body('A-CLOSED')))).code).toBe('location_inactive');
    expect((await rejects(service.report(ctx(dealerA), { ...body('A-STORE'), asOf: '2026-06-16' }))).kind).toBe('validation');
    const unknown = await rejects(service.report(ctx(dealerA), { ...body('A-STORE'), lines: [{ sku: 'SKU-2', quantity: 1 }, { sku: 'SKU-9', quantity: 1 }] }));
    expect(unknown.code).toBe('unknown_sku');
    expect(unknown.fieldErrors).toEqual([{ path: 'lines/1/sku', message: 'SKU-9 is not in the catalog', code: 'unknown_sku' }]);
    expect(calls).toEqual([]);
  });

  it('lists read the principal’s own partition: dealers their dealer, managers their regions, staff a named key', async () => {
    const { repo, calls } = fakeRepository();
    const service = new ChannelStockService(repo, locations, products, 'Asia/Shanghai');
    const page = { limit: 10 };
    await service.listLevels(dealerA, { sku: 'SKU-1' }, page);
    expect(await service.listLevels(dealerA, { dealerId: 'DEALER-B' }, page)).toEqual({ items: [] });
    expect(await service.listLevels(principal('dealer_admin'), {}, page)).toEqual({ items: [] });
    const east = principal('sales_manager', { regions: ['CN-EAST'] });
    await service.listLevels(east, {}, page);
    await service.listLevels(east, { sku: 'SKU-1' }, page);
    await service.listLevels(east, { dealerId: 'DEALER-B' }, page);
    expect(await service.listLevels(east, { region: 'CN-SOUTH' }, page)).toEqual({ items: [] });
    const admin = principal('admin');
    await service.listLevels(admin, { region: 'CN-SOUTH', sku: 'SKU-1' }, page);
    expect((await rejects(service.listLevels(admin, {}, page))).code).toBe('filter_required');
    expect((await rejects(service.listLevels(principal('sales_manager', { regions: ['CN-EAST', 'CN-SOUTH'] }), {}, page))).code).toBe('filter_required');
    expect(calls.map((c) => c.arg)).toEqual([
      { by: 'dealer', dealerId: 'DEALER-A', sku: 'SKU-1' },
      { by: 'region', region: 'CN-EAST' },
      { by: 'sku', sku: 'SKU-1', regions: ['CN-EAST'] },
      { by: 'dealer', dealerId: 'DEALER-B', regions: ['CN-EAST'] },
      { by: 'sku', sku: 'SKU-1', regions: ['CN-SOUTH'] },
    ]);
  });

  it('sell-out totals default to the last 30 days and refuse inverted or over-wide ranges', async () => {
    const { repo, calls } = fakeRepository();
    const service = new ChannelStockService(repo, locations, products, 'Asia/Shanghai');
    const result = await service.sellOutTotals(dealerA, {}, NOW, { limit: 10 });
    expect(result).toMatchObject({ from: '2026-05-17', to: '2026-06-15', items: [] });
    expect(calls[0]!.arg).toEqual({ query: { by: 'dealer', dealerId: 'DEALER-A' }, range: { from: '2026-05-17', to: '2026-06-15' } });
    expect((await rejects(service.sellOutTotals(dealerA, { from: '2026-06-02', to: '2026-06-01' }, NOW, { limit: 10 }))).kind).toBe('validation');
    expect((await rejects(service.sellOutTotals(dealerA, { from: '2025-01-01', to: '2026-06-01' }, NOW, { limit: 10 }))).code).toBe('validation_failed');
  });
});
