import type { Principal } from '../access/principal';
import { BusinessDateSchema, addDays, businessDate, daysBetween } from '../shared/business-date';
import { ForbiddenError, ValidationError, type FieldError } from '../shared/errors';
import { DEFAULT_CURRENCY } from '../shared/money';
import type { Order } from './order';

/**
 * Sales statistics (销售统计): totals by period, dealer, region, product and channel, kept as
 * counters that move when an order is booked (approved) or reversed (an approved order is
 * cancelled), so a statistics request reads a few key ranges instead of the orders. Counters
 * are derived data, not a business object: they carry no audit record of their own (the order's
 * approval or cancellation that moves them is audited).
 *
 * Counters are per currency, granularity (day, month) and region, so region-scoped staff read
 * exactly their regions by key; the dimensions inside a region are the region total, each
 * dealer, the region itself, each product and each channel.
 */

export const SALES_GRANULARITIES = ['day', 'month'] as const;
export type SalesGranularity = (typeof SALES_GRANULARITIES)[number];

export const SALES_DIMENSIONS = ['total', 'dealer', 'region', 'product', 'channel'] as const;
export type SalesDimension = (typeof SALES_DIMENSIONS)[number];

/** The key of the one row of the `total` dimension. */
export const TOTAL_KEY = 'total';

/** Longest ranges one request may read. */
export const MAX_DAY_RANGE = 366;
export const MAX_MONTH_RANGE = 60;
/** Defaults when `from` is omitted: the last 30 days, or the last 12 months, up to `to`. */
const DEFAULT_DAYS = 30;
const DEFAULT_MONTHS = 12;
/** Bounds the counter items one request reads (e.g. products × days); narrower ranges answer. */
export const MAX_SALES_ROWS = 20_000;

export interface SalesFactsLine {
  sku: string;
  name: string;
  quantity: number;
  /** 分 */
  net: number;
  vat: number;
  gross: number;
}

/** What the order workflow reports when it books or reverses an order's sales. */
export interface SalesFacts {
  orderId: string;
  orderNumber: string;
  /** booked when an order is approved; reversed when an approved order is cancelled. */
  kind: 'booked' | 'reversed';
  /** Business date YYYY-MM-DD (Asia/Shanghai) of the booking — also for the reversal. */
  date: string;
  dealerId: string;
  dealerName: string;
  region: string;
  channel: string;
  currency: string;
  lines: SalesFactsLine[];
}

export interface SalesAmounts {
  orders: number;
  quantity: number;
  net: number;
  vat: number;
  gross: number;
}

/** The address of one counter. */
export interface SalesCounterKey {
  currency: string;
  granularity: SalesGranularity;
  region: string;
  dimension: SalesDimension;
  /** YYYY-MM-DD (day) or YYYY-MM (month). */
  period: string;
  /** `total`, a dealer id, a region code, a SKU or a channel. */
  key: string;
}

/** One counter change: ADD these amounts, and keep `label` as the row's display name. */
export interface SalesIncrement extends SalesCounterKey, SalesAmounts {
  label?: string;
}

/** One row of a statistics answer. */
export interface SalesRow extends SalesAmounts {
  period: string;
  key: string;
  label?: string;
}

const ZERO: SalesAmounts = { orders: 0, quantity: 0, net: 0, vat: 0, gross: 0 };
const AMOUNT_FIELDS = ['quantity', 'net', 'vat', 'gross'] as const;

export function periodOf(date: string, granularity: SalesGranularity): string {
  return granularity === 'day' ? date : date.slice(0, 7);
}

/**
 * The facts of an approved order: booked on its approval date in the enterprise time zone.
 * For the reversal of a cancelled order pass the same order (its approvedAt is unchanged), so
 * the reversal lands on the counters the booking moved.
 */
export function salesFactsOf(
  order: Pick<Order, 'id' | 'number' | 'approvedAt' | 'dealerId' | 'dealerName' | 'region' | 'channel' | 'currency' | 'lines'>,
  kind: SalesFacts['kind'],
  timeZone = 'Asia/Shanghai',
): SalesFacts {
  if (!order.approvedAt || !order.number) throw new Error(`Order ${order.id} has no sales to ${kind === 'booked' ? 'book' : 'reverse'}: it was never approved.`);
  return {
    orderId: order.id,
    orderNumber: order.number,
    kind,
    date: businessDate(new Date(order.approvedAt), timeZone),
    dealerId: order.dealerId,
    dealerName: order.dealerName,
    region: order.region,
    channel: order.channel,
    currency: order.currency,
    lines: order.lines.map((line) => ({ sku: line.sku, name: line.name, quantity: line.quantity, net: line.lineNet, vat: line.vatAmount, gross: line.lineGross })),
  };
}

/** A reversal moves the counters of the booking back: the same facts, kind `reversed`. */
export function reversalOf(booked: SalesFacts): SalesFacts {
  return { ...booked, kind: 'reversed' };
}

function invalidFacts(facts: SalesFacts): FieldError[] {
  const errors: FieldError[] = [];
  if (!isCalendarDate(facts.date)) errors.push({ path: 'date', message: 'a business date YYYY-MM-DD' });
  for (const field of ['orderId', 'dealerId', 'region', 'channel', 'currency'] as const) {
    // '#' would let one key run into the next in the counter's composite key.
    if (!facts[field] || facts[field].includes('#')) errors.push({ path: field, message: 'required, without #' });
  }
  if (facts.lines.length === 0) errors.push({ path: 'lines', message: 'at least one line' });
  facts.lines.forEach((line, index) => {
    if (!line.sku || line.sku.includes('#')) errors.push({ path: `lines/${index}/sku`, message: 'required, without #' });
    for (const field of AMOUNT_FIELDS) {
      if (!Number.isSafeInteger(line[field]) || line[field] < 0) errors.push({ path: `lines/${index}/${field}`, message: 'a non-negative integer (分 for amounts)' });
    }
  });
  return errors;
}

/**
 * The counter increments of one booking or reversal: per granularity, the region total, the
 * dealer, the region, each product and the channel. `orders` counts orders, so a product row
 * counts the orders containing that product (lines of one SKU are merged first). A reversal
 * is the exact negation of its booking. The order is deterministic: retries chunk it alike.
 */
export function salesIncrements(facts: SalesFacts): SalesIncrement[] {
  const errors = invalidFacts(facts);
  if (errors.length) throw new ValidationError(`Sales facts of order ${facts.orderId} are malformed.`, errors, 'invalid_sales_facts');
  const sign = facts.kind === 'reversed' ? -1 : 1;

  const products = new Map<string, { name: string; amounts: SalesAmounts }>();
  for (const line of facts.lines) {
    const product = products.get(line.sku) ?? { name: line.name, amounts: { ...ZERO, orders: 1 } };
    for (const field of AMOUNT_FIELDS) product.amounts[field] += line[field];
    products.set(line.sku, product);
  }
  const order: SalesAmounts = { ...ZERO, orders: 1 };
  for (const { amounts } of products.values()) for (const field of AMOUNT_FIELDS) order[field] += amounts[field];

  const signed = (amounts: SalesAmounts): SalesAmounts => ({
    orders: sign * amounts.orders,
    quantity: sign * amounts.quantity,
    net: sign * amounts.net,
    vat: sign * amounts.vat,
    gross: sign * amounts.gross,
  });

  const increments: SalesIncrement[] = [];
  for (const granularity of SALES_GRANULARITIES) {
    const base = { currency: facts.currency, granularity, region: facts.region, period: periodOf(facts.date, granularity) };
    increments.push(
      { ...base, dimension: 'total', key: TOTAL_KEY, ...signed(order) },
      { ...base, dimension: 'dealer', key: facts.dealerId, label: facts.dealerName, ...signed(order) },
      { ...base, dimension: 'region', key: facts.region, ...signed(order) },
      { ...base, dimension: 'channel', key: facts.channel, ...signed(order) },
    );
    for (const [sku, product] of [...products].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      increments.push({ ...base, dimension: 'product', key: sku, label: product.name, ...signed(product.amounts) });
    }
  }
  return increments;
}

// ── queries ─────────────────────────────────────────────────────────────────

export interface SalesStatisticsRequest {
  groupBy?: SalesDimension;
  granularity?: SalesGranularity;
  from?: string;
  to?: string;
  region?: string;
  dealerId?: string;
  currency?: string;
}

/** A request with its defaults applied and its range checked; from/to are periods. */
export interface SalesStatisticsQuery {
  groupBy: SalesDimension;
  granularity: SalesGranularity;
  from: string;
  to: string;
  region?: string;
  dealerId?: string;
  currency: string;
}

/** What the store answers: one dimension's rows over a period range, summed across `regions`. */
export interface SalesCounterQuery {
  currency: string;
  granularity: SalesGranularity;
  dimension: SalesDimension;
  regions: string[];
  /** Periods, inclusive. */
  from: string;
  to: string;
  /** Only this key (e.g. one dealer). */
  key?: string;
}

export interface SalesStatisticsReader {
  querySales(query: SalesCounterQuery): Promise<SalesRow[]>;
}

export interface SalesStatistics {
  currency: string;
  groupBy: SalesDimension;
  granularity: SalesGranularity;
  from: string;
  to: string;
  rows: SalesRow[];
  totals: SalesAmounts;
}

const MONTH = /^\d{4}-\d{2}$/;

function isCalendarDate(value: string): boolean {
  return BusinessDateSchema.safeParse(value).success;
}

function isMonth(value: string): boolean {
  if (!MONTH.test(value)) return false;
  const month = Number(value.slice(5, 7));
  return month >= 1 && month <= 12;
}

function monthIndex(month: string): number {
  return Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;
}

export function addMonths(month: string, months: number): string {
  const index = monthIndex(month) + months;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** A `from`/`to` parameter as a period of the granularity, or the problem with it. */
function toPeriod(value: string, granularity: SalesGranularity): { period: string } | { problem: string } {
  if (granularity === 'day') return isCalendarDate(value) ? { period: value } : { problem: 'a date YYYY-MM-DD for day granularity' };
  if (isMonth(value)) return { period: value };
  if (isCalendarDate(value)) return { period: value.slice(0, 7) };
  return { problem: 'a month YYYY-MM (or a date YYYY-MM-DD) for month granularity' };
}

/**
 * Applies the defaults (month granularity, group by total, the last 12 months or 30 days up to
 * today) and checks the range: from ≤ to, at most 366 days or 60 months. `today` is the
 * business date of the request.
 */
export function resolveSalesQuery(request: SalesStatisticsRequest, today: string): SalesStatisticsQuery {
  const granularity = request.granularity ?? 'month';
  const groupBy = request.groupBy ?? 'total';
  const errors: FieldError[] = [];
  const parse = (field: 'from' | 'to', value: string | undefined): string | undefined => {
    if (value === undefined) return undefined;
    const result = toPeriod(value, granularity);
    if ('problem' in result) {
      errors.push({ path: `query/${field}`, message: result.problem, code: 'invalid_period' });
      return undefined;
    }
    return result.period;
  };
  const fromParam = parse('from', request.from);
  const toParam = parse('to', request.to);
  if (request.dealerId !== undefined && groupBy !== 'dealer') {
    errors.push({ path: 'query/dealerId', message: 'a dealer filter needs groupBy=dealer', code: 'filter_not_supported' });
  }
  if (errors.length) throw new ValidationError('The statistics query is not valid.', errors);

  const to = toParam ?? periodOf(today, granularity);
  const from = fromParam ?? (granularity === 'day' ? addDays(to, -(DEFAULT_DAYS - 1)) : addMonths(to, -(DEFAULT_MONTHS - 1)));
  if (from > to) {
    throw new ValidationError('`from` is after `to`.', [
      { path: 'query/from', message: 'must not be after to', code: 'range_reversed' },
      { path: 'query/to', message: 'must not be before from', code: 'range_reversed' },
    ]);
  }
  const span = granularity === 'day' ? daysBetween(from, to) + 1 : monthIndex(to) - monthIndex(from) + 1;
  const max = granularity === 'day' ? MAX_DAY_RANGE : MAX_MONTH_RANGE;
  if (span > max) {
    throw new ValidationError(`A ${granularity} range covers at most ${max} ${granularity}s.`, [
      { path: 'query/from', message: `at most ${max} ${granularity}s before to`, code: 'range_too_wide' },
    ], 'range_too_wide');
  }
  return {
    groupBy,
    granularity,
    from,
    to,
    currency: request.currency ?? DEFAULT_CURRENCY,
    ...(request.region !== undefined ? { region: request.region } : {}),
    ...(request.dealerId !== undefined ? { dealerId: request.dealerId } : {}),
  };
}

/**
 * The regions a principal's statistics cover: every region for headquarters staff, the
 * principal's own for region-scoped staff. A region filter narrows that; a filter outside the
 * principal's regions leaves nothing (an empty answer, not an error). Dealer principals do not
 * read statistics across dealers at all.
 */
export async function regionsFor(principal: Principal, filter: string | undefined, allRegions: () => Promise<string[]>): Promise<string[]> {
  switch (principal.scope) {
    case 'dealer':
      throw new ForbiddenError('Sales statistics are for enterprise staff; dealer principals read their own orders instead.');
    case 'region':
      return filter === undefined ? [...new Set(principal.regions)] : principal.regions.includes(filter) ? [filter] : [];
    case 'all':
      return filter === undefined ? allRegions() : [filter];
  }
}

export function addAmounts(into: SalesAmounts, amounts: SalesAmounts): SalesAmounts {
  into.orders += amounts.orders;
  into.quantity += amounts.quantity;
  into.net += amounts.net;
  into.vat += amounts.vat;
  into.gross += amounts.gross;
  return into;
}

export function sumAmounts(rows: SalesAmounts[]): SalesAmounts {
  return rows.reduce<SalesAmounts>((sum, row) => addAmounts(sum, row), { ...ZERO });
}

/**
 * Rows of several regions as one answer: the same period and key summed, rows whose counters
 * are all back to zero (fully reversed) dropped, sorted by period, then gross descending.
 */
export function mergeSalesRows(rows: SalesRow[]): SalesRow[] {
  const merged = new Map<string, SalesRow>();
  for (const row of rows) {
    const id = `${row.period}\u0000${row.key}`;
    const existing = merged.get(id);
    if (existing) {
      addAmounts(existing, row);
      if (existing.label === undefined && row.label !== undefined) existing.label = row.label;
    } else {
      merged.set(id, { ...row });
    }
  }
  return [...merged.values()]
    .filter((row) => row.orders !== 0 || row.quantity !== 0 || row.net !== 0 || row.vat !== 0 || row.gross !== 0)
    .sort((a, b) => (a.period !== b.period ? (a.period < b.period ? -1 : 1) : b.gross - a.gross || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)));
}

/**
 * The statistics use case. Totals come from the `total` counters when grouping by product
 * (an order with three products is one order, not three); for the other groupings every order
 * is in exactly one row, so the rows' sum is the total.
 */
export async function readSalesStatistics(
  principal: Principal,
  request: SalesStatisticsRequest,
  deps: { reader: SalesStatisticsReader; allRegions: () => Promise<string[]>; today: string },
): Promise<SalesStatistics> {
  const query = resolveSalesQuery(request, deps.today);
  const regions = await regionsFor(principal, query.region, deps.allRegions);
  const counterQuery = { currency: query.currency, granularity: query.granularity, regions, from: query.from, to: query.to };
  const rows =
    regions.length === 0
      ? []
      : await deps.reader.querySales({ ...counterQuery, dimension: query.groupBy, ...(query.dealerId !== undefined ? { key: query.dealerId } : {}) });
  const totalRows = query.groupBy === 'product' && regions.length > 0 ? await deps.reader.querySales({ ...counterQuery, dimension: 'total' }) : rows;
  return {
    currency: query.currency,
    groupBy: query.groupBy,
    granularity: query.granularity,
    from: query.from,
    to: query.to,
    rows,
    totals: sumAmounts(totalRows),
  };
}
