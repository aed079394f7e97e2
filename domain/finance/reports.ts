import * as z from 'zod';
import { addDays, BusinessDateSchema, daysBetween } from '../shared/business-date';
import { ValidationError } from '../shared/errors';

/**
 * Financial reports (财务报表) over the operational records, computed by pure functions from
 * rows the adapter (functions/adapters/dynamo/finance-reports-store.ts) reads by key:
 *
 * - collections (回款): recorded payments by value date, per period; reversed payments do not
 *   count (their money went back);
 * - revenue (营业收入): invoices by issue date, per period and dealer — net, VAT, gross. A voided
 *   invoice does not count in the period it was issued in (it is shown apart as `voided`), so a
 *   period's revenue is what stands invoiced today;
 * - DSO (应收账款周转天数) per dealer as of a date: open receivables of invoices issued on or
 *   before the date ÷ gross revenue of the 90 days ending on it × 90. Open amounts are as they
 *   stand now (no history is replayed): as of today it is exact, for a past date it shows the
 *   debt of that date's invoices still open today;
 * - open AR (未收应收) per dealer and in total, overdue part as of a date;
 * - prepayment (预收款) balances (and the deposit and rebate accounts) per dealer and in total.
 *
 * All amounts are integer 分; one currency (the enterprise's) is assumed, and rows in another
 * currency are reported under their own currency key rather than summed with it.
 */

export const REPORT_GROUPINGS = ['day', 'month'] as const;
export type ReportGrouping = (typeof REPORT_GROUPINGS)[number];

/** Longest period one report request may cover. */
export const MAX_REPORT_DAYS = 366;

/** Days of revenue the DSO formula looks back on (the as-of date included). */
export const DSO_WINDOW_DAYS = 90;

export const PeriodQuerySchema = z.strictObject({
  from: BusinessDateSchema.describe('first business date (YYYY-MM-DD) of the period, inclusive'),
  to: BusinessDateSchema.describe('last business date, inclusive'),
  groupBy: z.enum(REPORT_GROUPINGS).default('month'),
  dealerId: z.string().min(1).max(64).optional(),
});
export type PeriodQuery = z.output<typeof PeriodQuerySchema>;

export function checkPeriod(from: string, to: string): void {
  if (from > to) throw new ValidationError('`from` is after `to`.', [{ path: 'query/from', message: 'on or before `to`' }]);
  if (daysBetween(from, to) + 1 > MAX_REPORT_DAYS) {
    throw new ValidationError(`A report covers at most ${MAX_REPORT_DAYS} days.`, [{ path: 'query/to', message: `at most ${MAX_REPORT_DAYS} days after from` }]);
  }
}

export function periodOf(date: string, groupBy: ReportGrouping): string {
  return groupBy === 'day' ? date : date.slice(0, 7);
}

// ── collections ──────────────────────────────────────────────────────────────

export interface PaymentRow {
  dealerId: string;
  currency: string;
  amount: number;
  allocated: number;
  toPrepayment: number;
  valueDate: string;
  status: 'recorded' | 'reversed';
}

export interface CollectionsLine {
  period: string;
  currency: string;
  count: number;
  amount: number;
  allocated: number;
  toPrepayment: number;
}

export interface CollectionsReport {
  from: string;
  to: string;
  groupBy: ReportGrouping;
  periods: CollectionsLine[];
  totals: Omit<CollectionsLine, 'period'>[];
  /** Reversed payments with a value date in the period (not in the figures above). */
  reversed: { count: number; amount: number };
}

export function collectionsReport(payments: readonly PaymentRow[], query: { from: string; to: string; groupBy: ReportGrouping }): CollectionsReport {
  const lines = new Map<string, CollectionsLine>();
  const totals = new Map<string, Omit<CollectionsLine, 'period'>>();
  const reversed = { count: 0, amount: 0 };
  for (const p of payments) {
    if (p.valueDate < query.from || p.valueDate > query.to) continue;
    if (p.status === 'reversed') {
      reversed.count += 1;
      reversed.amount += p.amount;
      continue;
    }
    const period = periodOf(p.valueDate, query.groupBy);
    const key = `${period}|${p.currency}`;
    const line = lines.get(key) ?? { period, currency: p.currency, count: 0, amount: 0, allocated: 0, toPrepayment: 0 };
    const total = totals.get(p.currency) ?? { currency: p.currency, count: 0, amount: 0, allocated: 0, toPrepayment: 0 };
    for (const target of [line, total]) {
      target.count += 1;
      target.amount += p.amount;
      target.allocated += p.allocated;
      target.toPrepayment += p.toPrepayment;
    }
    lines.set(key, line);
    totals.set(p.currency, total);
  }
  return {
    from: query.from,
    to: query.to,
    groupBy: query.groupBy,
    periods: [...lines.values()].sort((a, b) => (a.period === b.period ? a.currency.localeCompare(b.currency) : a.period < b.period ? -1 : 1)),
    totals: [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
    reversed,
  };
}

// ── revenue ──────────────────────────────────────────────────────────────────

export interface InvoiceRow {
  number: string;
  dealerId: string;
  issueDate: string;
  status: 'issued' | 'void';
  currency: string;
  net: number;
  vat: number;
  gross: number;
}

export interface Amounts {
  count: number;
  net: number;
  vat: number;
  gross: number;
}

const zero = (): Amounts => ({ count: 0, net: 0, vat: 0, gross: 0 });

function add(target: Amounts, row: Pick<InvoiceRow, 'net' | 'vat' | 'gross'>): void {
  target.count += 1;
  target.net += row.net;
  target.vat += row.vat;
  target.gross += row.gross;
}

export interface RevenueDealerLine extends Amounts {
  dealerId: string;
}

export interface RevenuePeriod extends Amounts {
  period: string;
  currency: string;
  dealers: RevenueDealerLine[];
}

export interface RevenueReport {
  from: string;
  to: string;
  groupBy: ReportGrouping;
  periods: RevenuePeriod[];
  totals: (Amounts & { currency: string })[];
  /** Invoices of the period voided since (not in the figures above). */
  voided: Amounts;
}

export function revenueReport(invoices: readonly InvoiceRow[], query: { from: string; to: string; groupBy: ReportGrouping }): RevenueReport {
  const periods = new Map<string, RevenuePeriod & { byDealer: Map<string, RevenueDealerLine> }>();
  const totals = new Map<string, Amounts & { currency: string }>();
  const voided = zero();
  for (const invoice of invoices) {
    if (invoice.issueDate < query.from || invoice.issueDate > query.to) continue;
    if (invoice.status === 'void') {
      add(voided, invoice);
      continue;
    }
    const period = periodOf(invoice.issueDate, query.groupBy);
    const key = `${period}|${invoice.currency}`;
    let line = periods.get(key);
    if (!line) periods.set(key, (line = { period, currency: invoice.currency, ...zero(), dealers: [], byDealer: new Map() }));
    add(line, invoice);
    const dealer = line.byDealer.get(invoice.dealerId) ?? { dealerId: invoice.dealerId, ...zero() };
    add(dealer, invoice);
    line.byDealer.set(invoice.dealerId, dealer);
    const total = totals.get(invoice.currency) ?? { currency: invoice.currency, ...zero() };
    add(total, invoice);
    totals.set(invoice.currency, total);
  }
  return {
    from: query.from,
    to: query.to,
    groupBy: query.groupBy,
    periods: [...periods.values()]
      .sort((a, b) => (a.period === b.period ? a.currency.localeCompare(b.currency) : a.period < b.period ? -1 : 1))
      .map(({ byDealer, ...line }) => ({ ...line, dealers: [...byDealer.values()].sort((a, b) => b.gross - a.gross || a.dealerId.localeCompare(b.dealerId)) })),
    totals: [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
    voided,
  };
}

// ── open receivables and DSO ─────────────────────────────────────────────────

export interface OpenReceivableRow {
  dealerId: string;
  issueDate: string;
  dueDate: string;
  currency: string;
  open: number;
}

export interface ArDealerLine {
  dealerId: string;
  currency: string;
  count: number;
  open: number;
  /** Part of `open` past its due date on the as-of date (dueDate < asOf). */
  overdue: number;
}

export interface ArReport {
  asOf: string;
  dealers: ArDealerLine[];
  totals: Omit<ArDealerLine, 'dealerId'>[];
}

/** Open receivables of invoices issued on or before `asOf`, by dealer (largest first) and in total. */
export function openArReport(receivables: readonly OpenReceivableRow[], asOf: string): ArReport {
  const dealers = new Map<string, ArDealerLine>();
  const totals = new Map<string, Omit<ArDealerLine, 'dealerId'>>();
  for (const r of receivables) {
    if (r.issueDate > asOf || r.open === 0) continue;
    const overdue = r.dueDate < asOf ? r.open : 0;
    const key = `${r.dealerId}|${r.currency}`;
    const line = dealers.get(key) ?? { dealerId: r.dealerId, currency: r.currency, count: 0, open: 0, overdue: 0 };
    const total = totals.get(r.currency) ?? { currency: r.currency, count: 0, open: 0, overdue: 0 };
    for (const target of [line, total]) {
      target.count += 1;
      target.open += r.open;
      target.overdue += overdue;
    }
    dealers.set(key, line);
    totals.set(r.currency, total);
  }
  return {
    asOf,
    dealers: [...dealers.values()].sort((a, b) => b.open - a.open || a.dealerId.localeCompare(b.dealerId)),
    totals: [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
  };
}

export interface DsoLine {
  dealerId: string;
  currency: string;
  openReceivables: number;
  /** Gross of the (not voided) invoices issued in the window. */
  revenue: number;
  /** openReceivables ÷ revenue × 90, one decimal; null when the window has no revenue. */
  dso: number | null;
}

export interface DsoReport {
  asOf: string;
  windowFrom: string;
  windowDays: number;
  dealers: DsoLine[];
  totals: DsoLine[];
}

/** The first business date of the DSO window ending on `asOf` (both included: 90 days). */
export function dsoWindowStart(asOf: string): string {
  return addDays(asOf, -(DSO_WINDOW_DAYS - 1));
}

export function dsoDays(open: number, revenue: number): number | null {
  if (revenue <= 0) return null;
  // One decimal, half-up, without floating drift on exact halves: integers all the way.
  const tenths = Math.floor((open * DSO_WINDOW_DAYS * 10 * 2 + revenue) / (revenue * 2));
  return tenths / 10;
}

export function dsoReport(receivables: readonly OpenReceivableRow[], invoices: readonly InvoiceRow[], asOf: string): DsoReport {
  const windowFrom = dsoWindowStart(asOf);
  const lines = new Map<string, { dealerId: string; currency: string; openReceivables: number; revenue: number }>();
  const line = (dealerId: string, currency: string) => {
    const key = `${dealerId}|${currency}`;
    let found = lines.get(key);
    if (!found) lines.set(key, (found = { dealerId, currency, openReceivables: 0, revenue: 0 }));
    return found;
  };
  for (const r of receivables) if (r.issueDate <= asOf && r.open !== 0) line(r.dealerId, r.currency).openReceivables += r.open;
  for (const i of invoices) if (i.status === 'issued' && i.issueDate >= windowFrom && i.issueDate <= asOf) line(i.dealerId, i.currency).revenue += i.gross;
  const totals = new Map<string, { openReceivables: number; revenue: number }>();
  for (const l of lines.values()) {
    const t = totals.get(l.currency) ?? { openReceivables: 0, revenue: 0 };
    t.openReceivables += l.openReceivables;
    t.revenue += l.revenue;
    totals.set(l.currency, t);
  }
  const withDso = (l: { openReceivables: number; revenue: number }) => dsoDays(l.openReceivables, l.revenue);
  return {
    asOf,
    windowFrom,
    windowDays: DSO_WINDOW_DAYS,
    dealers: [...lines.values()]
      .map((l) => ({ ...l, dso: withDso(l) }))
      // Highest DSO first; dealers with debt and no revenue in the window (null) lead.
      .sort((a, b) => (b.dso ?? Infinity) - (a.dso ?? Infinity) || b.openReceivables - a.openReceivables || a.dealerId.localeCompare(b.dealerId)),
    totals: [...totals.entries()].map(([currency, t]) => ({ dealerId: '*', currency, ...t, dso: withDso(t) })).sort((a, b) => a.currency.localeCompare(b.currency)),
  };
}

// ── prepayment and other account balances ────────────────────────────────────

export interface AccountBalanceRow {
  dealerId: string;
  currency: string;
  prepayment: number;
  deposit: number;
  rebate: number;
}

export interface BalancesReport {
  /** Dealers with any non-zero balance, largest prepayment first. */
  dealers: AccountBalanceRow[];
  totals: Omit<AccountBalanceRow, 'dealerId'>[];
}

export function balancesReport(rows: readonly AccountBalanceRow[]): BalancesReport {
  const totals = new Map<string, Omit<AccountBalanceRow, 'dealerId'>>();
  const dealers = rows.filter((r) => r.prepayment !== 0 || r.deposit !== 0 || r.rebate !== 0);
  for (const r of dealers) {
    const t = totals.get(r.currency) ?? { currency: r.currency, prepayment: 0, deposit: 0, rebate: 0 };
    t.prepayment += r.prepayment;
    t.deposit += r.deposit;
    t.rebate += r.rebate;
    totals.set(r.currency, t);
  }
  return {
    dealers: [...dealers].sort((a, b) => b.prepayment - a.prepayment || a.dealerId.localeCompare(b.dealerId)),
    totals: [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
  };
}
