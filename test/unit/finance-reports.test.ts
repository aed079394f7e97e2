import { describe, expect, it } from 'vitest';
import {
  balancesReport,
  checkPeriod,
  collectionsReport,
  dsoDays,
  dsoReport,
  dsoWindowStart,
  openArReport,
  revenueReport,
  type InvoiceRow,
  type OpenReceivableRow,
  type PaymentRow,
} from '../../domain/finance/reports';
import { buildCreditNote } from '../../domain/finance/invoices';
import type { Invoice } from '../../domain/invoicing/invoice';

const inv = (number: string, dealerId: string, issueDate: string, net: number, status: 'issued' | 'void' = 'issued'): InvoiceRow => {
  const vat = Math.round(net * 0.13);
  return { number, dealerId, issueDate, status, currency: 'CNY', net, vat, gross: net + vat };
};

describe('revenue', () => {
  const invoices = [
    inv('INV-1', 'D1', '2026-01-31', 100_000),
    inv('INV-2', 'D2', '2026-02-01', 200_000),
    inv('INV-3', 'D1', '2026-02-15', 50_000),
    inv('INV-4', 'D1', '2026-02-20', 30_000, 'void'),
    inv('INV-5', 'D2', '2026-03-01', 70_000),
  ];

  it('sums net, VAT and gross per month and dealer, inside the range only, voided apart', () => {
    const report = revenueReport(invoices, { from: '2026-01-01', to: '2026-02-28', groupBy: 'month' });
    expect(report.periods).toEqual([
      { period: '2026-01', currency: 'CNY', count: 1, net: 100_000, vat: 13_000, gross: 113_000, dealers: [{ dealerId: 'D1', count: 1, net: 100_000, vat: 13_000, gross: 113_000 }] },
      {
        period: '2026-02',
        currency: 'CNY',
        count: 2,
        net: 250_000,
        vat: 32_500,
        gross: 282_500,
        dealers: [
          { dealerId: 'D2', count: 1, net: 200_000, vat: 26_000, gross: 226_000 },
          { dealerId: 'D1', count: 1, net: 50_000, vat: 6_500, gross: 56_500 },
        ],
      },
    ]);
    expect(report.totals).toEqual([{ currency: 'CNY', count: 3, net: 350_000, vat: 45_500, gross: 395_500 }]);
    expect(report.voided).toEqual({ count: 1, net: 30_000, vat: 3_900, gross: 33_900 });
  });

  it('groups by day', () => {
    const report = revenueReport(invoices, { from: '2026-02-01', to: '2026-02-15', groupBy: 'day' });
    expect(report.periods.map((p) => [p.period, p.gross])).toEqual([
      ['2026-02-01', 226_000],
      ['2026-02-15', 56_500],
    ]);
  });
});

describe('collections', () => {
  const payments: PaymentRow[] = [
    { dealerId: 'D1', currency: 'CNY', amount: 100_000, allocated: 80_000, toPrepayment: 20_000, valueDate: '2026-04-01', status: 'recorded' },
    { dealerId: 'D2', currency: 'CNY', amount: 50_000, allocated: 50_000, toPrepayment: 0, valueDate: '2026-04-30', status: 'recorded' },
    { dealerId: 'D2', currency: 'CNY', amount: 9_999, allocated: 9_999, toPrepayment: 0, valueDate: '2026-04-10', status: 'reversed' },
    { dealerId: 'D1', currency: 'CNY', amount: 1_000, allocated: 0, toPrepayment: 1_000, valueDate: '2026-05-01', status: 'recorded' },
  ];
  it('sums recorded payments per month, reversed ones apart', () => {
    const report = collectionsReport(payments, { from: '2026-04-01', to: '2026-05-31', groupBy: 'month' });
    expect(report.periods).toEqual([
      { period: '2026-04', currency: 'CNY', count: 2, amount: 150_000, allocated: 130_000, toPrepayment: 20_000 },
      { period: '2026-05', currency: 'CNY', count: 1, amount: 1_000, allocated: 0, toPrepayment: 1_000 },
    ]);
    expect(report.totals).toEqual([{ currency: 'CNY', count: 3, amount: 151_000, allocated: 130_000, toPrepayment: 21_000 }]);
    expect(report.reversed).toEqual({ count: 1, amount: 9_999 });
  });
});

describe('open receivables and DSO', () => {
  const open: OpenReceivableRow[] = [
    { dealerId: 'D1', issueDate: '2026-03-01', dueDate: '2026-03-31', currency: 'CNY', open: 60_000 },
    { dealerId: 'D1', issueDate: '2026-05-20', dueDate: '2026-06-19', currency: 'CNY', open: 30_000 },
    { dealerId: 'D2', issueDate: '2026-05-25', dueDate: '2026-06-24', currency: 'CNY', open: 10_000 },
    // Issued after the as-of date: not counted.
    { dealerId: 'D2', issueDate: '2026-06-02', dueDate: '2026-07-02', currency: 'CNY', open: 99_999 },
  ];

  it('sums open and overdue (due before the as-of date) per dealer and in total', () => {
    const report = openArReport(open, '2026-06-01');
    expect(report.dealers).toEqual([
      { dealerId: 'D1', currency: 'CNY', count: 2, open: 90_000, overdue: 60_000 },
      { dealerId: 'D2', currency: 'CNY', count: 1, open: 10_000, overdue: 0 },
    ]);
    expect(report.totals).toEqual([{ currency: 'CNY', count: 3, open: 100_000, overdue: 60_000 }]);
  });

  it('DSO = open ÷ gross revenue of the 90 days ending on the as-of date × 90', () => {
    expect(dsoWindowStart('2026-06-01')).toBe('2026-03-04');
    const invoices = [
      // Outside the window (before 2026-03-04): no revenue counted.
      { ...inv('I1', 'D1', '2026-03-03', 0), gross: 500_000 },
      { ...inv('I2', 'D1', '2026-03-04', 0), gross: 180_000 },
      { ...inv('I3', 'D1', '2026-06-01', 0), gross: 90_000 },
      { ...inv('I4', 'D1', '2026-05-01', 0, 'void'), gross: 1_000_000 },
      { ...inv('I5', 'D3', '2026-05-01', 0), gross: 45_000 },
    ];
    const report = dsoReport(open, invoices, '2026-06-01');
    // D1: 90,000 open / 270,000 revenue × 90 = 30.0; D2: debt, no revenue → null; D3: 0 open.
    expect(report.dealers).toEqual([
      { dealerId: 'D2', currency: 'CNY', openReceivables: 10_000, revenue: 0, dso: null },
      { dealerId: 'D1', currency: 'CNY', openReceivables: 90_000, revenue: 270_000, dso: 30 },
      { dealerId: 'D3', currency: 'CNY', openReceivables: 0, revenue: 45_000, dso: 0 },
    ]);
    // Total: 100,000 / 315,000 × 90 = 28.571… → 28.6
    expect(report.totals).toEqual([{ dealerId: '*', currency: 'CNY', openReceivables: 100_000, revenue: 315_000, dso: 28.6 }]);
  });

  it('rounds DSO half-up to one decimal in integers', () => {
    expect(dsoDays(1, 4)).toBe(22.5);
    expect(dsoDays(1, 3)).toBe(30);
    expect(dsoDays(1, 7)).toBe(12.9); // 12.857…
    expect(dsoDays(5, 0)).toBeNull();
  });
});

describe('balances and ranges', () => {
  it('totals prepayment, deposit and rebate over dealers with a balance', () => {
    const report = balancesReport([
      { dealerId: 'D1', currency: 'CNY', prepayment: 1_000, deposit: 0, rebate: 50 },
      { dealerId: 'D2', currency: 'CNY', prepayment: 0, deposit: 0, rebate: 0 },
      { dealerId: 'D3', currency: 'CNY', prepayment: 5_000, deposit: 20_000, rebate: 0 },
    ]);
    expect(report.dealers.map((d) => d.dealerId)).toEqual(['D3', 'D1']);
    expect(report.totals).toEqual([{ currency: 'CNY', prepayment: 6_000, deposit: 20_000, rebate: 50 }]);
  });

  it('refuses inverted and over-long periods', () => {
    expect(() => checkPeriod('2026-02-01', '2026-01-31')).toThrow(/after/);
    // 366 days inclusive is the most: a leap year, or a year and a day.
    expect(() => checkPeriod('2025-01-01', '2026-01-02')).toThrow(/366/);
    expect(() => checkPeriod('2025-01-01', '2026-01-01')).not.toThrow();
    expect(() => checkPeriod('2024-01-01', '2024-12-31')).not.toThrow();
  });
});

describe('credit note', () => {
  it('negates every amount of the invoice and references it', () => {
    const invoice = {
      kind: 'invoice',
      number: 'INV-2026-000007',
      issueDate: '2026-05-01',
      dueDate: '2026-05-31',
      currency: 'CNY',
      seller: { name: 'S', creditCode: 'x', address: { line: 'a' } },
      buyer: { name: 'B', creditCode: 'y', address: { line: 'b' } },
      lines: [{ lineNo: 1, sku: 'A', name: 'a', quantity: 2, unit: '件', unitPrice: 500, discount: 100, vatRate: 1300, lineNet: 900, vatAmount: 117, lineGross: 1017 }],
      vatBreakdown: [{ vatRate: 1300, taxableAmount: 900, vatAmount: 117 }],
      totals: { lineExtension: 1000, discount: 100, net: 900, vat: 117, gross: 1017 },
      paymentTerms: { netDays: 30 },
    } as Invoice;
    const note = buildCreditNote(invoice, { number: 'CN-2026-000001', issueDate: '2026-05-10', reason: '退票' });
    expect(note).toMatchObject({ kind: 'credit_note', invoiceNumber: 'INV-2026-000007', invoiceIssueDate: '2026-05-01', reason: '退票' });
    expect(note.totals).toEqual({ lineExtension: -1000, discount: -100, net: -900, vat: -117, gross: -1017 });
    expect(note.lines[0]).toMatchObject({ quantity: -2, unitPrice: 500, discount: -100, lineNet: -900, vatAmount: -117, lineGross: -1017 });
    expect(note.vatBreakdown).toEqual([{ vatRate: 1300, taxableAmount: -900, vatAmount: -117 }]);
  });
});
