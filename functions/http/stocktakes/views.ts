import * as z from 'zod';
import { STOCKTAKE_STATUSES, UNCOUNTED_POLICIES } from '../../../domain/stocktakes/stocktake';

export const StocktakeView = z.object({
  id: z.string(),
  locationCode: z.string(),
  region: z.string(),
  dealerId: z.string().optional().describe('set when the count is at a dealer location'),
  status: z.enum(STOCKTAKE_STATUSES),
  freeze: z.boolean(),
  scope: z.enum(['full', 'partial']),
  lineCount: z.number().int().describe('lines in the snapshot of book quantities taken at open'),
  countBatches: z.number().int(),
  linesSubmitted: z.number().int().describe('lines received over all count batches, recounts included'),
  note: z.string().optional(),
  openedAt: z.string(),
  openedBy: z.string(),
  lastCountedAt: z.string().optional(),
  approvedAt: z.string().optional(),
  approvedBy: z.string().optional(),
  uncountedPolicy: z.enum(UNCOUNTED_POLICIES).optional(),
  varianceMovements: z.number().int().optional(),
  cancelledAt: z.string().optional(),
  cancelledBy: z.string().optional(),
  cancelReason: z.string().optional(),
  updatedAt: z.string(),
  version: z.number().int(),
});

export const CountBatchView = z.object({
  stocktake: StocktakeView,
  batch: z.object({
    id: z.string(),
    seq: z.number().int().describe('submission order: a later batch overwrites earlier counts of the same SKU'),
    lines: z.number().int(),
    countedAt: z.string(),
    countedBy: z.string(),
  }),
});

export const LINE_STATES = ['uncounted', 'matched', 'over', 'short'] as const;

export const VarianceLineView = z.object({
  sku: z.string(),
  state: z.enum(LINE_STATES),
  bookAtOpen: z.number().int().optional(),
  counted: z.number().int().optional(),
  bookAtCount: z.number().int().optional().describe('book on-hand when the line was counted: the variance is measured against it'),
  variance: z.number().int().optional().describe('counted − bookAtCount'),
  countedAt: z.string().optional(),
  countedBy: z.string().optional(),
  unitPrice: z.number().int().optional().describe('list price, minor units'),
  varianceValue: z.number().int().optional().describe('variance × unit price, minor units'),
});

export const VarianceReportView = z.object({
  stocktakeId: z.string(),
  status: z.enum(STOCKTAKE_STATUSES),
  locationCode: z.string(),
  currency: z.string().optional().describe('present when variances are valued (at list price)'),
  summary: z.object({
    lines: z.number().int(),
    counted: z.number().int(),
    uncounted: z.number().int(),
    matched: z.number().int(),
    over: z.number().int(),
    short: z.number().int(),
    quantityOver: z.number().int(),
    quantityShort: z.number().int(),
    netValue: z.number().int().optional(),
    valueOver: z.number().int().optional(),
    valueShort: z.number().int().optional(),
    unpricedVarianceLines: z.number().int().optional(),
  }),
  items: z.array(VarianceLineView),
  nextCursor: z.string().optional(),
});
