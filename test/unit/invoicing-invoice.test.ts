import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { usccCheckCharacter } from '../../domain/dealers/uscc';
import { addDays } from '../../domain/shared/business-date';
import {
  amountInChineseUppercase,
  buildInvoice,
  buildShippingNote,
  computeLine,
  fenToYuan,
  formatDocumentNumber,
  formatVatRate,
  formatYuan,
  type DocumentParty,
} from '../../domain/invoicing/invoice';
import { ValidationError } from '../../domain/shared/errors';

const code = (first17: string): string => first17 + usccCheckCharacter(first17);
const seller: DocumentParty = { name: '华东制造集团有限公司', creditCode: code('91310000MA1FL0000'), address: { line: '浦东新区张江路100号', city: '上海市' } };
const buyer: DocumentParty = { name: '上海恒通商贸有限公司', creditCode: code('91310115MA1H00000'), address: { line: '闵行区虹桥路8号', city: '上海市' } };

describe('invoice lines', () => {
  it('rounds VAT half-up per line', () => {
    // 3 × 33.33 = 99.99; 13 % = 12.9987 → 13.00
    expect(computeLine({ sku: 'A', name: 'a', quantity: 3, unit: '件', unitPrice: 3333, vatRate: 1300 }, 1)).toMatchObject({ lineNet: 9999, vatAmount: 1300, lineGross: 11299 });
    // exactly half a fen rounds up: 0.50 × 9 % = 0.045 → 0.05
    expect(computeLine({ sku: 'B', name: 'b', quantity: 1, unit: '件', unitPrice: 50, vatRate: 900 }, 1).vatAmount).toBe(5);
    // just below half rounds down: 0.49 × 9 % = 0.0441 → 0.04
    expect(computeLine({ sku: 'B', name: 'b', quantity: 1, unit: '件', unitPrice: 49, vatRate: 900 }, 1).vatAmount).toBe(4);
  });

  it('subtracts the discount before VAT and rejects a discount above the line amount', () => {
    expect(computeLine({ sku: 'C', name: 'c', quantity: 10, unit: '袋', unitPrice: 8950, discount: 500, vatRate: 900 }, 1)).toMatchObject({ lineNet: 89000, vatAmount: 8010, lineGross: 97010 });
    expect(() => computeLine({ sku: 'C', name: 'c', quantity: 1, unit: '袋', unitPrice: 100, discount: 101, vatRate: 900 }, 1)).toThrow(RangeError);
  });

  it('is exact for amounts beyond 2^53 intermediate products', () => {
    const line = computeLine({ sku: 'D', name: 'd', quantity: 1_000_000, unit: '台', unitPrice: 999_999_999, vatRate: 1300 }, 1);
    expect(line.lineNet).toBe(999_999_999_000_000);
    expect(line.vatAmount).toBe(129_999_999_870_000);
  });
});

describe('buildInvoice', () => {
  const invoice = buildInvoice({
    number: 'INV-2026-000123',
    issuedAt: new Date('2026-03-31T17:30:00Z'),
    seller,
    buyer,
    orderNumber: 'SO-2026-000042',
    lines: [
      { sku: 'SKU-001', name: '保温杯', quantity: 3, unit: '件', unitPrice: 3333, vatRate: 1300 },
      { sku: 'SKU-002', name: '大米', quantity: 10, unit: '袋', unitPrice: 8950, discount: 500, vatRate: 900 },
      { sku: 'SKU-003', name: '饭盒', quantity: 7, unit: '件', unitPrice: 1111, vatRate: 1300 },
      { sku: 'SVC-01', name: '安装服务', quantity: 1, unit: '次', unitPrice: 20000, vatRate: 600 },
    ],
    paymentTerms: { netDays: 30 },
  });

  it('dates the invoice in Asia/Shanghai and derives the due date from the terms', () => {
    expect(invoice.issueDate).toBe('2026-04-01'); // 17:30 UTC is 01:30 the next day in Shanghai
    expect(invoice.dueDate).toBe('2026-05-01');
    expect(invoice.currency).toBe('CNY');
  });

  it('sums totals from the rounded lines', () => {
    const { lines, totals } = invoice;
    expect(totals.net).toBe(lines.reduce((s, l) => s + l.lineNet, 0));
    expect(totals.vat).toBe(lines.reduce((s, l) => s + l.vatAmount, 0));
    expect(totals.gross).toBe(totals.net + totals.vat);
    expect(totals.lineExtension - totals.discount).toBe(totals.net);
    expect(totals).toEqual({ lineExtension: 127276, discount: 500, net: 126776, vat: 11521, gross: 138297 });
  });

  it('breaks VAT down per rate, highest first, as the sum of line VAT (not VAT of the sum)', () => {
    expect(invoice.vatBreakdown).toEqual([
      { vatRate: 1300, taxableAmount: 9999 + 7777, vatAmount: 1300 + 1011 },
      { vatRate: 900, taxableAmount: 89000, vatAmount: 8010 },
      { vatRate: 600, taxableAmount: 20000, vatAmount: 1200 },
    ]);
    expect(invoice.vatBreakdown.reduce((s, b) => s + b.vatAmount, 0)).toBe(invoice.totals.vat);
  });

  it('keeps totals consistent for any lines (property)', () => {
    const lineArb = fc.record({
      sku: fc.constant('X'),
      name: fc.constant('x'),
      quantity: fc.integer({ min: 1, max: 10_000 }),
      unit: fc.constant('件'),
      unitPrice: fc.integer({ min: 0, max: 10_000_000 }),
      vatRate: fc.constantFrom(0, 600, 900, 1300),
    });
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 20 }), (lines) => {
        const inv = buildInvoice({ number: 'INV-2026-000001', issuedAt: new Date(), seller, buyer, lines, paymentTerms: { netDays: 0 } });
        expect(inv.vatBreakdown.reduce((s, b) => s + b.taxableAmount, 0)).toBe(inv.totals.net);
        expect(inv.vatBreakdown.reduce((s, b) => s + b.vatAmount, 0)).toBe(inv.totals.vat);
        for (const l of inv.lines) expect(l.vatAmount).toBe(Math.floor((l.lineNet * l.vatRate) / 10_000 + 0.5));
      }),
      { numRuns: 200 },
    );
  });

  it('rejects bad numbers, invalid credit codes and empty invoices with field errors', () => {
    try {
      buildInvoice({ number: 'INV-26-1', issuedAt: new Date(), seller, buyer: { ...buyer, creditCode: '91310115MA1H000000' }, lines: [], paymentTerms: { netDays: 30 } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).fieldErrors.map((e) => e.path)).toEqual(['number', 'buyer/creditCode', 'lines']);
    }
  });

  it('builds a shipping note shipped to the consignee address by default', () => {
    const note = buildShippingNote({ number: 'DN-2026-000123', issuedAt: new Date('2026-01-01T00:00:00Z'), shipper: seller, consignee: buyer, lines: [{ sku: 'A', name: 'a', quantity: 2, unit: '件' }] });
    expect(note).toMatchObject({ issueDate: '2026-01-01', shipTo: buyer.address, lines: [{ lineNo: 1, quantity: 2 }] });
  });
});

describe('formatting helpers', () => {
  it('formats document numbers', () => {
    expect(formatDocumentNumber('INV', 2026, 123)).toBe('INV-2026-000123');
    expect(formatDocumentNumber('DN', 2026, 1)).toBe('DN-2026-000001');
    expect(() => formatDocumentNumber('INV', 2026, 0)).toThrow(RangeError);
  });

  it('converts 分 to yuan strings exactly', () => {
    expect(fenToYuan(0)).toBe('0.00');
    expect(fenToYuan(5)).toBe('0.05');
    expect(fenToYuan(129509)).toBe('1295.09');
    expect(fenToYuan(-150)).toBe('-1.50');
    expect(fenToYuan(999_999_999_999_999)).toBe('9999999999999.99');
    expect(formatYuan(123456789)).toBe('¥1,234,567.89');
    expect(formatVatRate(1300)).toBe('13%');
    expect(formatVatRate(650)).toBe('6.5%');
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
  });
});

describe('大写金额', () => {
  it.each([
    [0, '零元整'],
    [5, '伍分'],
    [50, '伍角整'],
    [100, '壹元整'],
    [1010, '壹拾元壹角整'],
    [10005, '壹佰元零伍分'],
    [129509, '壹仟贰佰玖拾伍元零玖分'],
    [1234560, '壹万贰仟叁佰肆拾伍元陆角整'],
    [10050000, '壹拾万零伍佰元整'],
    [100000000, '壹佰万元整'],
    [10000000000, '壹亿元整'],
    [10000010000, '壹亿零壹佰元整'],
    [12000300000, '壹亿贰仟万叁仟元整'],
    [10003000000, '壹亿零叁万元整'],
    [100100000, '壹佰万壹仟元整'],
    [100010000, '壹佰万零壹佰元整'],
    [30000000005, '叁亿元零伍分'],
  ])('%i 分 → %s', (fen, expected) => {
    expect(amountInChineseUppercase(fen)).toBe(expected);
  });
});
