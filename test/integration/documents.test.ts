import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usccCheckCharacter } from '../../domain/dealers/uscc';
import { amountInChineseUppercase, buildInvoice, buildShippingNote, fenToYuan, formatYuan, type DocumentParty } from '../../domain/invoicing/invoice';
import { LocalDocumentStore, documentKey, verifyLocalSignedUrl } from '../../functions/adapters/documents/document-store';
import { UBL_CAC_NS, UBL_CBC_NS, UBL_INVOICE_NS, toEInvoiceJson, toUblInvoiceXml } from '../../functions/adapters/documents/e-invoice';
import { renderInvoicePdf } from '../../functions/adapters/documents/invoice-pdf';
import { renderShippingNotePdf } from '../../functions/adapters/documents/shipping-note-pdf';

const code = (first17: string): string => first17 + usccCheckCharacter(first17);
const seller: DocumentParty = {
  name: '华东制造集团有限公司',
  creditCode: code('91310000MA1FL0000'),
  address: { province: '上海市', city: '上海市', line: '浦东新区张江路100号' },
  bankName: '中国工商银行上海分行',
  bankAccount: '1001 2345 6789',
};
const buyer: DocumentParty = {
  name: '上海恒通商贸有限公司',
  creditCode: code('91310115MA1H00000'),
  address: { province: '上海市', city: '上海市', line: '闵行区虹桥路8号 <仓库 & 门店>' },
};

const invoice = buildInvoice({
  number: 'INV-2026-000123',
  issuedAt: new Date('2026-03-31T17:30:00Z'),
  seller,
  buyer,
  orderNumber: 'SO-2026-000042',
  lines: [
    { sku: 'SKU-001', name: '不锈钢保温杯 500ml', quantity: 3, unit: '件', unitPrice: 3333, vatRate: 1300 },
    { sku: 'SKU-002', name: '有机大米 5kg', quantity: 10, unit: '袋', unitPrice: 8950, discount: 500, vatRate: 900 },
    { sku: 'SVC-01', name: '安装服务', quantity: 1, unit: '次', unitPrice: 20000, vatRate: 600 },
  ],
  paymentTerms: { netDays: 30, description: '月结30天' },
});

async function pdfText(bytes: Uint8Array): Promise<string> {
  // unpdf may detach the buffer it is given; hand it a copy.
  const { text } = await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true });
  return text;
}

describe('invoice PDF', () => {
  it('contains the Chinese dealer name, the title and the totals (extracted text)', async () => {
    const pdf = await renderInvoicePdf(invoice);
    expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe('%PDF-');
    // The font is subset: a 10 MB TTF must not end up in every invoice.
    expect(pdf.byteLength).toBeLessThan(200_000);
    const text = await pdfText(pdf);
    expect(text).toContain('增值税发票');
    expect(text).toContain('上海恒通商贸有限公司');
    expect(text).toContain(buyer.creditCode);
    expect(text).toContain('INV-2026-000123');
    expect(text).toContain(formatYuan(invoice.totals.gross)); // ¥1,295.09
    expect(text).toContain(formatYuan(invoice.totals.net));
    expect(text).toContain(formatYuan(invoice.totals.vat));
    expect(text).toContain(amountInChineseUppercase(invoice.totals.gross)); // 壹仟贰佰玖拾伍元零玖分
  });

  it('is byte-identical when generated twice (retries store the same document)', async () => {
    const [a, b] = await Promise.all([renderInvoicePdf(invoice), renderInvoicePdf(invoice)]);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });

  it('renders a shipping note with the consignee and quantities', async () => {
    const note = buildShippingNote({
      number: 'DN-2026-000123',
      issuedAt: new Date('2026-04-01T02:00:00Z'),
      shipper: seller,
      consignee: buyer,
      orderNumber: 'SO-2026-000042',
      carrier: '顺丰速运',
      trackingNumber: 'SF1234567890',
      lines: invoice.lines.map(({ sku, name, quantity, unit }) => ({ sku, name, quantity, unit })),
    });
    const pdf = await renderShippingNotePdf(note);
    expect(pdf.byteLength).toBeLessThan(200_000);
    const text = await pdfText(pdf);
    for (const expected of ['发货单', 'DN-2026-000123', '上海恒通商贸有限公司', '顺丰速运', '有机大米 5kg']) expect(text).toContain(expected);
  });
});

describe('UBL 2.1 e-invoice', () => {
  const xml = toUblInvoiceXml(invoice);
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, isArray: (name) => ['cac:TaxSubtotal', 'cac:InvoiceLine'].includes(name) });
  const doc = parser.parse(xml) as any;
  const root = doc.Invoice;
  const amount = (node: { '#text': string; '@currencyID': string }): string => {
    expect(node['@currencyID']).toBe('CNY');
    return node['#text'];
  };

  it('is well formed and declares the UBL namespaces', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(root['@xmlns']).toBe(UBL_INVOICE_NS);
    expect(root['@xmlns:cac']).toBe(UBL_CAC_NS);
    expect(root['@xmlns:cbc']).toBe(UBL_CBC_NS);
    expect(root['cbc:UBLVersionID']).toBe('2.1');
    expect(root['cbc:ID']).toBe('INV-2026-000123');
    expect(root['cbc:IssueDate']).toBe('2026-04-01');
    expect(root['cbc:DueDate']).toBe('2026-05-01');
  });

  it('carries seller and buyer credit codes in PartyTaxScheme, escaped text intact', () => {
    const supplier = root['cac:AccountingSupplierParty']['cac:Party'];
    const customer = root['cac:AccountingCustomerParty']['cac:Party'];
    expect(supplier['cac:PartyTaxScheme']['cbc:CompanyID']).toBe(seller.creditCode);
    expect(customer['cac:PartyTaxScheme']['cbc:CompanyID']).toBe(buyer.creditCode);
    expect(customer['cac:PartyName']['cbc:Name']).toBe('上海恒通商贸有限公司');
    expect(xml).toContain('&lt;仓库 &amp; 门店&gt;');
  });

  it('has LegalMonetaryTotal and TaxTotal equal to the invoice model', () => {
    const totals = root['cac:LegalMonetaryTotal'];
    expect(amount(totals['cbc:LineExtensionAmount'])).toBe(fenToYuan(invoice.totals.net));
    expect(amount(totals['cbc:TaxExclusiveAmount'])).toBe(fenToYuan(invoice.totals.net));
    expect(amount(totals['cbc:TaxInclusiveAmount'])).toBe(fenToYuan(invoice.totals.gross));
    expect(amount(totals['cbc:PayableAmount'])).toBe('1295.09');
    expect(amount(root['cac:TaxTotal']['cbc:TaxAmount'])).toBe(fenToYuan(invoice.totals.vat));
    const subtotals = root['cac:TaxTotal']['cac:TaxSubtotal'] as any[];
    expect(subtotals.map((s) => [s['cac:TaxCategory']['cbc:Percent'], amount(s['cbc:TaxableAmount']), amount(s['cbc:TaxAmount'])])).toEqual(
      invoice.vatBreakdown.map((b) => [fenToYuan(b.vatRate), fenToYuan(b.taxableAmount), fenToYuan(b.vatAmount)]),
    );
  });

  it('has one InvoiceLine per line with price, quantity and line amount', () => {
    const lines = root['cac:InvoiceLine'] as any[];
    expect(lines).toHaveLength(invoice.lines.length);
    lines.forEach((l, i) => {
      const model = invoice.lines[i]!;
      expect(l['cbc:InvoicedQuantity']['#text']).toBe(String(model.quantity));
      expect(amount(l['cbc:LineExtensionAmount'])).toBe(fenToYuan(model.lineNet));
      expect(amount(l['cac:Price']['cbc:PriceAmount'])).toBe(fenToYuan(model.unitPrice));
      expect(l['cac:Item']['cac:SellersItemIdentification']['cbc:ID']).toBe(model.sku);
    });
    // Σ line amounts = LineExtensionAmount, as UBL validators check.
    const sumFen = lines.reduce((s, l) => s + Number(amount(l['cbc:LineExtensionAmount']).replace('.', '')), 0);
    expect(sumFen).toBe(invoice.totals.net);
  });

  it('has a JSON twin with the same totals', () => {
    const json = toEInvoiceJson(invoice);
    expect(json.totals).toMatchObject({ net: '1189.99', vat: '105.10', gross: '1295.09', payable: '1295.09' });
    expect(json.buyer).toMatchObject({ name: '上海恒通商贸有限公司', creditCode: buyer.creditCode });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});

describe('local document store', () => {
  let dataDir: string;
  const signingKey = 'test-signing-key';
  const now = new Date('2026-04-01T00:00:00Z');
  let store: LocalDocumentStore;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'dms-docs-'));
    store = new LocalDocumentStore({ dataDir, bucket: 'dms-documents', baseUrl: 'http://localhost:3000', signingKey, now: () => now });
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('round-trips bytes under <dataDir>/s3/<bucket>/<key>', async () => {
    const pdf = await renderInvoicePdf(invoice);
    const key = documentKey('invoice-pdf', invoice.number, '2026');
    expect(key).toBe('invoices/2026/INV-2026-000123.pdf');
    await store.put(key, pdf, 'application/pdf');
    const onDisk = await readFile(join(dataDir, 's3', 'dms-documents', 'invoices', '2026', 'INV-2026-000123.pdf'));
    expect(onDisk.equals(Buffer.from(pdf))).toBe(true);
    const back = await store.get(key);
    expect(back?.contentType).toBe('application/pdf');
    expect(Buffer.from(back!.bytes).equals(Buffer.from(pdf))).toBe(true);
    expect(await store.get('invoices/2026/missing.pdf')).toBeUndefined();
  });

  it('refuses keys that climb out of the bucket', async () => {
    await expect(store.put('../escape.pdf', new Uint8Array([1]), 'application/pdf')).rejects.toThrow(RangeError);
    await expect(store.get('a/../../b')).rejects.toThrow(RangeError);
  });

  it('signs URLs that verify, and rejects tampered or expired ones', async () => {
    const url = await store.signedUrl('invoices/2026/INV-2026-000123.pdf', 600);
    expect(url).toMatch(/^http:\/\/localhost:3000\/local-s3\/dms-documents\/invoices\/2026\/INV-2026-000123\.pdf\?expires=\d+&signature=/);
    const ok = verifyLocalSignedUrl(url, signingKey, now);
    expect(ok).toEqual({ ok: true, bucket: 'dms-documents', key: 'invoices/2026/INV-2026-000123.pdf', expires: now.getTime() / 1000 + 600 });
    // path + query only, as the local server sees req.url
    const u = new URL(url);
    expect(verifyLocalSignedUrl(u.pathname + u.search, signingKey, now).ok).toBe(true);

    expect(verifyLocalSignedUrl(url.replace('000123', '000124'), signingKey, now)).toEqual({ ok: false, reason: 'bad_signature' });
    const later = new URL(url);
    later.searchParams.set('expires', String(Number(later.searchParams.get('expires')) + 3600));
    expect(verifyLocalSignedUrl(later.toString(), signingKey, now)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyLocalSignedUrl(url, 'another-key', now)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyLocalSignedUrl(url, signingKey, new Date(now.getTime() + 601_000))).toEqual({ ok: false, reason: 'expired' });
    expect(verifyLocalSignedUrl('/local-s3/dms-documents/x.pdf', signingKey, now)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyLocalSignedUrl('/elsewhere/x.pdf?expires=1&signature=a', signingKey, now)).toEqual({ ok: false, reason: 'malformed' });
  });
});
