import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dealer } from '../../domain/dealers/dealer';
import { putInvoice } from '../support/fixtures/finance-invoices';
import { putActiveDealer, setCredit } from '../support/orders-world';
import { idempotencyKey, startTestTwin, type ApiResponse, type TestTwin } from '../support/twin';

/**
 * Financial reports over fixture data with known answers. Invoices in 2019 (a year no other
 * test writes), assertions per dealer (the table is shared with other test files).
 */

let twin: TestTwin;
let finance: string;
let dealer: Dealer;
let numbers: string[] = [];

const call = (method: string, path: string, token: string, body?: unknown): Promise<ApiResponse> =>
  twin.request(method, path, { token, ...(body !== undefined ? { body } : {}), headers: method === 'POST' ? { 'idempotency-key': idempotencyKey() } : {} });

async function ok(path: string): Promise<any> {
  const response = await call('GET', path, finance);
  expect(response.status, response.text).toBe(200);
  return response.body;
}

beforeAll(async () => {
  twin = await startTestTwin();
  finance = await twin.token('finance', { userId: 'fin-reports' });
  dealer = await putActiveDealer('CN-EAST');
  await setCredit(dealer, { creditLimit: 100_000_000 });
  // gross: 113,000 / 226,000 / 56,500 / 11,300 (voided below); 30 days to pay.
  const jan10 = await putInvoice({ dealerId: dealer.id, issueDate: '2019-01-10', net: 100_000 });
  const jan20 = await putInvoice({ dealerId: dealer.id, issueDate: '2019-01-20', net: 200_000 });
  const feb05 = await putInvoice({ dealerId: dealer.id, issueDate: '2019-02-05', net: 50_000 });
  const feb06 = await putInvoice({ dealerId: dealer.id, issueDate: '2019-02-06', net: 10_000 });
  numbers = [jan10.number, jan20.number, feb05.number, feb06.number];
  expect((await call('POST', `/invoices/${feb06.number}/void`, finance, { reason: '开错 wrong' })).status).toBe(200);
  // Oldest due first: 113,000 pays INV jan10 in full; 50,000 goes to INV jan20.
  const pay = (amount: number, valueDate: string) =>
    call('POST', '/payments', finance, { dealerId: dealer.id, amount, valueDate, method: 'bank_transfer', bankReference: `RPT-${dealer.id}-${valueDate}-${amount}` });
  for (const [amount, date] of [
    [113_000, '2019-03-01'],
    [50_000, '2019-03-15'],
    [7_000, '2019-04-02'],
  ] as const) {
    const response = await pay(amount, date);
    expect(response.status, response.text).toBe(201);
    if (amount === 7_000) {
      const reversed = await call('POST', `/payments/${response.body.id}/reversal`, finance, { reason: '退回 bounced' });
      expect(reversed.status, reversed.text).toBe(200);
    }
  }
}, 120_000);

afterAll(async () => {
  await twin?.close();
});

describe('financial reports', () => {
  it('revenue by month and dealer, voided invoices apart', async () => {
    const report = await ok(`/reports/finance/revenue?from=2019-01-01&to=2019-02-28&dealerId=${dealer.id}`);
    expect(report.periods).toEqual([
      { period: '2019-01', currency: 'CNY', count: 2, net: 300_000, vat: 39_000, gross: 339_000, dealers: [{ dealerId: dealer.id, count: 2, net: 300_000, vat: 39_000, gross: 339_000 }] },
      { period: '2019-02', currency: 'CNY', count: 1, net: 50_000, vat: 6_500, gross: 56_500, dealers: [{ dealerId: dealer.id, count: 1, net: 50_000, vat: 6_500, gross: 56_500 }] },
    ]);
    expect(report.totals).toEqual([{ currency: 'CNY', count: 3, net: 350_000, vat: 45_500, gross: 395_500 }]);
    expect(report.voided).toEqual({ count: 1, net: 10_000, vat: 1_300, gross: 11_300 });

    const byDay = await ok(`/reports/finance/revenue?from=2019-01-20&to=2019-01-20&groupBy=day`);
    const day = byDay.periods.find((p: { period: string }) => p.period === '2019-01-20');
    expect(day.dealers.find((d: { dealerId: string }) => d.dealerId === dealer.id)).toEqual({ dealerId: dealer.id, count: 1, net: 200_000, vat: 26_000, gross: 226_000 });
  });

  it('collections by value date; the reversed payment is apart', async () => {
    const report = await ok(`/reports/finance/collections?from=2019-03-01&to=2019-04-30&dealerId=${dealer.id}`);
    expect(report.periods).toEqual([{ period: '2019-03', currency: 'CNY', count: 2, amount: 163_000, allocated: 163_000, toPrepayment: 0 }]);
    expect(report.reversed).toEqual({ count: 1, amount: 7_000 });
    const daily = await ok(`/reports/finance/collections?from=2019-03-15&to=2019-03-15&groupBy=day&dealerId=${dealer.id}`);
    expect(daily.periods).toEqual([{ period: '2019-03-15', currency: 'CNY', count: 1, amount: 50_000, allocated: 50_000, toPrepayment: 0 }]);
  });

  it('open receivables with the overdue part, and DSO over the last 90 days', async () => {
    // Open: jan20 226,000 − 50,000 = 176,000 (due 2019-02-19) and feb05 56,500 (due 2019-03-07).
    const ar = await ok(`/reports/finance/open-receivables?asOf=2019-03-01&dealerId=${dealer.id}`);
    expect(ar.dealers).toEqual([{ dealerId: dealer.id, currency: 'CNY', count: 2, open: 232_500, overdue: 176_000 }]);
    const later = await ok(`/reports/finance/open-receivables?asOf=2019-03-31&dealerId=${dealer.id}`);
    expect(later.dealers[0]).toMatchObject({ open: 232_500, overdue: 232_500 });
    const all = await ok('/reports/finance/open-receivables?asOf=2019-03-31');
    expect(all.dealers.find((d: { dealerId: string }) => d.dealerId === dealer.id)).toMatchObject({ open: 232_500 });

    // Window 2019-01-01 … 2019-03-31: revenue 395,500 → 232,500 / 395,500 × 90 = 52.907 → 52.9.
    const dso = await ok(`/reports/finance/dso?asOf=2019-03-31&dealerId=${dealer.id}`);
    expect(dso).toMatchObject({ asOf: '2019-03-31', windowFrom: '2019-01-01', windowDays: 90 });
    expect(dso.dealers).toEqual([{ dealerId: dealer.id, currency: 'CNY', openReceivables: 232_500, revenue: 395_500, dso: 52.9 }]);
    // As of 2019-01-15 only jan10 is issued, and it is paid: 0 open over 113,000.
    const early = await ok(`/reports/finance/dso?asOf=2019-01-15&dealerId=${dealer.id}`);
    expect(early.dealers).toEqual([{ dealerId: dealer.id, currency: 'CNY', openReceivables: 0, revenue: 113_000, dso: 0 }]);
  });

  it('prepayment balances per dealer and in total', async () => {
    const holder = await putActiveDealer('CN-SOUTH');
    await setCredit(holder, { creditLimit: 0, prepaymentBalance: 77_700 });
    const one = await ok(`/reports/finance/account-balances?dealerId=${holder.id}`);
    expect(one).toEqual({ dealers: [{ dealerId: holder.id, currency: 'CNY', prepayment: 77_700, deposit: 0, rebate: 0 }], totals: [{ currency: 'CNY', prepayment: 77_700, deposit: 0, rebate: 0 }] });
    const all = await ok('/reports/finance/account-balances');
    expect(all.dealers).toContainEqual({ dealerId: holder.id, currency: 'CNY', prepayment: 77_700, deposit: 0, rebate: 0 });
    const cny = all.totals.find((t: { currency: string }) => t.currency === 'CNY');
    expect(cny.prepayment).toBe(all.dealers.filter((d: { currency: string }) => d.currency === 'CNY').reduce((s: number, d: { prepayment: number }) => s + d.prepayment, 0));
  });

  it('400 for bad ranges, 403 without finance_reports:read', async () => {
    expect((await call('GET', '/reports/finance/revenue?from=2019-03-01&to=2019-02-01', finance)).status).toBe(400);
    expect((await call('GET', '/reports/finance/collections?from=2018-01-01&to=2019-06-01', finance)).status).toBe(400);
    expect((await call('GET', '/reports/finance/revenue?from=2019-01-01', finance)).status).toBe(400);
    expect((await call('GET', '/reports/finance/dso?asOf=2019-02-30', finance)).status).toBe(400);
    expect((await call('GET', '/reports/finance/revenue?from=2019-01-01&to=2019-01-02&extra=1', finance)).status).toBe(400);
    const manager = await twin.token('sales_manager', { regions: ['CN-EAST'] });
    expect((await call('GET', '/reports/finance/open-receivables', manager)).status).toBe(403);
    const dealerAdmin = await twin.token('dealer_admin', { dealerId: dealer.id });
    expect((await call('GET', '/reports/finance/revenue?from=2019-01-01&to=2019-01-02', dealerAdmin)).status).toBe(403);
    expect(numbers).toHaveLength(4);
  });
});
