import * as z from 'zod';
import type { Principal } from '../access/principal';
import { canSee } from '../access/object-scope';
import { SkuSchema } from '../catalog/product';

/**
 * A stocktake (physical inventory count) of one location.
 *
 *   open ──counts──▶ counting ──approve──▶ approving ──▶ approved
 *     └──────────────────┴──cancel──▶ cancelled
 *
 * `approving` is the short-lived state while variance movements are being posted in chunks;
 * it refuses further counts and cancellation, and a retried approval resumes from it.
 */
export const STOCKTAKE_STATUSES = ['open', 'counting', 'approving', 'approved', 'cancelled'] as const;
export type StocktakeStatus = (typeof STOCKTAKE_STATUSES)[number];

/** Lines per counts request: one stored batch item (well under DynamoDB's 400 KB) per request. */
export const MAX_COUNT_LINES_PER_BATCH = 1_000;
/** SKUs a partial stocktake may name. */
export const MAX_STOCKTAKE_SKUS = 20_000;
export const MAX_COUNT_QUANTITY = 100_000_000;

export const UNCOUNTED_POLICIES = ['reject', 'keep_book', 'zero'] as const;
export type UncountedPolicy = (typeof UNCOUNTED_POLICIES)[number];

export const LocationCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9][A-Z0-9_-]{1,39}$/, 'a location code such as WH-SH-01');

export const OpenStocktakeSchema = z.strictObject({
  locationCode: LocationCodeSchema,
  freeze: z.boolean().describe('block all other movements at the location until the count closes'),
  skus: z
    .array(SkuSchema)
    .min(1)
    .max(MAX_STOCKTAKE_SKUS)
    .optional()
    .describe('count only these SKUs (a cycle count); absent: every SKU stocked at the location'),
  note: z.string().trim().min(1).max(500).optional(),
});
export type OpenStocktake = z.output<typeof OpenStocktakeSchema>;

export const CountLineSchema = z.strictObject({
  sku: SkuSchema,
  quantity: z.number().int().min(0).max(MAX_COUNT_QUANTITY).describe('counted on-hand quantity'),
});

export const CountBatchSchema = z
  .strictObject({
    lines: z.array(CountLineSchema).min(1).max(MAX_COUNT_LINES_PER_BATCH),
    note: z.string().trim().min(1).max(500).optional(),
  })
  .superRefine((batch, ctx) => {
    const seen = new Set<string>();
    batch.lines.forEach((line, i) => {
      if (seen.has(line.sku)) ctx.addIssue({ code: 'custom', path: ['lines', i, 'sku'], message: `${line.sku} appears twice in this batch` });
      seen.add(line.sku);
    });
  });
export type CountBatchInput = z.output<typeof CountBatchSchema>;

export const ApproveStocktakeSchema = z.strictObject({
  uncounted: z
    .enum(UNCOUNTED_POLICIES)
    .describe('lines never counted: `reject` refuses the approval, `keep_book` posts nothing for them, `zero` counts them as 0'),
  note: z.string().trim().min(1).max(500).optional(),
});
export type ApproveStocktake = z.output<typeof ApproveStocktakeSchema>;

export const CancelStocktakeSchema = z.strictObject({
  reason: z.string().trim().min(1).max(500),
});

export interface Stocktake {
  id: string;
  locationCode: string;
  /** Copied from the location: who may see the stocktake follows who may see the location. */
  region: string;
  dealerId?: string;
  status: StocktakeStatus;
  freeze: boolean;
  scope: 'full' | 'partial';
  /** Lines in the snapshot taken at open. */
  lineCount: number;
  countBatches: number;
  /** Lines received over all batches, recounts included. */
  linesSubmitted: number;
  note?: string;
  openedAt: string;
  openedBy: string;
  lastCountedAt?: string;
  approvedAt?: string;
  approvedBy?: string;
  uncountedPolicy?: UncountedPolicy;
  /** Variance movements posted by the approval. */
  varianceMovements?: number;
  cancelledAt?: string;
  cancelledBy?: string;
  cancelReason?: string;
  updatedAt: string;
  version: number;
}

/** The book quantity of a SKU when the count opened. */
export interface SnapshotLine {
  sku: string;
  book: number;
}

export interface CountedLine {
  sku: string;
  counted: number;
  /** On-hand in the books when this line was counted (read as the batch was submitted). */
  bookAtCount: number;
}

/** One counts request, stored whole: later batches overwrite earlier counts of the same SKU. */
export interface CountBatch {
  seq: number;
  id: string;
  lines: CountedLine[];
  countedAt: string;
  countedBy: string;
  requestId: string;
  note?: string;
}

/** Object-level rule: a stocktake is visible to whoever may see its location. */
export function canSeeStocktake(principal: Principal, stocktake: Pick<Stocktake, 'dealerId' | 'region'>): boolean {
  if (stocktake.dealerId) return canSee(principal, { dealerId: stocktake.dealerId, region: stocktake.region });
  // Enterprise warehouses: every staff member (as for locations), never a dealer principal.
  return principal.scope !== 'dealer';
}

export function isClosed(status: StocktakeStatus): boolean {
  return status === 'approved' || status === 'cancelled';
}
