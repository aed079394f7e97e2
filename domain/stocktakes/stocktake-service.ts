import type { Principal } from '../access/principal';
import { auditEntry, type RequestContext } from '../audit/audit-entry';
import { isDealerLocation, type LocationReader } from '../inventory/location';
import { ConflictError, NotFoundError, ValidationError, VersionMismatchError } from '../shared/errors';
import type { DomainEvent } from '../../events/registry';
import type { Page, StockBook, StocktakeListFilter, StocktakeRepository, ThresholdAlerts, UnitPrices } from './ports';
import {
  canSeeStocktake,
  type ApproveStocktake,
  type CountBatch,
  type CountBatchInput,
  type OpenStocktake,
  type SnapshotLine,
  type Stocktake,
  type StocktakeStatus,
} from './stocktake';
import { chunk, lineState, mergeCounts, plannedPostings, summarize, uncountedSkus, withValues, type VarianceLine, type VarianceSummary } from './variance';
import { withoutEmpty } from '../shared/objects';

const ENTITY = 'stocktake';
/** Concurrent counts batches on one stocktake serialize on its version; a loser re-reads and retries. */
const MAX_BATCH_ATTEMPTS = 8;

export interface VarianceReport {
  stocktake: Stocktake;
  summary: VarianceSummary;
  currency?: string;
  lines: VarianceLine[];
}

export interface VarianceQuery {
  /** Only lines in one of these states. */
  states?: ReturnType<typeof lineState>[];
  afterSku?: string;
  limit: number;
}

function notCountable(stocktake: Stocktake): ConflictError {
  return new ConflictError('stocktake_closed', `Stocktake ${stocktake.id} is ${stocktake.status}; it no longer takes counts or changes.`);
}

export class StocktakeService {
  constructor(
    private readonly stocktakes: StocktakeRepository,
    private readonly locations: LocationReader,
    private readonly book: StockBook,
    private readonly prices?: UnitPrices,
    private readonly alerts?: ThresholdAlerts,
  ) {}

  async open(ctx: RequestContext, input: OpenStocktake): Promise<Stocktake> {
    const location = await this.locations.get(input.locationCode);
    if (!location) {
      throw new ValidationError(`Location ${input.locationCode} does not exist.`, [{ path: 'locationCode', message: 'unknown location', code: 'unknown_location' }], 'unknown_location');
    }
    if (location.status !== 'active') throw new ConflictError('location_inactive', `Location ${location.code} is inactive.`);
    let snapshot: SnapshotLine[];
    if (input.skus) {
      const skus = [...new Set(input.skus)].sort();
      const onHand = await this.book.onHand(location.code, skus);
      snapshot = skus.map((sku) => ({ sku, book: onHand.get(sku) ?? 0 }));
    } else {
      // Levels at zero stay in: a full count confirms that they are still empty.
      snapshot = (await this.book.levelsAt(location.code)).sort((a, b) => (a.sku < b.sku ? -1 : 1));
    }
    const at = ctx.now.toISOString();
    const stocktake: Stocktake = withoutEmpty({
      id: ctx.newId(),
      locationCode: location.code,
      region: location.region,
      dealerId: isDealerLocation(location) ? location.dealerId : undefined,
      status: 'open' as const,
      freeze: input.freeze,
      scope: input.skus ? ('partial' as const) : ('full' as const),
      lineCount: snapshot.length,
      countBatches: 0,
      linesSubmitted: 0,
      note: input.note,
      openedAt: at,
      openedBy: ctx.principal.userId,
      updatedAt: at,
      version: 1,
    });
    await this.stocktakes.open(stocktake, snapshot, auditEntry(ctx, 'stocktake.opened', { type: ENTITY, id: stocktake.id }, undefined, stocktake));
    return stocktake;
  }

  /** The stocktake if this principal may see it; otherwise NotFound, whether or not it exists. */
  async get(principal: Principal, id: string): Promise<Stocktake> {
    const stocktake = await this.stocktakes.get(id);
    if (!stocktake || !canSeeStocktake(principal, stocktake)) throw new NotFoundError('Stocktake', id);
    return stocktake;
  }

  async list(principal: Principal, filter: Omit<StocktakeListFilter, 'dealerId'>, page: { limit: number; cursor?: string }): Promise<Page<Stocktake>> {
    if (principal.scope === 'dealer') {
      // Dealer principals: stocktakes HQ ran at their own locations, nothing else.
      if (!principal.dealerId) return { items: [] };
      const result = await this.stocktakes.list({ ...filter, dealerId: principal.dealerId }, page);
      return { ...result, items: result.items.filter((s) => canSeeStocktake(principal, s)) };
    }
    if (principal.scope === 'region') return this.stocktakes.list({ ...filter, visibleRegions: principal.regions }, page);
    return this.stocktakes.list(filter, page);
  }

  /**
   * Records one batch of counted quantities. Each line also records the book on-hand read now
   * (strongly consistent), the "book at count time" its variance is measured against.
   */
  async count(ctx: RequestContext, id: string, input: CountBatchInput): Promise<{ stocktake: Stocktake; batch: CountBatch }> {
    let stocktake = await this.get(ctx.principal, id);
    this.assertCountable(stocktake);
    if (stocktake.scope === 'partial') {
      const expected = new Set((await this.stocktakes.snapshot(id)).map((line) => line.sku));
      const outside = input.lines.map((l, i) => ({ sku: l.sku, i })).filter(({ sku }) => !expected.has(sku));
      if (outside.length > 0) {
        throw new ValidationError(
          `This stocktake counts only the SKUs it was opened with; not included: ${outside.slice(0, 10).map((o) => o.sku).join(', ')}${outside.length > 10 ? ', …' : ''}.`,
          outside.slice(0, 50).map(({ i }) => ({ path: `lines/${i}/sku`, message: 'not part of this stocktake', code: 'sku_not_in_stocktake' })),
          'sku_not_in_stocktake',
        );
      }
    }
    const skus = input.lines.map((line) => line.sku);
    const onHand = await this.book.onHand(stocktake.locationCode, skus);
    for (let attempt = 1; ; attempt += 1) {
      const at = ctx.now.toISOString();
      const batch: CountBatch = withoutEmpty({
        seq: stocktake.countBatches + 1,
        id: ctx.newId(),
        lines: input.lines.map((line) => ({ sku: line.sku, counted: line.quantity, bookAtCount: onHand.get(line.sku) ?? 0 })),
        countedAt: at,
        countedBy: ctx.principal.userId,
        requestId: ctx.requestId,
        note: input.note,
      });
      const next: Stocktake = {
        ...stocktake,
        status: 'counting',
        countBatches: batch.seq,
        linesSubmitted: stocktake.linesSubmitted + batch.lines.length,
        lastCountedAt: at,
        updatedAt: at,
        version: stocktake.version + 1,
      };
      try {
        await this.stocktakes.addBatch(next, stocktake.version, batch, auditEntry(ctx, 'stocktake.counted', { type: ENTITY, id }, stocktake, next));
        return { stocktake: next, batch };
      } catch (error) {
        if (!(error instanceof VersionMismatchError)) throw error;
        if (attempt >= MAX_BATCH_ATTEMPTS) throw new ConflictError('concurrent_counts', `Stocktake ${id} is busy with other count batches; send this batch again.`);
        // Another batch got in first: take its sequence number and count after it.
        stocktake = await this.get(ctx.principal, id);
        this.assertCountable(stocktake);
      }
    }
  }

  async variances(principal: Principal, id: string, query: VarianceQuery): Promise<VarianceReport & { nextSku?: string }> {
    const stocktake = await this.get(principal, id);
    const { lines, currency } = await this.report(stocktake);
    const summary = summarize(lines, currency !== undefined);
    const selected = query.states ? lines.filter((line) => query.states!.includes(lineState(line))) : lines;
    const start = query.afterSku === undefined ? 0 : selected.findIndex((line) => line.sku > query.afterSku!);
    const page = start < 0 ? [] : selected.slice(start, start + query.limit);
    const more = start >= 0 && start + query.limit < selected.length;
    return { stocktake, summary, ...(currency ? { currency } : {}), lines: page, ...(more ? { nextSku: page[page.length - 1]!.sku } : {}) };
  }

  private async report(stocktake: Stocktake, valued = true): Promise<{ lines: VarianceLine[]; currency?: string }> {
    const [snapshot, batches] = await Promise.all([this.stocktakes.snapshot(stocktake.id), this.stocktakes.batches(stocktake.id)]);
    const lines = mergeCounts(snapshot, batches);
    if (!this.prices || !valued) return { lines };
    const prices = await this.prices.prices(lines.filter((l) => l.variance !== undefined && l.variance !== 0).map((l) => l.sku));
    return { lines: withValues(lines, prices), currency: this.prices.currency };
  }

  /**
   * Posts the variances and closes the count. The postings go in chunks, each one transaction
   * (ledger movements + a "posted" marker per line that must not exist yet), so a failure midway
   * leaves whole chunks posted and the stocktake `approving`; approving again (same If-Match)
   * resumes with the lines not yet posted — never posting one twice. The approval's audit record
   * is written with the final state change.
   */
  async approve(ctx: RequestContext, id: string, expectedVersion: number, input: ApproveStocktake): Promise<{ stocktake: Stocktake; posted: number; events: DomainEvent[] }> {
    const before = await this.get(ctx.principal, id);
    if (before.version !== expectedVersion) throw new VersionMismatchError('Stocktake', id);
    if (before.status === 'open') throw new ConflictError('stocktake_not_counted', `Stocktake ${id} has no counts yet; submit counts before approving.`);
    if (before.status !== 'counting' && before.status !== 'approving') throw notCountable(before);
    if (before.status === 'approving' && before.uncountedPolicy && before.uncountedPolicy !== input.uncounted) {
      throw new ConflictError('approval_in_progress', `The approval of stocktake ${id} is in progress with uncounted=${before.uncountedPolicy}; resume it with the same choice.`);
    }

    const { lines } = await this.report(before, false);
    const uncounted = uncountedSkus(lines);
    if (input.uncounted === 'reject' && uncounted.length > 0) {
      throw new ConflictError(
        'uncounted_lines',
        `${uncounted.length} line(s) have not been counted (${uncounted.slice(0, 10).join(', ')}${uncounted.length > 10 ? ', …' : ''}); count them or approve with uncounted=keep_book or uncounted=zero.`,
      );
    }
    if (before.status === 'counting') await this.stocktakes.beginApproval(id, expectedVersion, input.uncounted);

    const posted = await this.stocktakes.postedSkus(id);
    const remaining = lines.filter((line) => !posted.has(line.sku));
    const zeroBook = input.uncounted === 'zero' ? await this.book.onHand(before.locationCode, uncountedSkus(remaining)) : new Map<string, number>();
    let postings = plannedPostings(remaining, input.uncounted, zeroBook);
    let newlyPosted = 0;
    const postingCtx = { actorId: ctx.principal.userId, at: ctx.now.toISOString(), newId: ctx.newId };
    while (postings.length > 0) {
      const [first, ...rest] = chunk(postings, this.stocktakes.postingsPerChunk);
      if (await this.stocktakes.postChunk(before, first!, postingCtx)) {
        newlyPosted += first!.length;
        postings = rest.flat();
      } else {
        // Someone (a concurrent approval) posted part of it: drop what is posted, carry on.
        const nowPosted = await this.stocktakes.postedSkus(id);
        postings = postings.filter((p) => !nowPosted.has(p.sku));
      }
    }
    const postedSkus = [...(await this.stocktakes.postedSkus(id))];
    const totalPosted = postedSkus.length;

    const at = ctx.now.toISOString();
    const next: Stocktake = withoutEmpty({
      ...before,
      status: 'approved' as StocktakeStatus,
      approvedAt: at,
      approvedBy: ctx.principal.userId,
      uncountedPolicy: input.uncounted,
      varianceMovements: totalPosted,
      note: input.note ?? before.note,
      updatedAt: at,
      version: before.version + 1,
    });
    try {
      await this.stocktakes.finishApproval(next, auditEntry(ctx, 'stocktake.approved', { type: ENTITY, id }, before, next));
    } catch (error) {
      // A concurrent approval of the same count finished first: its result is ours.
      const now = await this.stocktakes.get(id);
      if (now?.status === 'approved') return { stocktake: now, posted: newlyPosted, events: [] };
      throw error;
    }
    // Every posted level (also those of an interrupted earlier attempt): settling is idempotent.
    const events = this.alerts && postedSkus.length > 0 ? await this.alerts.settle(next.locationCode, postedSkus) : [];
    return { stocktake: next, posted: newlyPosted, events };
  }

  async cancel(ctx: RequestContext, id: string, expectedVersion: number, reason: string): Promise<Stocktake> {
    const before = await this.get(ctx.principal, id);
    if (before.version !== expectedVersion) throw new VersionMismatchError('Stocktake', id);
    if (before.status === 'approving') throw new ConflictError('approval_in_progress', `Stocktake ${id} is being approved; it can no longer be cancelled.`);
    if (before.status !== 'open' && before.status !== 'counting') throw notCountable(before);
    const at = ctx.now.toISOString();
    const next: Stocktake = {
      ...before,
      status: 'cancelled',
      cancelledAt: at,
      cancelledBy: ctx.principal.userId,
      cancelReason: reason,
      updatedAt: at,
      version: before.version + 1,
    };
    await this.stocktakes.cancel(next, expectedVersion, auditEntry(ctx, 'stocktake.cancelled', { type: ENTITY, id }, before, next));
    return next;
  }

  private assertCountable(stocktake: Stocktake): void {
    if (stocktake.status === 'approving') throw new ConflictError('approval_in_progress', `Stocktake ${stocktake.id} is being approved; it takes no more counts.`);
    if (stocktake.status !== 'open' && stocktake.status !== 'counting') throw notCountable(stocktake);
  }
}
