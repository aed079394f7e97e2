import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dealer } from '../../domain/dealers/dealer';
import type { Order } from '../../domain/orders/order';
import { formatYuan } from '../../domain/invoicing/invoice';
import { ORDER_APPROVAL_WORKFLOW } from '../../functions/workflows/registry';
import { idempotencyKey, startTestTwin, type ApiResponse, type TestTwin } from '../support/twin';
import { createActiveDealer, createProducts, createWarehouse, putStock, setCredit, type TestProduct } from '../support/orders-world';

/**
 * Tracking: reading, listing and searching orders with object-level rules; the documents an
 * approved order carries, checked by reading them back (PDF text, UBL totals).
 */

let twin: TestTwin;
let admin: string;
let products: TestProduct[];
let east: { dealer: Dealer; token: string };
let east2: { dealer: Dealer; token: string };
let south: { dealer: Dealer; token: string };
const orders: Order[] = [];

async function call(method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
  return twin.request(method, path, { token, ...(body !== undefined ? { body } : {}), headers });
}

async function order(token: string, body: Record<string, unknown>): Promise<Order> {
  const response = await call('POST', '/orders', token, body, { 'idempotency-key': idempotencyKey() });
  expect(response.status, response.text).toBe(201);
  return response.body;
}

async function dealerIn(region: string) {
  const dealer = await createActiveDealer(region);
  await setCredit(dealer, { creditLimit: 100_000_000 });
  return { dealer, token: await twin.token('dealer_user', { userId: `u-${dealer.id}`, dealerId: dealer.id }) };
}

const ids = (response: ApiResponse) => (response.body.items as Order[]).map((o) => o.id);

beforeAll(async () => {
  twin = await startTestTwin();
  admin = await twin.token('admin');
  await createWarehouse('CN-EAST', 'WH-E-01');
  await createWarehouse('CN-SOUTH', 'WH-S-01');
  products = await createProducts(2);
  for (const p of products) {
    await putStock('WH-E-01', p.sku, 1000);
    await putStock('WH-S-01', p.sku, 1000);
  }
  east = await dealerIn('CN-EAST');
  east2 = await dealerIn('CN-EAST');
  south = await dealerIn('CN-SOUTH');
  const line = [{ sku: products[0]!.sku, quantity: 1 }];
  orders.push(await order(east.token, { lines: line, submit: true, internalNote: 'ignored for dealers' }));
  orders.push(await order(east.token, { lines: line }));
  orders.push(await order(admin, { dealerId: east2.dealer.id, lines: line, channel: 'api_edi', submit: true, internalNote: '大客户' }));
  orders.push(await order(admin, { dealerId: south.dealer.id, lines: line, channel: 'offline_store', submit: true }));
  for (const o of orders.filter((o) => o.status === 'submitted')) await twin.workflows.wait(twin.workflows.executionIdOf(ORDER_APPROVAL_WORKFLOW, o.id));
}, 60_000);

afterAll(async () => {
  await twin?.close();
});

describe('orders: reading and listing', () => {
  it('a dealer lists and reads only its own orders; another dealer’s order is a 404', async () => {
    const mine = await call('GET', '/orders', east.token);
    expect(ids(mine).sort()).toEqual([orders[0]!.id, orders[1]!.id].sort());
    expect((await call('GET', `/orders?dealerId=${south.dealer.id}`, east.token)).body.items).toEqual([]);
    expect((await call('GET', `/orders/${orders[3]!.id}`, east.token)).status).toBe(404);
    expect((await call('GET', `/orders/${orders[3]!.id}/timeline`, east.token)).status).toBe(404);
    expect((await call('GET', `/orders/${orders[3]!.id}/documents/invoice_pdf`, east.token)).status).toBe(404);
  });

  it('dealers never see internal notes; staff do', async () => {
    expect((await call('GET', `/orders/${orders[0]!.id}`, east.token)).body.internalNote).toBeUndefined();
    expect((await call('GET', `/orders/${orders[2]!.id}`, east2.token)).body.internalNote).toBeUndefined();
    expect((await call('GET', `/orders/${orders[2]!.id}`, admin)).body.internalNote).toBe('大客户');
  });

  it('staff filter by dealer, status, channel and date range; newest first', async () => {
    const all = await call('GET', '/orders', admin);
    expect(ids(all)).toEqual([...orders].reverse().map((o) => o.id));
    expect(ids(await call('GET', `/orders?dealerId=${east.dealer.id}&status=draft`, admin))).toEqual([orders[1]!.id]);
    expect(ids(await call('GET', '/orders?status=draft', admin))).toEqual([orders[1]!.id]);
    expect(ids(await call('GET', '/orders?channel=api_edi', admin))).toEqual([orders[2]!.id]);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    expect(ids(await call('GET', `/orders?from=${today}&to=${today}&channel=offline_store`, admin))).toEqual([orders[3]!.id]);
    expect(ids(await call('GET', '/orders?from=2020-01-01&to=2020-12-31', admin))).toEqual([]);
    expect((await call('GET', '/orders?status=shipped&from=2026-13-01', admin)).status).toBe(400);
  });

  it('pages with an opaque cursor; a tampered cursor is a 400', async () => {
    const first = await call('GET', '/orders?limit=2', admin);
    expect(first.body.items).toHaveLength(2);
    const second = await call('GET', `/orders?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`, admin);
    expect([...ids(first), ...ids(second)]).toEqual([...orders].reverse().map((o) => o.id));
    expect((await call('GET', '/orders?cursor=bm9wZQ', admin)).status).toBe(400);
  });

  it('a regional sales manager sees only orders of dealers in their regions', async () => {
    const manager = await twin.token('sales_manager', { userId: 'mgr-s', regions: ['CN-SOUTH'] });
    expect(ids(await call('GET', '/orders', manager))).toEqual([orders[3]!.id]);
    expect((await call('GET', `/orders/${orders[0]!.id}`, manager)).status).toBe(404);
  });
});

describe('orders: the generated documents', () => {
  it('the invoice PDF shows the Chinese dealer name and the totals; the UBL XML totals equal the order’s', async () => {
    const approved = (await call('GET', `/orders/${orders[2]!.id}`, admin)).body as Order;
    expect(approved.status).toBe('approved');
    const pdfLink = await call('GET', `/orders/${approved.id}/documents/invoice_pdf`, east2.token);
    expect(pdfLink.status, pdfLink.text).toBe(200);
    const pdf = new Uint8Array(await (await fetch(pdfLink.body.url)).arrayBuffer());
    const { text } = await extractText(await getDocumentProxy(pdf), { mergePages: true });
    expect(text).toContain(east2.dealer.name);
    expect(text).toContain(formatYuan(approved.totals.gross).replace('¥', ''));

    const xmlLink = await call('GET', `/orders/${approved.id}/documents/invoice_xml`, east2.token);
    const xml = await (await fetch(xmlLink.body.url)).text();
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({ removeNSPrefix: true, ignoreAttributes: false }).parse(xml);
    const total = parsed.Invoice.LegalMonetaryTotal;
    const amount = (node: unknown) => Math.round(Number(typeof node === 'object' ? (node as { '#text': unknown })['#text'] : node) * 100);
    expect(amount(total.TaxInclusiveAmount)).toBe(approved.totals.gross);
    expect(amount(total.TaxExclusiveAmount)).toBe(approved.totals.net);
    expect(amount(total.PayableAmount)).toBe(approved.totals.gross);

    const note = await call('GET', `/orders/${approved.id}/documents/shipping_note_pdf`, admin);
    expect(note.status).toBe(200);
    expect(note.body.number).toBe(approved.shippingNoteNumber);
    expect((await call('GET', `/orders/${orders[1]!.id}/documents/invoice_pdf`, admin)).status).toBe(404);
  });
});
