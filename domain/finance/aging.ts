import { daysBetween } from '../shared/business-date';

/**
 * Receivables aging (账龄分析), pure. Days past due = asOf − dueDate in calendar days:
 * - `current`: ≤ 0 (not yet due; due today counts as current),
 * - `d1_30`: 1–30, `d31_60`: 31–60, `d61_90`: 61–90, `d90_plus`: 91 and more.
 * Amounts are the open amounts (分) of open and partially paid receivables.
 */
export const AGING_BUCKETS = ['current', 'd1_30', 'd31_60', 'd61_90', 'd90_plus'] as const;
export type AgingBucket = (typeof AGING_BUCKETS)[number];

export type AgingAmounts = Record<AgingBucket, number> & { total: number };

export interface AgingRow extends AgingAmounts {
  dealerId: string;
  /** Open receivables counted. */
  count: number;
}

export interface AgingReport {
  asOf: string;
  currency: string;
  dealers: AgingRow[];
  total: AgingAmounts & { count: number };
}

export function bucketOf(dueDate: string, asOf: string): AgingBucket {
  const days = daysBetween(dueDate, asOf);
  if (days <= 0) return 'current';
  if (days <= 30) return 'd1_30';
  if (days <= 60) return 'd31_60';
  if (days <= 90) return 'd61_90';
  return 'd90_plus';
}

const zero = (): AgingAmounts => ({ current: 0, d1_30: 0, d31_60: 0, d61_90: 0, d90_plus: 0, total: 0 });

/** Per dealer (sorted by dealer id) and in total; receivables with nothing open are ignored. */
export function ageReceivables(receivables: Iterable<{ dealerId: string; dueDate: string; open: number }>, asOf: string, currency: string): AgingReport {
  const rows = new Map<string, AgingRow>();
  const total = { ...zero(), count: 0 };
  for (const r of receivables) {
    if (r.open <= 0) continue;
    const bucket = bucketOf(r.dueDate, asOf);
    let row = rows.get(r.dealerId);
    if (!row) rows.set(r.dealerId, (row = { dealerId: r.dealerId, ...zero(), count: 0 }));
    row[bucket] += r.open;
    row.total += r.open;
    row.count += 1;
    total[bucket] += r.open;
    total.total += r.open;
    total.count += 1;
  }
  return { asOf, currency, dealers: [...rows.values()].sort((a, b) => a.dealerId.localeCompare(b.dealerId)), total };
}
