/**
 * Channel inventory: what dealers hold at their own stores and warehouses (reported by them,
 * separate from the enterprise's stock ledger) and what they sold to their customers
 * (sell-out). Both arrive as batches from the dealers' systems.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { SkuSchema } from '../catalog/product';
import { LocationCodeSchema } from '../inventory/schemas';
import { daysBetween } from '../shared/business-date';

/** SKUs are the catalog's (upper case); location codes the inventory context's. */
export { LocationCodeSchema, SkuSchema };

export const MAX_REPORT_LINES = 500;
export const MAX_SELL_OUT_LINES = 500;
/** How far back a report or a sale may be dated: older data belongs in a reconciliation, not a report. */
export const MAX_BACKDATE_DAYS = 400;
/** The widest sell-out range one aggregate query may cover. */
export const MAX_RANGE_DAYS = 366;

/** A real calendar date `YYYY-MM-DD` (2026-02-30 is refused). */
export const BusinessDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
  .refine(isCalendarDate, 'not a calendar date');

export function isCalendarDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value && value >= '2000-01-01';
}

const quantity = z.number().int('a whole number of units').min(0).max(10_000_000);

export const StockReportLineSchema = z.strictObject({
  sku: SkuSchema,
  quantity: quantity.describe('units on hand at the location at the end of the report date'),
});

export const NewStockReportSchema = z
  .strictObject({
    locationCode: LocationCodeSchema,
    asOf: BusinessDateSchema.describe('the business date the levels are valid for (enterprise time zone)'),
    lines: z.array(StockReportLineSchema).min(1).max(MAX_REPORT_LINES),
  })
  .superRefine((report, ctx) => {
    const seen = new Map<string, number>();
    report.lines.forEach((line, index) => {
      const first = seen.get(line.sku);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['lines', index, 'sku'], message: `SKU ${line.sku} is already on line ${first}` });
      else seen.set(line.sku, index);
    });
  });
export type NewStockReport = z.output<typeof NewStockReportSchema>;

export const SellOutLineSchema = z.strictObject({
  sku: SkuSchema,
  quantity: quantity.min(1).describe('units sold; returns are reported as their own correction batches later'),
  soldOn: BusinessDateSchema,
  customerRef: z.string().trim().min(1).max(64).optional().describe('the dealer’s own customer or receipt reference'),
});

export const NewSellOutBatchSchema = z.strictObject({
  locationCode: LocationCodeSchema,
  lines: z.array(SellOutLineSchema).min(1).max(MAX_SELL_OUT_LINES),
});
export type NewSellOutBatch = z.output<typeof NewSellOutBatchSchema>;

/** One accepted stock report: immutable; its lines became the location's current levels. */
export interface StockReport {
  id: string;
  dealerId: string;
  locationCode: string;
  region: string;
  asOf: string;
  lines: { sku: string; quantity: number }[];
  lineCount: number;
  totalQuantity: number;
  /** Fingerprint of (location, date, lines): re-sending the same report is a replay. */
  contentHash: string;
  reportedAt: string;
  reportedBy: string;
}

/** The current channel stock of one SKU at one dealer location. */
export interface ChannelStockLevel {
  locationCode: string;
  dealerId: string;
  region: string;
  sku: string;
  quantity: number;
  asOf: string;
  reportId: string;
  reportedAt: string;
}

export interface SellOutLine {
  sku: string;
  quantity: number;
  soldOn: string;
  customerRef?: string;
}

export interface SellOutBatch {
  id: string;
  dealerId: string;
  locationCode: string;
  region: string;
  lines: SellOutLine[];
  lineCount: number;
  totalQuantity: number;
  firstSoldOn: string;
  lastSoldOn: string;
  contentHash: string;
  reportedAt: string;
  reportedBy: string;
}

/** One sale as stored for aggregation (a projection of its batch). */
export interface SellOutRecord extends SellOutLine {
  batchId: string;
  lineNo: number;
  dealerId: string;
  locationCode: string;
  region: string;
}

export interface SellOutTotal {
  sku: string;
  quantity: number;
  lineCount: number;
}

/**
 * Does a report (date, id) supersede the level currently stored? A later business date wins;
 * for the same date the later report (ULIDs sort by time) wins. An equal id is the same report
 * applied again, which is harmless: that is what makes applying a report safe to retry.
 */
export function supersedes(incoming: { asOf: string; reportId: string }, current: { asOf: string; reportId: string } | undefined): boolean {
  if (!current) return true;
  if (incoming.asOf !== current.asOf) return incoming.asOf > current.asOf;
  return incoming.reportId >= current.reportId;
}

export function contentHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url').slice(0, 32);
}

/** Dates a dealer may report for: not in the future, not older than MAX_BACKDATE_DAYS. */
export function dateProblem(date: string, today: string): string | undefined {
  if (date > today) return `${date} is in the future (today is ${today})`;
  if (daysBetween(date, today) > MAX_BACKDATE_DAYS) return `${date} is more than ${MAX_BACKDATE_DAYS} days ago`;
  return undefined;
}

/** Sums sales per SKU, in SKU order. */
export function totalsBySku(records: Pick<SellOutRecord, 'sku' | 'quantity'>[]): SellOutTotal[] {
  const totals = new Map<string, SellOutTotal>();
  for (const record of records) {
    const total = totals.get(record.sku) ?? { sku: record.sku, quantity: 0, lineCount: 0 };
    total.quantity += record.quantity;
    total.lineCount += 1;
    totals.set(record.sku, total);
  }
  return [...totals.values()].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
}
