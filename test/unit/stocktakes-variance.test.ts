import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolvePrincipal } from '../../domain/access/principal';
import { BUILT_IN_ROLES } from '../../domain/access/roles';
import type { AuditEntry } from '../../domain/audit/audit-entry';
import type { Location, LocationReader } from '../../domain/inventory/location';
import type { PostingContext, StockBook, StocktakeRepository } from '../../domain/stocktakes/ports';
import {
  CountBatchSchema,
  OpenStocktakeSchema,
  canSeeStocktake,
  type CountBatch,
  type SnapshotLine,
  type Stocktake,
} from '../../domain/stocktakes/stocktake';
import { StocktakeService } from '../../domain/stocktakes/stocktake-service';
import {
  chunk,
  lineState,
  mergeCounts,
  plannedPostings,
  postingsPerTransaction,
  summarize,
  uncountedSkus,
  withValues,
  type Posting,
} from '../../domain/stocktakes/variance';
import { ConflictError, VersionMismatchError } from '../../domain/shared/errors';

const batch = (seq: number, lines: [string, number, number][]): CountBatch => ({
  seq,
  id: `b${seq}`,
  lines: lines.map(([sku, counted, bookAtCount]) => ({ sku, counted, bookAtCount })),
  countedAt: `2026-01-0${seq}T00:00:00.000Z`,
  countedBy: 'counter',
  requestId: `r${seq}`,
});

describe('variance lines', () => {
  it('measure the count against the book at count time, not at open', () => {
    // A: 10 at open, 3 received before the count (book 13), 13 counted → no variance.
    const lines = mergeCounts([{ sku: 'A', book: 10 }], [batch(1, [['A', 13, 13]])]);
    expect(lines).toEqual([expect.objectContaining({ sku: 'A', bookAtOpen: 10, bookAtCount: 13, counted: 13, variance: 0 })]);
  });

  it('a later batch overwrites an earlier count of the same SKU, whatever order they arrive in', () => {
    const lines = mergeCounts([{ sku: 'A', book: 5 }], [batch(2, [['A', 4, 5]]), batch(1, [['A', 9, 5]])]);
    expect(lines[0]).toMatchObject({ counted: 4, variance: -1, countedAt: '2026-01-02T00:00:00.000Z' });
  });

  it('keeps uncounted lines and adds SKUs found only by the count, sorted by SKU', () => {
    const lines = mergeCounts([{ sku: 'B', book: 2 }, { sku: 'A', book: 1 }], [batch(1, [['C', 3, 0]])]);
    expect(lines.map((l) => [l.sku, lineState(l)])).toEqual([['A', 'uncounted'], ['B', 'uncounted'], ['C', 'over']]);
    expect(lines[2]!.bookAtOpen).toBeUndefined();
    expect(uncountedSkus(lines)).toEqual(['A', 'B']);
  });

  it('summarizes quantities, and values at unit prices when known', () => {
    const lines = withValues(
      mergeCounts([{ sku: 'A', book: 10 }, { sku: 'B', book: 5 }, { sku: 'C', book: 1 }, { sku: 'D', book: 1 }], [batch(1, [['A', 8, 10], ['B', 6, 5], ['C', 1, 1], ['E', 2, 0]])]),
      new Map([['A', 1250], ['B', 99]]),
    );
    expect(lines.find((l) => l.sku === 'A')).toMatchObject({ unitPrice: 1250, varianceValue: -2500 });
    expect(summarize(lines, true)).toEqual({
      lines: 5, counted: 4, uncounted: 1, matched: 1, over: 2, short: 1, quantityOver: 3, quantityShort: -2,
      netValue: -2401, valueOver: 99, valueShort: -2500, unpricedVarianceLines: 1,
    });
    expect(summarize(lines, false)).not.toHaveProperty('netValue');
  });
});

describe('postings', () => {
  const lines = mergeCounts([{ sku: 'A', book: 10 }, { sku: 'B', book: 4 }, { sku: 'C', book: 7 }], [batch(1, [['A', 8, 10], ['C', 7, 7]])]);

  it('one per differing counted line; uncounted lines follow the policy', () => {
    expect(plannedPostings(lines, 'keep_book')).toEqual([{ sku: 'A', delta: -2, counted: 8, bookAtCount: 10 }]);
    expect(plannedPostings(lines, 'zero', new Map([['B', 5]]))).toEqual([
      { sku: 'A', delta: -2, counted: 8, bookAtCount: 10 },
      { sku: 'B', delta: -5, counted: 0, bookAtCount: 5 },
    ]);
  });

  it('property: applying the postings to the book at count time gives the counted quantity', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ sku: fc.stringMatching(/^[A-Z]{3}$/), book: fc.nat(50) }), { selector: (l) => l.sku, maxLength: 30 }),
        fc.array(fc.array(fc.tuple(fc.stringMatching(/^[A-Z]{3}$/), fc.nat(50), fc.nat(50)), { maxLength: 10 }), { maxLength: 5 }),
        (snapshot: SnapshotLine[], raw) => {
          const batches = raw.map((lines, i) => batch(i + 1, [...new Map(lines.map((l) => [l[0], l])).values()]));
          const merged = mergeCounts(snapshot, batches);
          const postings = new Map(plannedPostings(merged, 'keep_book').map((p) => [p.sku, p.delta]));
          for (const line of merged) {
            if (line.counted === undefined) expect(postings.has(line.sku)).toBe(false);
            else expect(line.bookAtCount! + (postings.get(line.sku) ?? 0)).toBe(line.counted);
          }
        },
      ),
    );
  });

  it('chunks fit a DynamoDB transaction (100 items: 2 ledger items + 1 marker per line, 1 stocktake check)', () => {
    expect(postingsPerTransaction(2, 0)).toBe(33);
    expect(postingsPerTransaction(2, 1)).toBe(32);
    expect(() => postingsPerTransaction(120, 0)).toThrow(RangeError);
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 3)).toEqual([]);
  });
});

describe('input rules', () => {
  it('open: a location code and an explicit freeze choice; SKUs upper-cased', () => {
    expect(OpenStocktakeSchema.parse({ locationCode: 'wh-sh-01', freeze: true, skus: ['ac-100'] })).toEqual({ locationCode: 'WH-SH-01', freeze: true, skus: ['AC-100'] });
    expect(OpenStocktakeSchema.safeParse({ locationCode: 'WH-SH-01' }).success).toBe(false);
    expect(OpenStocktakeSchema.safeParse({ locationCode: 'WH-SH-01', freeze: false, extra: 1 }).success).toBe(false);
  });

  it('counts: 1 to 1,000 lines, non-negative integers, no SKU twice in a batch', () => {
    expect(CountBatchSchema.safeParse({ lines: [{ sku: 'AC-1', quantity: 0 }] }).success).toBe(true);
    expect(CountBatchSchema.safeParse({ lines: [] }).success).toBe(false);
    expect(CountBatchSchema.safeParse({ lines: [{ sku: 'AC-1', quantity: -1 }] }).success).toBe(false);
    expect(CountBatchSchema.safeParse({ lines: [{ sku: 'AC-1', quantity: 1.5 }] }).success).toBe(false);
    expect(CountBatchSchema.safeParse({ lines: [{ sku: 'AC-1', quantity: 1 }, { sku: 'ac-1', quantity: 2 }] }).success).toBe(false);
    const many = Array.from({ length: 1001 }, (_, i) => ({ sku: `SKU-${i}`, quantity: 1 }));
    expect(CountBatchSchema.safeParse({ lines: many }).success).toBe(false);
    expect(CountBatchSchema.safeParse({ lines: many.slice(0, 1000) }).success).toBe(true);
  });
});

// ── the use cases over in-memory ports ───────────────────────────────────────

const principal = (role: string, extra: { dealerId?: string; regions?: string[] } = {}) =>
  resolvePrincipal({ userId: `u-${role}`, username: role, roles: [role], regions: extra.regions ?? [], ...(extra.dealerId ? { dealerId: extra.dealerId } : {}) }, [BUILT_IN_ROLES.get(role)!]);

describe('who sees a stocktake', () => {
  it('warehouse counts: every staff member, no dealer; dealer-location counts: that dealer and its region', () => {
    const warehouse = { region: 'CN-EAST' };
    const atDealer = { region: 'CN-EAST', dealerId: 'D1' };
    expect(canSeeStocktake(principal('auditor'), warehouse)).toBe(true);
    expect(canSeeStocktake(principal('sales_manager', { regions: ['CN-SOUTH'] }), warehouse)).toBe(true);
    expect(canSeeStocktake(principal('dealer_admin', { dealerId: 'D1' }), warehouse)).toBe(false);
    expect(canSeeStocktake(principal('dealer_admin', { dealerId: 'D1' }), atDealer)).toBe(true);
    expect(canSeeStocktake(principal('dealer_user', { dealerId: 'D2' }), atDealer)).toBe(false);
    expect(canSeeStocktake(principal('sales_manager', { regions: ['CN-SOUTH'] }), atDealer)).toBe(false);
  });
});

class MemoryStocktakes implements StocktakeRepository {
  readonly postingsPerChunk = 2;
  stocktakes = new Map<string, Stocktake>();
  snapshots = new Map<string, SnapshotLine[]>();
  batchesById = new Map<string, CountBatch[]>();
  posted = new Map<string, Map<string, Posting>>();
  audits: AuditEntry[] = [];
  ledger: { sku: string; delta: number }[] = [];
  locks = new Set<string>();

  async get(id: string) {
    const s = this.stocktakes.get(id);
    return s ? { ...s } : undefined;
  }
  async open(stocktake: Stocktake, snapshot: SnapshotLine[], audit: AuditEntry) {
    if (this.locks.has(stocktake.locationCode)) throw new ConflictError('stocktake_already_open', 'open');
    this.locks.add(stocktake.locationCode);
    this.stocktakes.set(stocktake.id, stocktake);
    this.snapshots.set(stocktake.id, snapshot);
    this.audits.push(audit);
  }
  async snapshot(id: string) {
    return this.snapshots.get(id) ?? [];
  }
  async batches(id: string) {
    return this.batchesById.get(id) ?? [];
  }
  async addBatch(next: Stocktake, expectedVersion: number, batch: CountBatch, audit: AuditEntry) {
    const current = this.stocktakes.get(next.id)!;
    if (current.version !== expectedVersion || !['open', 'counting'].includes(current.status)) throw new VersionMismatchError('Stocktake', next.id);
    this.stocktakes.set(next.id, next);
    this.batchesById.set(next.id, [...(this.batchesById.get(next.id) ?? []), batch]);
    this.audits.push(audit);
  }
  async beginApproval(id: string, expectedVersion: number) {
    const current = this.stocktakes.get(id)!;
    if (current.version !== expectedVersion || current.status !== 'counting') throw new VersionMismatchError('Stocktake', id);
    this.stocktakes.set(id, { ...current, status: 'approving' });
  }
  async postedSkus(id: string) {
    return new Set(this.posted.get(id)?.keys() ?? []);
  }
  async postChunk(stocktake: Stocktake, postings: Posting[], _ctx: PostingContext) {
    const posted = this.posted.get(stocktake.id) ?? new Map<string, Posting>();
    if (postings.some((p) => posted.has(p.sku))) return false;
    for (const p of postings) {
      posted.set(p.sku, p);
      this.ledger.push({ sku: p.sku, delta: p.delta });
    }
    this.posted.set(stocktake.id, posted);
    return true;
  }
  async finishApproval(next: Stocktake, audit: AuditEntry) {
    const current = this.stocktakes.get(next.id)!;
    if (current.status !== 'approving') throw new VersionMismatchError('Stocktake', next.id);
    this.stocktakes.set(next.id, next);
    this.locks.delete(next.locationCode);
    this.audits.push(audit);
  }
  async cancel(next: Stocktake, expectedVersion: number, audit: AuditEntry) {
    const current = this.stocktakes.get(next.id)!;
    if (current.version !== expectedVersion) throw new VersionMismatchError('Stocktake', next.id);
    this.stocktakes.set(next.id, next);
    this.locks.delete(next.locationCode);
    this.audits.push(audit);
  }
  async list() {
    return { items: [...this.stocktakes.values()] };
  }
}

function setup(book: Record<string, number>) {
  const location: Location = { code: 'WH-01', name: '一号仓', kind: 'warehouse', region: 'CN-EAST', status: 'active', createdAt: '', updatedAt: '', version: 1 };
  const locations: LocationReader = { get: async (code) => (code === location.code ? location : undefined), listByDealer: async () => [] };
  const levels = new Map(Object.entries(book));
  const stockBook: StockBook = {
    levelsAt: async () => [...levels].map(([sku, onHand]) => ({ sku, book: onHand })),
    onHand: async (_code, skus) => new Map(skus.filter((s) => levels.has(s)).map((s) => [s, levels.get(s)!])),
  };
  const repo = new MemoryStocktakes();
  let n = 0;
  const ctx = (role = 'admin') => ({ principal: principal(role), requestId: `req-${++n}`, now: new Date(Date.UTC(2026, 0, 1, 0, 0, n)), newId: () => `ID${String(++n).padStart(6, '0')}` });
  return { service: new StocktakeService(repo, locations, stockBook), repo, levels, ctx };
}

describe('the stocktake use cases', () => {
  it('open → counting → approved, one audit record per change', async () => {
    const { service, repo, levels, ctx } = setup({ A: 10, B: 5 });
    const opened = await service.open(ctx(), { locationCode: 'WH-01', freeze: true });
    expect(opened).toMatchObject({ status: 'open', lineCount: 2, freeze: true });
    levels.set('A', 12); // received during an unfrozen stretch: the count sees 12 in the book
    const { stocktake } = await service.count(ctx('warehouse'), opened.id, { lines: [{ sku: 'A', quantity: 11 }, { sku: 'B', quantity: 5 }] });
    expect(stocktake).toMatchObject({ status: 'counting', countBatches: 1, linesSubmitted: 2, version: 2 });
    const { stocktake: approved } = await service.approve(ctx('finance'), opened.id, 2, { uncounted: 'reject' });
    expect(approved).toMatchObject({ status: 'approved', varianceMovements: 1, version: 3 });
    expect(repo.ledger).toEqual([{ sku: 'A', delta: -1 }]);
    expect(repo.audits.map((a) => a.action)).toEqual(['stocktake.opened', 'stocktake.counted', 'stocktake.approved']);
    expect(repo.audits[2]!.changes.status).toEqual({ before: 'counting', after: 'approved' });
  });

  it('refuses what the state machine does not allow', async () => {
    const { service, ctx } = setup({ A: 1 });
    const opened = await service.open(ctx(), { locationCode: 'WH-01', freeze: false });
    await expect(service.approve(ctx(), opened.id, 1, { uncounted: 'keep_book' })).rejects.toMatchObject({ code: 'stocktake_not_counted' });
    await expect(service.approve(ctx(), opened.id, 7, { uncounted: 'keep_book' })).rejects.toMatchObject({ code: 'version_mismatch' });
    await expect(service.open(ctx(), { locationCode: 'WH-01', freeze: false })).rejects.toMatchObject({ code: 'stocktake_already_open' });
    await expect(service.open(ctx(), { locationCode: 'NOWHERE', freeze: false })).rejects.toMatchObject({ code: 'unknown_location' });
    const cancelled = await service.cancel(ctx(), opened.id, 1, '取消');
    expect(cancelled.status).toBe('cancelled');
    await expect(service.count(ctx(), opened.id, { lines: [{ sku: 'A', quantity: 1 }] })).rejects.toMatchObject({ code: 'stocktake_closed' });
    await expect(service.cancel(ctx(), opened.id, 2, 'again')).rejects.toMatchObject({ code: 'stocktake_closed' });
  });

  it('a failing port midway: the retry posts only what is left, each line once', async () => {
    const book = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`S${i}`, 10]));
    const { service, repo, ctx } = setup(book);
    const opened = await service.open(ctx(), { locationCode: 'WH-01', freeze: true });
    await service.count(ctx(), opened.id, { lines: Object.keys(book).map((sku, i) => ({ sku, quantity: i })) });
    const realPost = repo.postChunk.bind(repo);
    let calls = 0;
    repo.postChunk = async (...args) => {
      calls += 1;
      if (calls === 3) throw new Error('injected failure');
      return realPost(...args);
    };
    await expect(service.approve(ctx(), opened.id, 2, { uncounted: 'reject' })).rejects.toThrow('injected failure');
    expect((await repo.get(opened.id))!.status).toBe('approving');
    expect(repo.ledger).toHaveLength(4);
    // Counting and cancelling wait; a different uncounted choice cannot hijack the approval.
    await expect(service.count(ctx(), opened.id, { lines: [{ sku: 'S0', quantity: 1 }] })).rejects.toMatchObject({ code: 'approval_in_progress' });
    await expect(service.cancel(ctx(), opened.id, 2, 'no')).rejects.toMatchObject({ code: 'approval_in_progress' });
    repo.stocktakes.set(opened.id, { ...(await repo.get(opened.id))!, uncountedPolicy: 'reject' });
    await expect(service.approve(ctx(), opened.id, 2, { uncounted: 'zero' })).rejects.toMatchObject({ code: 'approval_in_progress' });

    const { stocktake } = await service.approve(ctx(), opened.id, 2, { uncounted: 'reject' });
    expect(stocktake).toMatchObject({ status: 'approved', varianceMovements: 7 });
    expect(repo.ledger.map((l) => l.sku).sort()).toEqual(Object.keys(book).sort());
    expect(repo.ledger.every((l) => l.delta === Number(l.sku.slice(1)) - 10)).toBe(true);
    expect(repo.audits.filter((a) => a.action === 'stocktake.approved')).toHaveLength(1);
  });
});
