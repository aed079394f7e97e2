import { canSee } from '../../../domain/access/object-scope';
import type { Principal } from '../../../domain/access/principal';
import {
  balancesReport,
  checkPeriod,
  collectionsReport,
  dsoReport,
  dsoWindowStart,
  openArReport,
  revenueReport,
  type AccountBalanceRow,
  type BalancesReport,
  type CollectionsReport,
  type DsoReport,
  type InvoiceRow,
  type OpenReceivableRow,
  type ArReport,
  type PeriodQuery,
  type RevenueReport,
} from '../../../domain/finance/reports';
import { addDays } from '../../../domain/shared/business-date';
import { DEFAULT_CURRENCY } from '../../../domain/shared/money';
import { listPaymentsByValueDate } from './payment-store';
import { dms } from './service';

/**
 * The rows behind the financial reports, read by key only (never a Scan), all pages:
 * - invoices by issue date: issuedDocument gsi2 (kind = invoice) or gsi1 (one dealer), with a
 *   projection of the top-level totals (entities/orders/order.ts copies them out of the document);
 * - payments by value date: payment-store.ts `listPaymentsByValueDate` (value-month index);
 * - open receivables: receivable gsi3 (openState = open, all dealers) or gsi2 (one dealer);
 * - account balances: every dealer from the dealers' name index (gsi1, keys only), then their
 *   credit items (which hold the balances) by BatchGet.
 * Rows of dealers the principal may not see (region- or dealer-scoped custom roles) are dropped,
 * deciding by the dealer's current region.
 */

/** Dealers' regions for object-level filtering; only read when the principal is not 'all'-scoped. */
async function visibleDealers(principal: Principal, dealerIds: Iterable<string>): Promise<(dealerId: string) => boolean> {
  if (principal.scope === 'all') return () => true;
  const ids = [...new Set(dealerIds)];
  const regions = new Map<string, string>();
  if (ids.length > 0) {
    const result = await dms().entities.dealer.get(ids.map((id) => ({ id }))).go({ attributes: ['id', 'region'] });
    for (const d of result.data) regions.set(d.id, d.region);
  }
  return (dealerId) => regions.has(dealerId) && canSee(principal, { dealerId, region: regions.get(dealerId)! });
}

/** Invoices with an issue date in [from, to]. */
async function invoiceRows(from: string, to: string, dealerId?: string): Promise<InvoiceRow[]> {
  const entity = dms().entities.issuedDocument;
  const base = dealerId ? entity.query.byDealer({ dealerId, kind: 'invoice' }) : entity.query.byKind({ kind: 'invoice' });
  // Sort keys extend the date: "on or before D" is below D + 1 day.
  const result = await base
    .between({ issueDate: from }, { issueDate: addDays(to, 1) })
    .go({ pages: 'all', attributes: ['number', 'dealerId', 'issueDate', 'status', 'currency', 'net', 'vat', 'gross'] });
  const rows: InvoiceRow[] = [];
  const legacy: string[] = [];
  for (const item of result.data) {
    if (item.gross === undefined) legacy.push(item.number);
    else rows.push({ number: item.number, dealerId: item.dealerId, issueDate: item.issueDate, status: item.status, currency: item.currency ?? DEFAULT_CURRENCY, net: item.net ?? 0, vat: item.vat ?? 0, gross: item.gross });
  }
  // Items written before the totals were copied out: read their documents.
  if (legacy.length > 0) {
    const full = await entity.get(legacy.map((number) => ({ number }))).go();
    for (const item of full.data) {
      const doc = item.document as { currency: string; totals: { net: number; vat: number; gross: number } };
      rows.push({ number: item.number, dealerId: item.dealerId, issueDate: item.issueDate, status: item.status, currency: doc.currency, ...doc.totals });
    }
  }
  return rows;
}

async function openReceivableRows(dealerId?: string): Promise<OpenReceivableRow[]> {
  const entity = dms().entities.receivable;
  const query = dealerId ? entity.query.byDealerDue({ dealerId, openState: 'open' }) : entity.query.byDueDate({ openState: 'open' });
  const result = await query.go({ pages: 'all', attributes: ['dealerId', 'issueDate', 'dueDate', 'currency', 'open'] });
  return result.data as OpenReceivableRow[];
}

export async function revenue(principal: Principal, query: PeriodQuery): Promise<RevenueReport> {
  checkPeriod(query.from, query.to);
  const rows = await invoiceRows(query.from, query.to, query.dealerId);
  const visible = await visibleDealers(principal, rows.map((r) => r.dealerId));
  return revenueReport(rows.filter((r) => visible(r.dealerId)), query);
}

export async function collections(principal: Principal, query: PeriodQuery): Promise<CollectionsReport> {
  checkPeriod(query.from, query.to);
  const payments = (await listPaymentsByValueDate(query.from, query.to)).filter((p) => !query.dealerId || p.dealerId === query.dealerId);
  const visible = principal.scope === 'all' ? () => true : (p: { dealerId: string; region: string }) => canSee(principal, p);
  return collectionsReport(
    payments.filter(visible).map((p) => ({ dealerId: p.dealerId, currency: p.currency, amount: p.amount, allocated: p.allocated, toPrepayment: p.toPrepayment, valueDate: p.valueDate, status: p.status })),
    query,
  );
}

export async function dso(principal: Principal, query: { asOf: string; dealerId?: string }): Promise<DsoReport> {
  const [receivables, invoices] = await Promise.all([openReceivableRows(query.dealerId), invoiceRows(dsoWindowStart(query.asOf), query.asOf, query.dealerId)]);
  const visible = await visibleDealers(principal, [...receivables.map((r) => r.dealerId), ...invoices.map((i) => i.dealerId)]);
  return dsoReport(
    receivables.filter((r) => visible(r.dealerId)),
    invoices.filter((i) => visible(i.dealerId)),
    query.asOf,
  );
}

export async function openAr(principal: Principal, query: { asOf: string; dealerId?: string }): Promise<ArReport> {
  const receivables = await openReceivableRows(query.dealerId);
  const visible = await visibleDealers(principal, receivables.map((r) => r.dealerId));
  return openArReport(receivables.filter((r) => visible(r.dealerId)), query.asOf);
}

/** Every dealer's id and region, from the name index (keys only), all pages. */
async function allDealers(): Promise<{ id: string; region: string }[]> {
  const result = await dms().entities.dealer.query.byName({}).go({ pages: 'all', attributes: ['id', 'region'] });
  return result.data as { id: string; region: string }[];
}

export async function balances(principal: Principal, query: { dealerId?: string }): Promise<BalancesReport> {
  let dealers: { id: string; region: string }[];
  if (query.dealerId) {
    const one = (await dms().entities.dealer.get({ id: query.dealerId }).go({ attributes: ['id', 'region'] })).data;
    dealers = one ? [one as { id: string; region: string }] : [];
  } else {
    dealers = await allDealers();
  }
  const visible = dealers.filter((d) => canSee(principal, { dealerId: d.id, region: d.region }));
  const rows: AccountBalanceRow[] = [];
  if (visible.length > 0) {
    // ElectroDB splits the BatchGet into requests of 100 keys and retries unprocessed ones.
    const result = await dms()
      .entities.dealerCredit.get(visible.map((d) => ({ dealerId: d.id })))
      .go({ attributes: ['dealerId', 'currency', 'prepaymentBalance', 'depositBalance', 'rebateBalance'] as never });
    for (const item of result.data as Record<string, unknown>[]) {
      rows.push({
        dealerId: String(item.dealerId),
        currency: (item.currency as string | undefined) ?? DEFAULT_CURRENCY,
        prepayment: (item.prepaymentBalance as number | undefined) ?? 0,
        deposit: (item.depositBalance as number | undefined) ?? 0,
        rebate: (item.rebateBalance as number | undefined) ?? 0,
      });
    }
  }
  return balancesReport(rows);
}
