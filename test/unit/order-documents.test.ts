import { afterEach, describe, expect, it } from 'vitest';
import type { Dealer } from '../../domain/dealers/dealer';
import { isValidUscc, usccCheckCharacter } from '../../domain/dealers/uscc';
import { ValidationError } from '../../domain/shared/errors';
import { vatOn } from '../../domain/shared/money';
import type { DocumentParty } from '../../domain/invoicing/invoice';
import { orderTotals, type Order, type OrderLine } from '../../domain/orders/order';
import { MISSING_ADDRESS_LINE, dealerParty, invoiceForOrder, invoiceLineFor, shipToAddress, shippingNoteForOrder } from '../../domain/orders/order-documents';
import { DEMO_SELLER, SELLER_ENV, parseSeller, sellerParty } from '../../functions/adapters/documents/seller';

const code = (first17: string): string => first17 + usccCheckCharacter(first17);

/** An order line priced like the order service does: net = q × unit price, VAT half-up on the line net. */
function line(lineNo: number, sku: string, quantity: number, listPrice: number, unitPrice: number, vatRate: number): OrderLine {
  const lineNet = quantity * unitPrice;
  const discountPerUnit = Math.max(0, listPrice - unitPrice);
  const vatAmount = vatOn(lineNet, vatRate);
  return {
    lineNo,
    sku,
    name: `商品${sku}`,
    unit: '台',
    quantity,
    listPrice,
    unitPrice,
    discountPerUnit,
    vatRate,
    lineNet,
    lineDiscount: quantity * discountPerUnit,
    vatAmount,
    lineGross: lineNet + vatAmount,
    shippedQuantity: 0,
  };
}

function order(lines: OrderLine[], overrides: Partial<Order> = {}): Order {
  return {
    id: '01JQ0000000000000000000001',
    number: 'SO-2026-000042',
    dealerId: '01JQ00000000000000000000D1',
    dealerCode: 'D001',
    dealerName: '上海恒通商贸有限公司',
    region: 'CN-EAST',
    channel: 'online_portal',
    status: 'approved',
    currency: 'CNY',
    lines,
    totals: orderTotals(lines),
    shipTo: { recipient: '李娜', phone: '13800138000', province: '上海市', city: '上海市', district: '闵行区', street: '虹桥路8号', postalCode: '201100' },
    fulfilmentLocation: 'WH-SH',
    approvalSteps: [],
    documents: [],
    createdAt: '2026-03-31T01:00:00.000Z',
    createdBy: 'user-dealer',
    updatedAt: '2026-03-31T01:00:00.000Z',
    version: 3,
    ...overrides,
  };
}

// Odd prices so the per-line half-up rounding differs from rounding the sums (13 %, 9 %, 6 %, 0 %).
const multiRate = [
  line(1, 'PMP-100', 3, 12_999, 11_650, 1300), // discounted; net 349.50 → VAT 45.435 rounds up
  line(2, 'RICE-5KG', 7, 8_950, 8_513, 900), //   discounted
  line(3, 'SVC-INSTALL', 1, 20_001, 20_001, 600), // list price
  line(4, 'BOOK-01', 11, 3_333, 3_111, 0), //      zero rated, discounted
  line(5, 'PMP-SPECIAL', 2, 10_000, 10_525, 1300), // special price above list: no discount to show
];

const seller: DocumentParty = DEMO_SELLER;
const buyer: DocumentParty = { name: '上海恒通商贸有限公司', creditCode: code('91310115MA1H00000'), address: { line: '虹桥路8号', city: '上海市', province: '上海市' } };

describe('invoiceForOrder', () => {
  const o = order(multiRate, { customerReference: 'PO-778' });
  const invoice = invoiceForOrder(o, buyer, seller, { number: 'INV-2026-000001', issueDate: '2026-03-31', paymentTermsDays: 30 });

  it('bills exactly the order: net, VAT and gross equal the order totals, line by line', () => {
    expect(invoice.totals).toMatchObject({ net: o.totals.net, vat: o.totals.vat, gross: o.totals.gross });
    expect(invoice.lines.map((l) => [l.sku, l.quantity, l.lineNet, l.vatAmount, l.lineGross])).toEqual(
      o.lines.map((l) => [l.sku, l.quantity, l.lineNet, l.vatAmount, l.lineGross]),
    );
    // The sum of per-line half-up VAT, not VAT of the sum per rate (which would be 1 分 off here).
    const naive = [1300, 900, 600, 0].reduce((sum, rate) => sum + vatOn(o.lines.filter((l) => l.vatRate === rate).reduce((s, l) => s + l.lineNet, 0), rate), 0);
    expect(naive).not.toBe(o.totals.vat);
    expect(invoice.vatBreakdown.map((b) => b.vatRate)).toEqual([1300, 900, 600, 0]);
    expect(invoice.vatBreakdown.reduce((s, b) => s + b.vatAmount, 0)).toBe(o.totals.vat);
  });

  it('shows discounts at list price where that reproduces the order net, and the special price otherwise', () => {
    expect(invoice.lines[0]).toMatchObject({ unitPrice: 12_999, discount: 3 * 1_349 });
    expect(invoice.lines[2]).toMatchObject({ unitPrice: 20_001, discount: 0 });
    expect(invoice.lines[4]).toMatchObject({ unitPrice: 10_525, discount: 0 });
    expect(invoice.totals.discount).toBe(o.totals.discount);
    expect(invoice.totals.lineExtension).toBe(invoice.totals.net + o.totals.discount);
    expect(invoiceLineFor({ ...multiRate[0]!, lineDiscount: 1 })).toMatchObject({ unitPrice: 11_650, discount: 0 });
    // The price resolver reports a special price above list as a negative discount.
    expect(invoiceLineFor({ ...multiRate[4]!, discountPerUnit: -525, lineDiscount: -1_050 })).toMatchObject({ unitPrice: 10_525, discount: 0 });
  });

  it('carries number, dates, order number, currency, payment terms and the dealer reference', () => {
    expect(invoice).toMatchObject({
      number: 'INV-2026-000001',
      issueDate: '2026-03-31',
      dueDate: '2026-04-30',
      orderNumber: 'SO-2026-000042',
      currency: 'CNY',
      paymentTerms: { netDays: 30, description: '开票后30天内付款' },
      note: '客户订单号：PO-778',
      seller,
      buyer,
    });
    const cash = invoiceForOrder(o, buyer, seller, { number: 'INV-2026-000002', issueDate: '2026-12-31', paymentTermsDays: 0 });
    expect(cash).toMatchObject({ issueDate: '2026-12-31', dueDate: '2026-12-31', paymentTerms: { netDays: 0, description: '见票即付' } });
  });

  it('refuses to issue an invoice that would differ from the order', () => {
    const drifted = order(multiRate.map((l, i) => (i === 1 ? { ...l, vatAmount: l.vatAmount + 1, lineGross: l.lineGross + 1 } : l)));
    expect(() => invoiceForOrder(drifted, buyer, seller, { number: 'INV-2026-000003', issueDate: '2026-03-31', paymentTermsDays: 30 })).toThrow(/line 2 \(RICE-5KG\)/);
    const staleTotals = order(multiRate, { totals: { ...orderTotals(multiRate), gross: orderTotals(multiRate).gross + 1 } });
    expect(() => invoiceForOrder(staleTotals, buyer, seller, { number: 'INV-2026-000003', issueDate: '2026-03-31', paymentTermsDays: 30 })).toThrow(/totals/);
  });

  it('needs a numbered order, a valid number, date and buyer credit code', () => {
    const opts = { number: 'INV-2026-000004', issueDate: '2026-03-31', paymentTermsDays: 30 };
    expect(() => invoiceForOrder(order(multiRate, { number: undefined }), buyer, seller, opts)).toThrow(ValidationError);
    expect(() => invoiceForOrder(o, buyer, seller, { ...opts, number: 'SO-2026-000001' })).toThrow(ValidationError);
    expect(() => invoiceForOrder(o, buyer, seller, { ...opts, issueDate: '31.03.2026' })).toThrow(ValidationError);
    expect(() => invoiceForOrder(o, { ...buyer, creditCode: '91310115MA1H000000' }, seller, opts)).toThrow(ValidationError);
  });
});

describe('shippingNoteForOrder', () => {
  const o = order(multiRate);

  it('lists every order line with its quantity and ships to the order address and contact', () => {
    const note = shippingNoteForOrder(o, buyer, seller, { number: 'DN-2026-000001', issueDate: '2026-04-01' });
    expect(note).toMatchObject({ number: 'DN-2026-000001', issueDate: '2026-04-01', orderNumber: 'SO-2026-000042', shipper: seller, consignee: buyer });
    expect(note.lines).toEqual(o.lines.map((l, i) => ({ lineNo: i + 1, sku: l.sku, name: l.name, unit: l.unit, quantity: l.quantity })));
    expect(note.shipTo).toEqual({ line: '闵行区虹桥路8号', city: '上海市', province: '上海市', postalCode: '201100', country: 'CN' });
    expect(note.note).toBe('收货人：李娜，电话：13800138000');
  });

  it('prints one shipment (carrier, tracking, part quantities) and falls back to the consignee address', () => {
    const note = shippingNoteForOrder(order(multiRate, { shipTo: undefined }), buyer, seller, {
      number: 'DN-2026-000002',
      issueDate: '2026-04-02',
      carrier: '顺丰速运',
      trackingNumber: 'SF1234567890',
      lines: [{ sku: 'RICE-5KG', quantity: 4 }],
    });
    expect(note).toMatchObject({ carrier: '顺丰速运', trackingNumber: 'SF1234567890', shipTo: buyer.address, lines: [{ lineNo: 1, sku: 'RICE-5KG', name: '商品RICE-5KG', unit: '台', quantity: 4 }] });
    expect(note.note).toBeUndefined();
    expect(() => shippingNoteForOrder(o, buyer, seller, { number: 'DN-2026-000003', issueDate: '2026-04-02', lines: [{ sku: 'NOT-ON-ORDER', quantity: 1 }] })).toThrow(ValidationError);
    expect(() => shippingNoteForOrder(o, buyer, seller, { number: 'INV-2026-000003', issueDate: '2026-04-02' })).toThrow(ValidationError);
  });
});

describe('dealerParty', () => {
  const base: Pick<Dealer, 'name' | 'uscc' | 'addresses'> = { name: '杭州东方电器有限公司', uscc: code('91330106MA2B00000'), addresses: [] };
  const shipping = { type: 'shipping' as const, province: '浙江省', city: '杭州市', street: '文三路1号仓库', recipient: '王强', phone: '0571-88888888', isDefault: true };
  const billingA = { type: 'billing' as const, province: '浙江省', city: '杭州市', district: '西湖区', street: '文三路1号', postalCode: '310012', isDefault: false };
  const billingB = { type: 'billing' as const, province: '浙江省', city: '杭州市', street: '延安路2号', isDefault: true };

  it('uses the default billing address, else any billing address, else shipping, else a placeholder', () => {
    expect(dealerParty({ ...base, addresses: [shipping, billingA, billingB] })).toEqual({
      name: '杭州东方电器有限公司',
      creditCode: base.uscc,
      address: { line: '延安路2号', province: '浙江省', city: '杭州市', country: 'CN' },
    });
    expect(dealerParty({ ...base, addresses: [shipping, billingA] }).address).toEqual({ line: '西湖区文三路1号', province: '浙江省', city: '杭州市', postalCode: '310012', country: 'CN' });
    expect(dealerParty({ ...base, addresses: [shipping] })).toMatchObject({ address: { line: '文三路1号仓库' }, phone: '0571-88888888' });
    const none = dealerParty(base);
    expect(none.address).toEqual({ line: MISSING_ADDRESS_LINE, country: 'CN' });
    expect(none.creditCode).toBe(base.uscc);
  });

  it('takes an explicit dealer or postal address, e.g. the order ship-to for the consignee', () => {
    expect(dealerParty(base, shipping).address.line).toBe('文三路1号仓库');
    const shipTo = shipToAddress({ recipient: '李娜', phone: '13800138000', province: '上海市', city: '上海市', street: '虹桥路8号' });
    expect(shipTo).toEqual({ line: '虹桥路8号', province: '上海市', city: '上海市', country: 'CN' });
    expect(dealerParty({ ...base, addresses: [billingB] }, shipTo).address).toBe(shipTo);
  });
});

describe('seller party', () => {
  const saved = process.env[SELLER_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[SELLER_ENV];
    else process.env[SELLER_ENV] = saved;
  });

  it('defaults to the demo company, with a valid credit code, Chinese name, address and bank', () => {
    delete process.env[SELLER_ENV];
    const party = sellerParty();
    expect(party).toEqual(DEMO_SELLER);
    expect(isValidUscc(party.creditCode)).toBe(true);
    expect(party.name).toMatch(/有限公司$/);
    expect(party.bankName && party.bankAccount && party.address.line).toBeTruthy();
    party.name = 'changed';
    expect(sellerParty().name).toBe(DEMO_SELLER.name);
  });

  it('reads DMS_SELLER and refuses a broken configuration', () => {
    const configured = { name: '北方机电有限公司', creditCode: code('91110105MA00000AA').toLowerCase(), address: { line: '朝阳区建国路1号', city: '北京市' } };
    process.env[SELLER_ENV] = JSON.stringify(configured);
    expect(sellerParty()).toEqual({ ...configured, creditCode: configured.creditCode.toUpperCase(), address: { ...configured.address, country: 'CN' } });
    expect(() => parseSeller(JSON.stringify({ ...configured, creditCode: '91110105MA00000AA0' }))).toThrow(/creditCode/);
    expect(() => parseSeller(JSON.stringify({ ...configured, extra: 1 }))).toThrow(/DMS_SELLER/);
    expect(() => parseSeller('{name:')).toThrow(/not valid JSON/);
  });
});
