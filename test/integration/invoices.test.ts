import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dealer } from '../../domain/dealers/dealer';
import { getReceivable } from '../../functions/adapters/dynamo/receivables';
import { putInvoice } from '../support/fixtures/finance-invoices';
import { creditCounters, putActiveDealer, setCredit } from '../support/orders-world';
import { idempotencyKey, startTestTwin, type ApiResponse, type TestTwin } from '../support/twin';

/** Invoice management on DynamoDB Local: list/filter/isolation, downloads, void with credit note. */

let twin: TestTwin;
let finance: string;
let dealerA: Dealer;
let dealerB: Dealer;

const call = (method: string, path: string, token: string, body?: unknown): Promise<ApiResponse> =>
  twin.request(method, path, { token, ...(body !== undefined ? { body } : {}), headers: method === 'POST' ? { 'idempotency-key': idempotencyKey() } : {} });

const sequenceOf = (number: string) => Number(number.slice(-6));

beforeAll(async () => {
  twin = await startTestTwin();
  finance = await twin.token('finance', { userId: 'fin-inv-1' });
  dealerA = await putActiveDealer('CN-EAST');
  dealerB = await putActiveDealer('CN-SOUTH');
  await setCredit(dealerA, { creditLimit: 100_000_000 });
  await setCredit(dealerB, { creditLimit: 100_000_000 });
}, 60_000);

afterAll(async () => {
  await twin?.close();
});

describe('listing and reading', () => {
  it('filters by dealer, status and an inclusive issue-date range, newest first', async () => {
    const dealer = await putActiveDealer('CN-EAST');
    const march5 = await putInvoice({ dealerId: dealer.id, issueDate: '2026-03-05', net: 10_000 });
    const march20 = await putInvoice({ dealerId: dealer.id, issueDate: '2026-03-20', net: 20_000 });
    const april2 = await putInvoice({ dealerId: dealer.id, issueDate: '2026-04-02', net: 30_000 });

    const all = await call('GET', `/invoices?dealerId=${dealer.id}`, finance);
    expect(all.status, all.text).toBe(200);
    expect(all.body.items.map((i: { number: string }) => i.number)).toEqual([april2.number, march20.number, march5.number]);
    expect(all.body.items[2]).toMatchObject({ net: 10_000, vat: 1_300, gross: 11_300, status: 'issued', eInvoiceStatus: 'issued', region: 'CN-EAST', receivable: { status: 'open', open: 11_300 } });

    const march = await call('GET', `/invoices?dealerId=${dealer.id}&from=2026-03-01&to=2026-03-20`, finance);
    expect(march.body.items.map((i: { number: string }) => i.number)).toEqual([march20.number, march5.number]);

    // Across dealers (the all-invoices index), the same range holds at least these two.
    const across = await call('GET', `/invoices?from=2026-03-05&to=2026-03-05&limit=100`, finance);
    expect(across.status).toBe(200);
    expect(across.body.items.every((i: { issueDate: string }) => i.issueDate === '2026-03-05')).toBe(true);
    expect(across.body.items.map((i: { number: string }) => i.number)).toContain(march5.number);

    // Pages follow the cursor without repeats.
    const first = await call('GET', `/invoices?dealerId=${dealer.id}&limit=2`, finance);
    expect(first.body.items).toHaveLength(2);
    const second = await call('GET', `/invoices?dealerId=${dealer.id}&limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`, finance);
    expect(second.body.items.map((i: { number: string }) => i.number)).toEqual([march5.number]);

    await call('POST', `/invoices/${march20.number}/void`, finance, { reason: '测试作废' });
    const voided = await call('GET', `/invoices?dealerId=${dealer.id}&status=void`, finance);
    expect(voided.body.items.map((i: { number: string }) => i.number)).toEqual([march20.number]);
    const issued = await call('GET', `/invoices?dealerId=${dealer.id}&status=issued`, finance);
    expect(issued.body.items.map((i: { number: string }) => i.number)).toEqual([april2.number, march5.number]);
  });

  it('rejects inverted and over-long ranges with 400', async () => {
    expect((await call('GET', '/invoices?from=2026-05-02&to=2026-05-01', finance)).status).toBe(400);
    expect((await call('GET', '/invoices?from=2025-01-01&to=2026-05-01', finance)).status).toBe(400);
    expect((await call('GET', '/invoices?status=paid', finance)).status).toBe(400);
  });

  it('dealers see only their own invoices, region managers only their regions', async () => {
    const a = await putInvoice({ dealerId: dealerA.id });
    const b = await putInvoice({ dealerId: dealerB.id });
    const dealerUserA = await twin.token('dealer_user', { userId: 'dealer-a-user', dealerId: dealerA.id });
    const own = await call('GET', '/invoices?limit=100', dealerUserA);
    expect(own.status).toBe(200);
    expect(own.body.items.length).toBeGreaterThan(0);
    expect(own.body.items.every((i: { dealerId: string }) => i.dealerId === dealerA.id)).toBe(true);
    expect((await call('GET', `/invoices?dealerId=${dealerB.id}`, dealerUserA)).body.items).toEqual([]);
    expect((await call('GET', `/invoices/${a.number}`, dealerUserA)).status).toBe(200);
    expect((await call('GET', `/invoices/${b.number}`, dealerUserA)).status).toBe(404);

    const managerSouth = await twin.token('sales_manager', { userId: 'mgr-s', regions: ['CN-SOUTH'] });
    const south = await call('GET', `/invoices?limit=100&from=${b.invoice.issueDate}&to=${b.invoice.issueDate}`, managerSouth);
    expect(south.body.items.map((i: { number: string }) => i.number)).toContain(b.number);
    expect(south.body.items.every((i: { region: string }) => i.region === 'CN-SOUTH')).toBe(true);
    expect((await call('GET', `/invoices/${a.number}`, managerSouth)).status).toBe(404);
    // Dealers cannot void.
    expect((await call('POST', `/invoices/${a.number}/void`, dealerUserA, { reason: 'x' })).status).toBe(403);
  });

  it('gives a signed link to a generated file; delivered once files exist, 404 for a missing one', async () => {
    const withFile = await putInvoice({ dealerId: dealerA.id, withFile: true });
    const read = await call('GET', `/invoices/${withFile.number}`, finance);
    expect(read.body).toMatchObject({ eInvoiceStatus: 'delivered', files: ['invoice_pdf'] });
    const link = await call('GET', `/invoices/${withFile.number}/documents/invoice_pdf`, finance);
    expect(link.status, link.text).toBe(200);
    expect(link.body).toMatchObject({ kind: 'invoice_pdf', number: withFile.number, contentType: 'application/pdf' });
    expect(link.body.url).toMatch(/^https?:\/\//);
    expect((await call('GET', `/invoices/${withFile.number}/documents/invoice_xml`, finance)).status).toBe(404);
    expect((await call('GET', '/invoices/INV-1990-000001', finance)).status).toBe(404);
  });
});

describe('voiding', () => {
  it('issues gapless credit notes, voids the receivable and gives the exposure back, in one step', async () => {
    const dealer = await putActiveDealer('CN-EAST');
    const first = await putInvoice({ dealerId: dealer.id, net: 50_000 });
    const second = await putInvoice({ dealerId: dealer.id, net: 70_000 });
    expect((await creditCounters(dealer.id)).openReceivables).toBe(56_500 + 79_100);

    const v1 = await call('POST', `/invoices/${first.number}/void`, finance, { reason: '购方信息错误 wrong buyer' });
    expect(v1.status, v1.text).toBe(200);
    expect(v1.body).toMatchObject({ status: 'void', eInvoiceStatus: 'void', voidReason: '购方信息错误 wrong buyer', voidedBy: 'fin-inv-1', receivable: { status: 'void', open: 0 } });
    expect(v1.body.creditNoteNumber).toMatch(/^CN-\d{4}-\d{6}$/);
    expect(v1.body.creditNote).toMatchObject({ kind: 'credit_note', invoiceNumber: first.number, totals: { net: -50_000, vat: -6_500, gross: -56_500 } });
    expect(v1.body.creditNote.lines[0]).toMatchObject({ quantity: -1, lineNet: -50_000, vatAmount: -6_500, lineGross: -56_500 });
    expect((await getReceivable(first.number))!).toMatchObject({ status: 'void', open: 0, version: 2 });
    expect((await creditCounters(dealer.id)).openReceivables).toBe(79_100);

    const v2 = await call('POST', `/invoices/${second.number}/void`, finance, { reason: '重复开票 duplicate' });
    expect(v2.status).toBe(200);
    expect(sequenceOf(v2.body.creditNoteNumber)).toBe(sequenceOf(v1.body.creditNoteNumber) + 1);
    expect((await creditCounters(dealer.id)).openReceivables).toBe(0);

    const note = await call('GET', `/credit-notes/${v1.body.creditNoteNumber}`, finance);
    expect(note.status).toBe(200);
    expect(note.body).toMatchObject({ number: v1.body.creditNoteNumber, invoiceNumber: first.number, totals: { gross: -56_500 } });

    // The audit record holds the change, with the credit note number.
    const audit = await call('GET', `/audit-log?entityType=invoice&entityId=${first.number}`, await twin.token('auditor'));
    expect(audit.status, audit.text).toBe(200);
    const record = audit.body.items.find((r: { action: string }) => r.action === 'invoice.voided');
    expect(record.changes.creditNoteNumber).toEqual({ after: v1.body.creditNoteNumber });
    expect(record.changes.status).toEqual({ before: 'issued', after: 'void' });

    const again = await call('POST', `/invoices/${first.number}/void`, finance, { reason: 'again' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('invoice_void');
  });

  it('refuses an invoice with payments booked (409 invoice_has_payments) and changes nothing', async () => {
    const dealer = await putActiveDealer('CN-EAST');
    const paid = await putInvoice({ dealerId: dealer.id, net: 10_000, paid: 5_000 });
    const before = await creditCounters(dealer.id);
    const response = await call('POST', `/invoices/${paid.number}/void`, finance, { reason: 'too late' });
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('invoice_has_payments');
    expect((await getReceivable(paid.number))!).toMatchObject({ status: 'partially_paid', version: 1 });
    expect(await creditCounters(dealer.id)).toEqual(before);
    expect((await call('GET', `/invoices/${paid.number}`, finance)).body).toMatchObject({ status: 'issued' });
  });

  it('a paid invoice is voided only after its payment is reversed', async () => {
    const dealer = await putActiveDealer('CN-EAST');
    const invoice = await putInvoice({ dealerId: dealer.id, net: 20_000 });
    const payment = await call('POST', '/payments', finance, {
      dealerId: dealer.id,
      amount: 22_600,
      valueDate: invoice.invoice.issueDate,
      method: 'bank_transfer',
      bankReference: `VOID-${invoice.number}`,
    });
    expect(payment.status, payment.text).toBe(201);
    expect((await getReceivable(invoice.number))!.status).toBe('paid');
    const refused = await call('POST', `/invoices/${invoice.number}/void`, finance, { reason: '退货 return' });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('invoice_has_payments');

    const reversal = await call('POST', `/payments/${payment.body.id}/reversal`, finance, { reason: '发票作废前冲回 reverse before voiding' });
    expect(reversal.status, reversal.text).toBe(200);
    expect((await creditCounters(dealer.id)).openReceivables).toBe(22_600);
    const voided = await call('POST', `/invoices/${invoice.number}/void`, finance, { reason: '退货 return' });
    expect(voided.status, voided.text).toBe(200);
    expect(voided.body.receivable).toMatchObject({ status: 'void', paid: 0, open: 0 });
    expect((await creditCounters(dealer.id)).openReceivables).toBe(0);
  });

  it('concurrent voids of one invoice: exactly one credit note, numbers stay gapless', async () => {
    const dealer = await putActiveDealer('CN-EAST');
    const invoice = await putInvoice({ dealerId: dealer.id, net: 30_000 });
    const other = await putInvoice({ dealerId: dealer.id, net: 30_000 });
    const results = await Promise.all(Array.from({ length: 4 }, () => call('POST', `/invoices/${invoice.number}/void`, finance, { reason: 'race' })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(3);
    const winner = results.find((r) => r.status === 200)!.body.creditNoteNumber as string;
    const next = await call('POST', `/invoices/${other.number}/void`, finance, { reason: 'next' });
    expect(sequenceOf(next.body.creditNoteNumber)).toBe(sequenceOf(winner) + 1);
    expect((await creditCounters(dealer.id)).openReceivables).toBe(0);
  });
});
