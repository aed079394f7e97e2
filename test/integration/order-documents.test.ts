import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dealer } from '../../domain/dealers/dealer';
import { usccCheckCharacter } from '../../domain/dealers/uscc';
import { amountInChineseUppercase, fenToYuan, formatYuan } from '../../domain/invoicing/invoice';
import { vatOn } from '../../domain/shared/money';
import { orderTotals, type Order, type OrderLine } from '../../domain/orders/order';
import { dealerParty, invoiceForOrder, shippingNoteForOrder } from '../../domain/orders/order-documents';
import { LocalDocumentStore } from '../../functions/adapters/documents/document-store';
import { DOCUMENT_STORE_ENV, documentStore, localDocumentStoreOptions } from '../../functions/adapters/documents/document-store-factory';
import { orderDocumentRenderer, renderInvoiceFiles, renderShippingNoteFiles, storeFiles, type GeneratedFile } from '../../functions/adapters/documents/order-document-files';
import { sellerParty } from '../../functions/adapters/documents/seller';
import { startTestTwin, type TestTwin } from '../support/twin';

const code = (first17: string): string => first17 + usccCheckCharacter(first17);

function line(lineNo: number, sku: string, name: string, quantity: number, listPrice: number, unitPrice: number, vatRate: number): OrderLine {
  const lineNet = quantity * unitPrice;
  const vatAmount = vatOn(lineNet, vatRate);
  return { lineNo, sku, name, unit: '台', quantity, listPrice, unitPrice, discountPerUnit: listPrice - unitPrice, vatRate, lineNet, lineDiscount: quantity * (listPrice - unitPrice), vatAmount, lineGross: lineNet + vatAmount, shippedQuantity: 0 };
}

const lines = [
  line(1, 'AC-3500', '变频空调 1.5匹', 4, 329_900, 299_900, 1300),
  line(2, 'SVC-INSTALL', '上门安装服务', 4, 20_000, 18_050, 600),
  line(3, 'RICE-5KG', '有机大米 5kg', 9, 8_950, 8_950, 900),
];
const order: Order = {
  id: '01JQ0000000000000000000007',
  number: 'SO-2026-000777',
  dealerId: '01JQ00000000000000000000D7',
  dealerCode: 'D-HZ-07',
  dealerName: '杭州东方电器贸易有限公司',
  region: 'CN-EAST',
  channel: 'online_portal',
  status: 'approved',
  currency: 'CNY',
  lines,
  totals: orderTotals(lines),
  shipTo: { recipient: '王强', phone: '13900139000', province: '浙江省', city: '杭州市', district: '西湖区', street: '文三路1号仓库', postalCode: '310012' },
  fulfilmentLocation: 'WH-SH',
  approvalSteps: [],
  documents: [],
  createdAt: '2026-03-31T01:00:00.000Z',
  createdBy: 'user-dealer',
  updatedAt: '2026-03-31T01:00:00.000Z',
  version: 4,
};
const dealer: Pick<Dealer, 'name' | 'uscc' | 'addresses'> = {
  name: '杭州东方电器贸易有限公司',
  uscc: code('91330106MA2B00000'),
  addresses: [{ type: 'billing', province: '浙江省', city: '杭州市', street: '西湖区文三路1号', postalCode: '310012', isDefault: true }],
};

const invoice = invoiceForOrder(order, dealerParty(dealer), sellerParty(), { number: 'INV-2026-000777', issueDate: '2026-03-31', paymentTermsDays: 30 });
const note = shippingNoteForOrder(order, dealerParty(dealer), sellerParty(), { number: 'DN-2026-000777', issueDate: '2026-03-31' });

async function pdfText(bytes: Uint8Array): Promise<string> {
  // unpdf may detach the buffer it is given; hand it a copy.
  const { text } = await extractText(await getDocumentProxy(new Uint8Array(bytes)), { mergePages: true });
  return text;
}

const file = (files: GeneratedFile[], kind: GeneratedFile['kind']): GeneratedFile => files.find((f) => f.kind === kind)!;

describe('rendered order documents', () => {
  let invoiceFiles: GeneratedFile[];
  let noteFiles: GeneratedFile[];
  beforeAll(async () => {
    [invoiceFiles, noteFiles] = await Promise.all([renderInvoiceFiles(invoice), renderShippingNoteFiles(note)]);
  });

  it('names the files by document number, so a retry overwrites the same objects', async () => {
    expect(invoiceFiles.map((f) => [f.kind, f.key, f.contentType])).toEqual([
      ['invoice_pdf', 'invoices/2026/INV-2026-000777.pdf', 'application/pdf'],
      ['invoice_xml', 'invoices/2026/INV-2026-000777.xml', 'application/xml; charset=utf-8'],
      ['invoice_json', 'invoices/2026/INV-2026-000777.json', 'application/json; charset=utf-8'],
    ]);
    expect(noteFiles.map((f) => [f.kind, f.key, f.contentType])).toEqual([['shipping_note_pdf', 'shipping-notes/2026/DN-2026-000777.pdf', 'application/pdf']]);
    const again = await renderInvoiceFiles(invoice);
    again.forEach((f, i) => expect(Buffer.from(f.bytes).equals(Buffer.from(invoiceFiles[i]!.bytes))).toBe(true));
  });

  it('prints the Chinese dealer name and the order gross on the invoice PDF', async () => {
    const text = await pdfText(file(invoiceFiles, 'invoice_pdf').bytes);
    expect(text).toContain('杭州东方电器贸易有限公司');
    expect(text).toContain(dealer.uscc);
    expect(text).toContain(sellerParty().name);
    expect(text).toContain('SO-2026-000777');
    expect(text).toContain(formatYuan(order.totals.gross));
    expect(text).toContain(amountInChineseUppercase(order.totals.gross));
  });

  it('prints the consignee, the ship-to contact and the lines on the shipping note PDF', async () => {
    const text = await pdfText(file(noteFiles, 'shipping_note_pdf').bytes);
    for (const expected of ['发货单', 'DN-2026-000777', '杭州东方电器贸易有限公司', '文三路1号仓库', '收货人：王强', '变频空调 1.5匹', '有机大米 5kg']) expect(text).toContain(expected);
    // A shipping note carries no prices.
    expect(text).not.toContain(formatYuan(order.totals.gross));
  });

  it('has a well-formed UBL 2.1 XML whose tax-inclusive and payable amounts are the order gross', () => {
    const xml = new TextDecoder().decode(file(invoiceFiles, 'invoice_xml').bytes);
    expect(XMLValidator.validate(xml)).toBe(true);
    const root = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false }).parse(xml).Invoice;
    const totals = root['cac:LegalMonetaryTotal'];
    expect(totals['cbc:TaxInclusiveAmount']).toEqual({ '#text': fenToYuan(order.totals.gross), '@currencyID': 'CNY' });
    expect(totals['cbc:PayableAmount']).toEqual({ '#text': fenToYuan(order.totals.gross), '@currencyID': 'CNY' });
    expect(totals['cbc:TaxExclusiveAmount']['#text']).toBe(fenToYuan(order.totals.net));
    expect(root['cac:TaxTotal']['cbc:TaxAmount']['#text']).toBe(fenToYuan(order.totals.vat));
    expect(root['cac:OrderReference']['cbc:ID']).toBe('SO-2026-000777');
    expect(root['cac:AccountingCustomerParty']['cac:Party']['cac:PartyName']['cbc:Name']).toBe('杭州东方电器贸易有限公司');
  });

  it('has a JSON e-invoice with the order totals', () => {
    const json = JSON.parse(new TextDecoder().decode(file(invoiceFiles, 'invoice_json').bytes));
    expect(json.totals).toMatchObject({ net: fenToYuan(order.totals.net), vat: fenToYuan(order.totals.vat), gross: fenToYuan(order.totals.gross), payable: fenToYuan(order.totals.gross) });
  });
});

describe('stored documents behind signed links on the twin', () => {
  let twin: TestTwin;
  let dir: string;
  const saved = Object.fromEntries(Object.values(DOCUMENT_STORE_ENV).map((name) => [name, process.env[name]]));
  let files: GeneratedFile[];

  beforeAll(async () => {
    twin = await startTestTwin();
    dir = await mkdtemp(join(tmpdir(), 'dms-order-docs-'));
    delete process.env[DOCUMENT_STORE_ENV.bucket];
    process.env[DOCUMENT_STORE_ENV.dir] = dir;
    process.env[DOCUMENT_STORE_ENV.baseUrl] = twin.url;
    process.env[DOCUMENT_STORE_ENV.signingKey] = 'order-documents-test-key';
    files = [...(await renderInvoiceFiles(invoice)), ...(await renderShippingNoteFiles(note))];
    await storeFiles(documentStore(), files);
  });
  afterAll(async () => {
    await twin?.close();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the files under <dir>/s3/documents/<key>', async () => {
    expect((await readdir(join(dir, 's3', 'documents', 'invoices', '2026'))).filter((f) => !f.endsWith('.meta.json')).sort()).toEqual([
      'INV-2026-000777.json',
      'INV-2026-000777.pdf',
      'INV-2026-000777.xml',
    ]);
    const pdf = await readFile(join(dir, 's3', 'documents', 'shipping-notes', '2026', 'DN-2026-000777.pdf'));
    expect(pdf.equals(Buffer.from(file(files, 'shipping_note_pdf').bytes))).toBe(true);
    // A retry stores the same keys again: still one object per file.
    await storeFiles(documentStore(), files);
    expect((await readdir(join(dir, 's3', 'documents', 'invoices', '2026'))).length).toBe(6);
  });

  it('serves a signed link with the bytes, content type and disposition', async () => {
    const pdf = file(files, 'invoice_pdf');
    const url = await documentStore().signedUrl(pdf.key, 300);
    expect(url.startsWith(`${twin.url}/local-s3/documents/invoices/2026/INV-2026-000777.pdf?`)).toBe(true);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(`inline; filename="INV-2026-000777.pdf"; filename*=UTF-8''INV-2026-000777.pdf`);
    expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(pdf.bytes))).toBe(true);

    const xml = file(files, 'invoice_xml');
    const xmlResponse = await fetch(await documentStore().signedUrl(xml.key));
    expect(xmlResponse.status).toBe(200);
    expect(xmlResponse.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    expect(xmlResponse.headers.get('content-disposition')).toMatch(/^attachment; filename="INV-2026-000777.xml"/);
    expect(await xmlResponse.text()).toBe(new TextDecoder().decode(xml.bytes));
  });

  it('implements the order service document port: build, render, store, list', async () => {
    const renderer = orderDocumentRenderer(documentStore());
    const fullDealer = { ...dealer } as Dealer;
    const built = renderer.invoice(order, fullDealer, 'INV-2026-000778', '2026-03-31', '2026-04-30', 30);
    expect(built.totals.gross).toBe(order.totals.gross);
    expect(() => renderer.invoice(order, fullDealer, 'INV-2026-000778', '2026-03-31', '2026-05-01', 30)).toThrow(/due/);
    const listed = await renderer.store(built, '2026-03-31T08:00:00.000Z');
    expect(listed).toEqual(
      ['pdf', 'xml', 'json'].map((ext) => ({
        kind: `invoice_${ext}`,
        number: 'INV-2026-000778',
        key: `invoices/2026/INV-2026-000778.${ext}`,
        contentType: ext === 'pdf' ? 'application/pdf' : `application/${ext}; charset=utf-8`,
        createdAt: '2026-03-31T08:00:00.000Z',
      })),
    );
    const shippingNote = renderer.shippingNote(order, fullDealer, 'DN-2026-000778', '2026-03-31');
    expect(await renderer.store(shippingNote, '2026-03-31T08:00:00.000Z')).toMatchObject([{ kind: 'shipping_note_pdf', key: 'shipping-notes/2026/DN-2026-000778.pdf' }]);
    const response = await fetch(await documentStore().signedUrl('shipping-notes/2026/DN-2026-000778.pdf'));
    expect(response.status).toBe(200);
    expect(await pdfText(new Uint8Array(await response.arrayBuffer()))).toContain('DN-2026-000778');
  });

  it('answers 403 problem+json for a tampered, foreign or expired link and 404 for a missing document', async () => {
    const url = new URL(await documentStore().signedUrl('invoices/2026/INV-2026-000777.pdf'));
    const signature = url.searchParams.get('signature')!;
    const tampered = new URL(url);
    tampered.searchParams.set('signature', (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1));
    const otherDocument = new URL(url.toString().replace('INV-2026-000777.pdf', 'INV-2026-000777.json'));
    const unsigned = new URL(url.origin + url.pathname);
    for (const bad of [tampered, otherDocument, unsigned]) {
      const response = await fetch(bad);
      expect(response.status).toBe(403);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await response.json()).toMatchObject({ status: 403, code: 'invalid_signature' });
    }
    const forged = await new LocalDocumentStore({ ...localDocumentStoreOptions(), signingKey: 'someone-elses-key' }).signedUrl('invoices/2026/INV-2026-000777.pdf');
    expect((await fetch(forged)).status).toBe(403);

    const expired = await new LocalDocumentStore({ ...localDocumentStoreOptions(), now: () => new Date(Date.now() - 3_600_000) }).signedUrl('invoices/2026/INV-2026-000777.pdf', 60);
    const expiredResponse = await fetch(expired);
    expect(expiredResponse.status).toBe(403);
    expect(await expiredResponse.json()).toMatchObject({ code: 'link_expired' });

    const missing = await fetch(await documentStore().signedUrl('invoices/2026/INV-2026-999999.pdf'));
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ status: 404, code: 'not_found' });
  });
});

describe('documentStore() on AWS', () => {
  it('uses the S3 bucket named by DOCUMENTS_BUCKET and presigns links for it', async () => {
    const names = ['DOCUMENTS_BUCKET', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION'];
    const saved = Object.fromEntries(names.map((n) => [n, process.env[n]]));
    // Presigning is computed locally; these throwaway credentials never reach AWS.
    Object.assign(process.env, { DOCUMENTS_BUCKET: 'dms-documents-test', AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEEXAMPLE', AWS_SECRET_ACCESS_KEY: 'example-secret', AWS_REGION: 'cn-north-1' });
    try {
      const url = new URL(await documentStore().signedUrl('invoices/2026/INV-2026-000777.pdf', 120));
      expect(url.hostname).toMatch(/^dms-documents-test\.s3\.cn-north-1\.amazonaws\.com(\.cn)?$/);
      expect(url.pathname).toBe('/invoices/2026/INV-2026-000777.pdf');
      expect(url.searchParams.get('X-Amz-Expires')).toBe('120');
      expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});
