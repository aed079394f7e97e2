import type { AuditEntry } from '../audit/audit-entry';
import type { DomainEvent } from '../../events/registry';
import type { Page } from '../dealers/ports';
import type { CountBatch, SnapshotLine, Stocktake, StocktakeStatus, UncountedPolicy } from './stocktake';
import type { Posting } from './variance';

export type { Page };

export interface StocktakeListFilter {
  locationCode?: string;
  status?: StocktakeStatus;
  /** Dealer principals: only stocktakes at this dealer's locations. */
  dealerId?: string;
  /** Region-scoped staff: warehouses anywhere, dealer locations only in these regions. */
  visibleRegions?: string[];
}

/** Who posts, when, for which stocktake: the facts every variance movement carries. */
export interface PostingContext {
  actorId: string;
  at: string;
  newId(): string;
}

/**
 * Port: stocktake persistence. Every state change carries its audit entry into the same
 * DynamoDB transaction; the variance postings go through the stock ledger.
 */
export interface StocktakeRepository {
  get(id: string): Promise<Stocktake | undefined>;
  /**
   * Stores the stocktake with its snapshot, takes the location's "one open count" lock and, for
   * a frozen count, sets the location's freeze — all in one transaction. Throws ConflictError
   * `stocktake_already_open` / `location_frozen`, NotFoundError when the location vanished.
   */
  open(stocktake: Stocktake, snapshot: SnapshotLine[], audit: AuditEntry): Promise<void>;
  snapshot(id: string): Promise<SnapshotLine[]>;
  batches(id: string): Promise<CountBatch[]>;
  /** Stores a counts batch and the stocktake's next version (conditional on `expectedVersion`). */
  addBatch(next: Stocktake, expectedVersion: number, batch: CountBatch, audit: AuditEntry): Promise<void>;
  /**
   * counting → approving with the uncounted-lines policy, conditional on the version. The version
   * does not change: a retry of an interrupted approval sends the same If-Match and resumes.
   */
  beginApproval(id: string, expectedVersion: number, uncounted: UncountedPolicy): Promise<void>;
  /** SKUs whose variance is already posted (an interrupted approval resumes after them). */
  postedSkus(id: string): Promise<Set<string>>;
  /**
   * Posts one chunk in one transaction: a `stocktake_variance` movement per posting through the
   * ledger, plus a "posted" marker per line created only if absent, so a retry never posts a line
   * twice. Returns false (nothing written) when some line of the chunk was already posted.
   */
  postChunk(stocktake: Stocktake, postings: Posting[], ctx: PostingContext): Promise<boolean>;
  /** How many postings `postChunk` takes at most. */
  readonly postingsPerChunk: number;
  /** approving → approved: releases the lock, unfreezes the location, writes the audit record. */
  finishApproval(next: Stocktake, audit: AuditEntry): Promise<void>;
  /** open|counting → cancelled (conditional on `expectedVersion`); releases lock and freeze. */
  cancel(next: Stocktake, expectedVersion: number, audit: AuditEntry): Promise<void>;
  list(filter: StocktakeListFilter, page: { limit: number; cursor?: string }): Promise<Page<Stocktake>>;
}

/** Port: the book quantities (on-hand) of the stock ledger. */
export interface StockBook {
  /** Every SKU with a level at the location. */
  levelsAt(locationCode: string): Promise<SnapshotLine[]>;
  /** On-hand of these SKUs (a SKU without a level is absent). Strongly consistent. */
  onHand(locationCode: string, skus: string[]): Promise<Map<string, number>>;
}

/**
 * Port: the inventory's threshold alerts. Variance movements can cross a reorder point or an
 * overstock level like any other movement; this settles the alerts of the posted levels and
 * returns the events of the crossings it won (published after the approval commits).
 */
export interface ThresholdAlerts {
  settle(locationCode: string, skus: string[]): Promise<DomainEvent[]>;
}

/** Port: unit prices to value variances (the catalog's list price), by SKU. */
export interface UnitPrices {
  currency: string;
  prices(skus: string[]): Promise<Map<string, number>>;
}
