import { addDays } from '../../../domain/shared/business-date';
import {
  totalsBySku,
  type ChannelStockLevel,
  type SellOutBatch,
  type SellOutRecord,
  type SellOutTotal,
  type StockReport,
} from '../../../domain/channel/channel-stock';
import type { ChannelQuery, ChannelStockRepository, DateRange, Page, PageRequest, Stored } from '../../../domain/channel/ports';
import { DomainError } from '../../../domain/shared/errors';
import { auditItem } from './audit-log';
import { decodeCursor, encodeCursor, invalidCursor, withClientCursor } from './cursor';
import { dms } from './service';
import { conditionFailed, writeTransaction } from './transaction';

/** Conditional level writes in flight at once while applying a report. */
const LEVEL_WRITE_CONCURRENCY = 16;
/** BatchWriteItem takes at most 25 items. */
const BATCH_WRITE = 25;
/** Items read per query page while summing sell-out. */
const SUM_PAGE = 500;
/** Bounds one totals request; the SKU cursor carries on from the last complete SKU. */
const MAX_SUM_PAGES = 40;

/** The SKUs a totals cursor may resume after (see domain SkuSchema). */
const SKU_PATTERN = /^[A-Z0-9][A-Z0-9._-]{2,39}$/;

/** The content key exists: the same report or batch was accepted before. Never leaves this module. */
class ReplayDetected extends DomainError {
  constructor() {
    super('conflict', 'replay', 'The same content was accepted before.');
  }
}

const invalidFilterCursor = () => invalidCursor('The cursor belongs to a different filter.');

function toLevel(item: Record<string, unknown>): ChannelStockLevel {
  const { locationCode, dealerId, region, sku, quantity, asOf, reportId, reportedAt } = item as unknown as ChannelStockLevel;
  return { locationCode, dealerId, region, sku, quantity, asOf, reportId, reportedAt };
}

function toReport(item: Record<string, unknown>): StockReport {
  return { ...(item as unknown as StockReport) };
}

function toBatch(item: Record<string, unknown>): SellOutBatch {
  return { ...(item as unknown as SellOutBatch) };
}

/** Runs `work` over `items` with at most `concurrency` calls in flight. */
async function inParallel<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item);
    }
  });
  await Promise.all(workers);
}

function isConditionFailure(error: unknown): boolean {
  const e = error as { name?: string; message?: string; cause?: { name?: string } };
  return e.name === 'ConditionalCheckFailedException' || e.cause?.name === 'ConditionalCheckFailedException' || /conditional request failed/i.test(e.message ?? '');
}

function regionClause(regions: string[] | undefined, attr: { region: unknown }, op: { eq: (a: never, v: string) => string }): string {
  if (!regions || regions.length === 0) return '';
  return `(${regions.map((r) => op.eq(attr.region as never, r)).join(' OR ')})`;
}

export const channelStockRepository: ChannelStockRepository = {
  async createReport(report: StockReport, audit): Promise<Stored<StockReport>> {
    try {
      await writeTransaction(
        ({ channelStockReport, channelStockReportKey, audit: auditRecords }) => [
          channelStockReportKey.create({ locationCode: report.locationCode, contentHash: report.contentHash, reportId: report.id }).commit(),
          channelStockReport.create(report).commit(),
          auditRecords.create(auditItem(audit)).commit(),
        ],
        (reasons) => (conditionFailed(reasons, 0) ? new ReplayDetected() : undefined),
      );
      return { created: true, value: report };
    } catch (error) {
      if (!(error instanceof ReplayDetected)) throw error;
    }
    const key = await dms().entities.channelStockReportKey.get({ locationCode: report.locationCode, contentHash: report.contentHash }).go({ consistent: true });
    const existing = key.data ? await this.getReport(key.data.reportId) : undefined;
    if (!existing) throw new Error(`Replay key for report ${report.contentHash} points nowhere`);
    return { created: false, value: existing };
  },

  async applyReport(report) {
    const levels = dms().entities.channelStockLevel;
    await inParallel(report.lines, LEVEL_WRITE_CONCURRENCY, async (line) => {
      const level: ChannelStockLevel = {
        locationCode: report.locationCode,
        dealerId: report.dealerId,
        region: report.region,
        sku: line.sku,
        quantity: line.quantity,
        asOf: report.asOf,
        reportId: report.id,
        reportedAt: report.reportedAt,
      };
      try {
        // The rule of `supersedes`, as a condition: a newer date wins, the same date the later report.
        await levels
          .put(level)
          .where(
            (attr, op) =>
              `${op.notExists(attr.reportId)} OR ${op.lt(attr.asOf, level.asOf)} OR (${op.eq(attr.asOf, level.asOf)} AND ${op.lte(attr.reportId, level.reportId)})`,
          )
          .go();
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        // A newer report already set this level: the older one stays in the history only.
      }
    });
  },

  async getReport(id) {
    const result = await dms().entities.channelStockReport.get({ id }).go();
    return result.data ? toReport(result.data) : undefined;
  },

  async levelsAt(locationCode: string, page: PageRequest): Promise<Page<ChannelStockLevel>> {
    const cursor = page.cursor ? decodeCursor<{ location: string; electro: string }>(page.cursor, 'channel-location-levels') : undefined;
    if (cursor && cursor.location !== locationCode) throw invalidFilterCursor();
    const result = await withClientCursor(cursor?.electro, () =>
      dms().entities.channelStockLevel.query.byLocation({ locationCode }).go({ count: page.limit, limit: page.limit, cursor: cursor?.electro ?? null }),
    );
    return {
      items: result.data.map((item) => toLevel(item)),
      ...(result.cursor ? { nextCursor: encodeCursor('channel-location-levels', { location: locationCode, electro: result.cursor }) } : {}),
    };
  },

  async listLevels(query: ChannelQuery, page: PageRequest): Promise<Page<ChannelStockLevel>> {
    const fingerprint = JSON.stringify(query);
    const cursor = page.cursor ? decodeCursor<{ q: string; electro: string }>(page.cursor, 'channel-levels') : undefined;
    if (cursor && cursor.q !== fingerprint) throw invalidFilterCursor();
    const entity = dms().entities.channelStockLevel;
    const regions = query.by === 'region' ? undefined : query.regions;
    const keyRegion = query.by === 'sku' && regions?.length === 1 ? regions[0] : undefined;
    const base =
      query.by === 'dealer'
        ? entity.query.byDealer({ dealerId: query.dealerId, ...(query.sku ? { sku: query.sku } : {}) })
        : query.by === 'sku'
          ? entity.query.bySku({ sku: query.sku, ...(keyRegion ? { region: keyRegion } : {}) })
          : entity.query.byRegion({ region: query.region, ...(query.sku ? { sku: query.sku } : {}) });
    const filtered = Boolean(regions && !keyRegion);
    const result = await withClientCursor(cursor?.electro, () =>
      base
        .where((attr, op) => (keyRegion ? '' : regionClause(regions, attr, op as never)))
        .go({ count: page.limit, limit: filtered ? Math.min(page.limit * 4, 400) : page.limit, cursor: cursor?.electro ?? null }),
    );
    return {
      items: result.data.map((item) => toLevel(item)),
      ...(result.cursor ? { nextCursor: encodeCursor('channel-levels', { q: fingerprint, electro: result.cursor }) } : {}),
    };
  },

  async createSellOutBatch(batch: SellOutBatch, audit): Promise<Stored<SellOutBatch>> {
    try {
      await writeTransaction(
        ({ channelSellOutBatch, channelSellOutKey, audit: auditRecords }) => [
          channelSellOutKey.create({ locationCode: batch.locationCode, contentHash: batch.contentHash, batchId: batch.id }).commit(),
          channelSellOutBatch.create(batch).commit(),
          auditRecords.create(auditItem(audit)).commit(),
        ],
        (reasons) => (conditionFailed(reasons, 0) ? new ReplayDetected() : undefined),
      );
      return { created: true, value: batch };
    } catch (error) {
      if (!(error instanceof ReplayDetected)) throw error;
    }
    const key = await dms().entities.channelSellOutKey.get({ locationCode: batch.locationCode, contentHash: batch.contentHash }).go({ consistent: true });
    const existing = key.data ? await this.getSellOutBatch(key.data.batchId) : undefined;
    if (!existing) throw new Error(`Replay key for sell-out ${batch.contentHash} points nowhere`);
    return { created: false, value: existing };
  },

  async applySellOutBatch(batch) {
    const records: SellOutRecord[] = batch.lines.map((line, index) => ({
      ...line,
      batchId: batch.id,
      lineNo: index,
      dealerId: batch.dealerId,
      locationCode: batch.locationCode,
      region: batch.region,
    }));
    const entity = dms().entities.channelSellOutRecord;
    for (let i = 0; i < records.length; i += BATCH_WRITE) {
      let pending = records.slice(i, i + BATCH_WRITE).map((r) => ({ ...r, lineNo: String(r.lineNo).padStart(4, '0') }));
      for (let attempt = 0; pending.length > 0; attempt += 1) {
        const result = await entity.put(pending).go();
        const unprocessed = new Set((result.unprocessed ?? []).map((key) => `${key.batchId}|${key.lineNo}`));
        pending = pending.filter((r) => unprocessed.has(`${r.batchId}|${r.lineNo}`));
        if (pending.length === 0) break;
        if (attempt >= 8) throw new Error(`Sell-out batch ${batch.id}: ${pending.length} records left unprocessed`);
        await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
      }
    }
  },

  async getSellOutBatch(id) {
    const result = await dms().entities.channelSellOutBatch.get({ id }).go();
    return result.data ? toBatch(result.data) : undefined;
  },

  async sellOutTotals(query: ChannelQuery, range: DateRange, page: PageRequest): Promise<Page<SellOutTotal>> {
    const entity = dms().entities.channelSellOutRecord;
    const end = addDays(range.to, 1);
    const regions = query.by === 'region' ? undefined : query.regions;
    const sku = query.sku;

    if (sku) {
      // One SKU: the date range is a key range; the answer is a single total.
      const base =
        query.by === 'dealer'
          ? entity.query.byDealer({ dealerId: query.dealerId, sku }).between({ soldOn: range.from }, { soldOn: end })
          : query.by === 'sku'
            ? entity.query.bySku({ sku }).between({ soldOn: range.from }, { soldOn: end })
            : entity.query.byRegion({ region: query.region, sku }).between({ soldOn: range.from }, { soldOn: end });
      if (page.cursor) throw invalidFilterCursor();
      const result = await base
        .where((attr, op) => [op.between(attr.soldOn, range.from, range.to), regionClause(regions, attr, op as never)].filter(Boolean).join(' AND '))
        .go({ pages: 'all', limit: SUM_PAGE });
      return { items: totalsBySku(result.data) };
    }

    // Every SKU of a dealer or a region: items come in SKU order, so totals page by SKU.
    const fingerprint = JSON.stringify({ query, range });
    const cursor = page.cursor ? decodeCursor<{ q: string; after: string }>(page.cursor, 'channel-sell-out') : undefined;
    if (cursor && (cursor.q !== fingerprint || typeof cursor.after !== 'string' || !SKU_PATTERN.test(cursor.after))) throw invalidFilterCursor();
    const partition =
      query.by === 'dealer' ? entity.query.byDealer({ dealerId: query.dealerId }) : entity.query.byRegion({ region: (query as { region: string }).region });
    const ranged = cursor ? partition.between({ sku: `${cursor.after}#~` }, { sku: '~' }) : partition;
    const chain = ranged.where((attr, op) => [op.between(attr.soldOn, range.from, range.to), regionClause(regions, attr, op as never)].filter(Boolean).join(' AND '));
    const rows: { sku: string; quantity: number }[] = [];
    let electro: string | null = null;
    let complete = false;
    for (let pages = 0; ; pages += 1) {
      const result = await withClientCursor(null, () => chain.go({ limit: SUM_PAGE, cursor: electro }));
      rows.push(...result.data.map(({ sku, quantity }) => ({ sku, quantity })));
      electro = result.cursor;
      if (!electro) {
        complete = true;
        break;
      }
      const skus = new Set(rows.map((r) => r.sku));
      // Enough SKUs seen that the first `limit` are complete, or the work bound is reached.
      if (skus.size > page.limit || (pages >= MAX_SUM_PAGES && skus.size > 1)) break;
    }
    const totals = totalsBySku(rows);
    if (complete && totals.length <= page.limit) return { items: totals };
    // The last SKU seen may continue on the next page of items: only complete ones are returned.
    const done = complete ? totals : totals.slice(0, -1);
    const items = done.slice(0, page.limit);
    return { items, nextCursor: encodeCursor('channel-sell-out', { q: fingerprint, after: items[items.length - 1]!.sku }) };
  },
};
