import type { AuditEntry } from '../audit/audit-entry';
import type { ChannelStockLevel, SellOutBatch, SellOutTotal, StockReport } from './channel-stock';

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface PageRequest {
  limit: number;
  cursor?: string;
}

/**
 * Which key a channel query reads, decided by the domain from the caller's scope and filters:
 * one dealer's partition, one SKU's (across dealers), or one region's. `regions`, when set,
 * confines the result to those regions (a filter on top of the key).
 */
export type ChannelQuery =
  | { by: 'dealer'; dealerId: string; sku?: string; regions?: string[] }
  | { by: 'sku'; sku: string; regions?: string[] }
  | { by: 'region'; region: string; sku?: string };

export interface DateRange {
  from: string;
  to: string;
}

/** The result of storing a batch: created now, or the same content was accepted before (a replay). */
export type Stored<T> = { created: true; value: T } | { created: false; value: T };

/**
 * Port: channel stock persistence. Creating a report or a sell-out batch stores it with its
 * single audit record and a replay key in one transaction; the per-SKU projections (levels,
 * sale records) are applied afterwards in chunks, each chunk idempotent, so a retry after a
 * failure midway completes the work without double counting.
 */
export interface ChannelStockRepository {
  createReport(report: StockReport, audit: AuditEntry): Promise<Stored<StockReport>>;
  /** Writes each line as the location's level unless a newer report already set it. */
  applyReport(report: StockReport): Promise<void>;
  getReport(id: string): Promise<StockReport | undefined>;
  levelsAt(locationCode: string, page: PageRequest): Promise<Page<ChannelStockLevel>>;
  listLevels(query: ChannelQuery, page: PageRequest): Promise<Page<ChannelStockLevel>>;

  createSellOutBatch(batch: SellOutBatch, audit: AuditEntry): Promise<Stored<SellOutBatch>>;
  /** Stores one sale record per line, keyed by (batch, line): re-applying overwrites, never adds. */
  applySellOutBatch(batch: SellOutBatch): Promise<void>;
  getSellOutBatch(id: string): Promise<SellOutBatch | undefined>;
  /** Sales in the range summed per SKU, in SKU order, paginated by SKU. */
  sellOutTotals(query: ChannelQuery, range: DateRange, page: PageRequest): Promise<Page<SellOutTotal>>;
}
