import type { CountBatch, SnapshotLine, UncountedPolicy } from './stocktake';

/**
 * One line of the variance report. The variance compares the count with the book quantity AT
 * COUNT TIME (read when the batch holding the count was submitted), not at open: movements
 * between open and count are real and already in the book, so in an unfrozen count they do not
 * show up as variances. Posting the variance as a DELTA (counted − bookAtCount) rather than
 * setting on-hand to the count keeps movements after the count, too.
 */
export interface VarianceLine {
  sku: string;
  /** Absent for SKUs found by the count that had no stock in the books at open. */
  bookAtOpen?: number;
  counted?: number;
  bookAtCount?: number;
  /** counted − bookAtCount; absent while uncounted. */
  variance?: number;
  countedAt?: string;
  countedBy?: string;
  /** Value of the variance at list price (minor units), when a price is known. */
  unitPrice?: number;
  varianceValue?: number;
}

export type LineState = 'uncounted' | 'matched' | 'over' | 'short';

export function lineState(line: Pick<VarianceLine, 'variance'>): LineState {
  if (line.variance === undefined) return 'uncounted';
  if (line.variance === 0) return 'matched';
  return line.variance > 0 ? 'over' : 'short';
}

/** Snapshot + batches in submission order (a recount overwrites), sorted by SKU. */
export function mergeCounts(snapshot: readonly SnapshotLine[], batches: readonly CountBatch[]): VarianceLine[] {
  const lines = new Map<string, VarianceLine>();
  for (const { sku, book } of snapshot) lines.set(sku, { sku, bookAtOpen: book });
  for (const batch of [...batches].sort((a, b) => a.seq - b.seq)) {
    for (const { sku, counted, bookAtCount } of batch.lines) {
      const line = lines.get(sku) ?? { sku };
      line.counted = counted;
      line.bookAtCount = bookAtCount;
      line.variance = counted - bookAtCount;
      line.countedAt = batch.countedAt;
      line.countedBy = batch.countedBy;
      lines.set(sku, line);
    }
  }
  return [...lines.values()].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
}

export function withValues(lines: VarianceLine[], prices: ReadonlyMap<string, number>): VarianceLine[] {
  return lines.map((line) => {
    const unitPrice = prices.get(line.sku);
    if (unitPrice === undefined) return line;
    return { ...line, unitPrice, ...(line.variance !== undefined ? { varianceValue: line.variance * unitPrice } : {}) };
  });
}

export interface VarianceSummary {
  lines: number;
  counted: number;
  uncounted: number;
  matched: number;
  over: number;
  short: number;
  /** Sum of positive / negative variances (units). */
  quantityOver: number;
  quantityShort: number;
  /** Net value at list price over the lines that have a price (minor units). */
  netValue?: number;
  valueOver?: number;
  valueShort?: number;
  /** Lines with a variance but without a known price (excluded from the values). */
  unpricedVarianceLines?: number;
}

export function summarize(lines: readonly VarianceLine[], withPrices: boolean): VarianceSummary {
  const summary: VarianceSummary = { lines: lines.length, counted: 0, uncounted: 0, matched: 0, over: 0, short: 0, quantityOver: 0, quantityShort: 0 };
  let valueOver = 0;
  let valueShort = 0;
  let unpriced = 0;
  for (const line of lines) {
    const state = lineState(line);
    if (state === 'uncounted') {
      summary.uncounted += 1;
      continue;
    }
    summary.counted += 1;
    summary[state] += 1;
    if (state === 'over') summary.quantityOver += line.variance!;
    if (state === 'short') summary.quantityShort += line.variance!;
    if (state !== 'matched') {
      if (line.varianceValue === undefined) unpriced += 1;
      else if (line.varianceValue > 0) valueOver += line.varianceValue;
      else valueShort += line.varianceValue;
    }
  }
  if (withPrices) Object.assign(summary, { netValue: valueOver + valueShort, valueOver, valueShort, unpricedVarianceLines: unpriced });
  return summary;
}

/** What approval posts for one line: a `stocktake_variance` movement of `delta` on-hand. */
export interface Posting {
  sku: string;
  delta: number;
  counted: number;
  bookAtCount: number;
}

/**
 * The postings of an approval. Uncounted lines follow the policy: `keep_book` leaves them
 * alone; `zero` counts them as 0 against their current book (`currentBook`, read at approval).
 * `reject` is decided before (see uncountedSkus).
 */
export function plannedPostings(lines: readonly VarianceLine[], policy: UncountedPolicy, currentBook: ReadonlyMap<string, number> = new Map()): Posting[] {
  const postings: Posting[] = [];
  for (const line of lines) {
    if (line.variance !== undefined) {
      if (line.variance !== 0) postings.push({ sku: line.sku, delta: line.variance, counted: line.counted!, bookAtCount: line.bookAtCount! });
      continue;
    }
    if (policy === 'zero') {
      const book = currentBook.get(line.sku) ?? 0;
      if (book !== 0) postings.push({ sku: line.sku, delta: -book, counted: 0, bookAtCount: book });
    }
  }
  return postings;
}

export function uncountedSkus(lines: readonly VarianceLine[]): string[] {
  return lines.filter((line) => line.variance === undefined).map((line) => line.sku);
}

/** Splits `items` into consecutive chunks of at most `size` (the last may be shorter). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError('chunk size must be a positive integer');
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * How many postings fit in one transaction: DynamoDB allows 100 items; each posting costs the
 * ledger's items per change plus one "posted" marker, and every chunk carries the ledger's
 * fixed items (e.g. a location check) plus one check of the stocktake itself.
 */
export function postingsPerTransaction(ledgerItemsPerChange: number, ledgerFixedItems: number, maxItems = 100): number {
  const size = Math.floor((maxItems - ledgerFixedItems - 1) / (ledgerItemsPerChange + 1));
  if (size < 1) throw new RangeError('a single posting does not fit in one transaction');
  return size;
}
