import { monotonicFactory } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../domain/access/principal';
import { orderDocumentRenderer } from '../../functions/adapters/documents/order-document-files';
import { ordersRuntime, useDocumentRenderer } from '../../functions/adapters/orders-runtime';
import type { Dealer } from '../../domain/dealers/dealer';
import type { Order } from '../../domain/orders/order';
import type { Receivable } from '../../domain/credit/credit-profile';
import type { Payment } from '../../domain/finance/payment';
import { DEALER_ACCOUNTS } from '../../domain/finance/wallet';
import { addDays, businessDate } from '../../domain/shared/business-date';
import { allAccountEntries, dealerAccount } from '../../functions/adapters/dynamo/payment-store';
import { getReceivable } from '../../functions/adapters/dynamo/receivables';
import { dms } from '../../functions/adapters/dynamo/service';
import { ORDER_APPROVAL_WORKFLOW } from '../../functions/workflows/registry';
import { idempotencyKey, startTestTwin, type ApiResponse, type TestTwin } from '../support/twin';
import { createActiveDealer, createProducts, createWarehouse, creditCounters, putStock, setCredit, type TestProduct } from '../support/orders-world';
import { putReceivable } from '../support/fixtures/finance-payments';

/**
 * Receivables, payments with allocation and reversal, dealer accounts and auto-matching,
 * through the API on DynamoDB Local. After every scenario the dealer's books are checked:
 * Σ ledger entries = balance per account (each entry's balanceAfter is the running sum),
 * paid + open = amount per receivable, the exposure counter = Σ open, and every 分 paid on a
 * receivable came from a recorded payment's allocation or an account debit.
 */

let twin: TestTwin;
let admin: string;
let finance: string;
const dealersSeen: string[] = [];

async function call(method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
  return twin.request(method, path, { token, ...(body !== undefined ? { body } : {}), headers });
}
const post = (path: string, token: string, body?: unknown, key = idempotencyKey()) => call('POST', path, token, body, { 'idempotency-key': key });

const today = () => businessDate(new Date());
let refSequence = 0;
const bankRef = () => `CMB${Date.now()}${(refSequence += 1)}`;

/** `booksChecked`: false for dealers whose receivables are written already (partly) paid by the fixture. */
async function freshDealer(booksChecked = true): Promise<Dealer> {
  const dealer = await createActiveDealer('CN-EAST');
  await setCredit(dealer, { creditLimit: 100_000_000, paymentTermsDays: 30 });
  if (booksChecked) dealersSeen.push(dealer.id);
  return dealer;
}

function pay(dealer: Dealer, amount: number, extra: Record<string, unknown> = {}) {
  return post('/payments', finance, { dealerId: dealer.id, amount, currency: 'CNY', valueDate: today(), method: 'bank_transfer', bankReference: bankRef(), ...extra });
}

async function receivableOf(id: string): Promise<Receivable> {
  return (await getReceivable(id))!;
}

async function dealerReceivables(dealerId: string): Promise<Receivable[]> {
  const result = await dms().entities.receivable.query.byDealer({ dealerId }).go({ pages: 'all' });
  return result.data as unknown as Receivable[];
}

async function dealerPayments(dealerId: string): Promise<Payment[]> {
  const result = await dms().entities.payment.query.byDealer({ dealerId }).go({ pages: 'all' });
  return result.data as unknown as Payment[];
}

/** The invariants of one dealer's books (see the file comment). */
async function expectBooksBalance(dealerId: string): Promise<void> {
  const account = (await dealerAccount(dealerId))!;
  const entries = await allAccountEntries(dealerId);
  for (const which of DEALER_ACCOUNTS) {
    const mine = entries.filter((e) => e.account === which);
    let running = 0;
    for (const entry of mine) {
      running += entry.amount;
      expect(entry.balanceAfter, `${which} entry ${entry.id} balanceAfter`).toBe(running);
      expect(entry.balanceAfter).toBeGreaterThanOrEqual(0);
    }
    expect(account.balances[which], `${which} balance = Σ entries`).toBe(running);
  }
  const receivables = await dealerReceivables(dealerId);
  for (const r of receivables) {
    expect(r.paid + r.open, `receivable ${r.id}`).toBe(r.amount);
    expect(r.status).toBe(r.paid === 0 ? 'open' : r.paid === r.amount ? 'paid' : 'partially_paid');
  }
  const openTotal = receivables.reduce((sum, r) => sum + r.open, 0);
  expect((await creditCounters(dealerId)).openReceivables, 'exposure openReceivables = Σ open').toBe(openTotal);
  const paidTotal = receivables.reduce((sum, r) => sum + r.paid, 0);
  const fromPayments = (await dealerPayments(dealerId)).filter((p) => p.status === 'recorded').reduce((sum, p) => sum + p.allocated, 0);
  const fromAccounts = entries.filter((e) => e.kind === 'settlement' || e.kind === 'auto_match').reduce((sum, e) => sum - e.amount, 0);
  expect(paidTotal, 'every 分 paid has a source').toBe(fromPayments + fromAccounts);
}

beforeAll(async () => {
  twin = await startTestTwin();
  admin = await twin.token('admin');
  finance = await twin.token('finance', { userId: 'finance-payments' });
}, 60_000);

afterAll(async () => {
  // Whatever the scenarios did, every dealer's books still balance.
  for (const dealerId of dealersSeen) await expectBooksBalance(dealerId);
  await twin?.close();
});

describe('payments: allocation', () => {
  it('exact: pays the open receivables oldest due first, nothing to prepayment', async () => {
    const dealer = await freshDealer();
    const newer = await putReceivable(dealer, { amount: 20_000, dueDate: addDays(today(), 10) });
    const older = await putReceivable(dealer, { amount: 10_000, dueDate: addDays(today(), -5) });
    const response = await pay(dealer, 30_000);
    expect(response.status, response.text).toBe(201);
    expect(response.body).toMatchObject({
      status: 'recorded',
      allocations: [
        { invoiceNumber: older.id, amount: 10_000 },
        { invoiceNumber: newer.id, amount: 20_000 },
      ],
      allocated: 30_000,
      toPrepayment: 0,
    });
    expect(await receivableOf(older.id)).toMatchObject({ paid: 10_000, open: 0, status: 'paid', version: 2 });
    expect(await receivableOf(newer.id)).toMatchObject({ paid: 20_000, open: 0, status: 'paid' });
    expect((await creditCounters(dealer.id)).openReceivables).toBe(0);
    const read = await call('GET', `/payments/${response.body.id}`, finance);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(response.body);
    await expectBooksBalance(dealer.id);
  });

  it('partial: the oldest is paid, the next partly', async () => {
    const dealer = await freshDealer();
    const first = await putReceivable(dealer, { amount: 10_000, dueDate: addDays(today(), -40) });
    const second = await putReceivable(dealer, { amount: 20_000, dueDate: addDays(today(), -10) });
    const response = await pay(dealer, 15_000);
    expect(response.status, response.text).toBe(201);
    expect(response.body.allocations).toEqual([
      { invoiceNumber: first.id, amount: 10_000 },
      { invoiceNumber: second.id, amount: 5_000 },
    ]);
    expect(await receivableOf(second.id)).toMatchObject({ paid: 5_000, open: 15_000, status: 'partially_paid' });
    const view = await call('GET', `/receivables/${second.id}`, finance);
    expect(view.body).toMatchObject({ status: 'partially_paid', overdue: true, daysPastDue: 10 });
    expect((await creditCounters(dealer.id)).openReceivables).toBe(15_000);
    await expectBooksBalance(dealer.id);
  });

  it('over-payment: the rest goes to the prepayment account with a ledger entry; the dealer sees its balance and ledger', async () => {
    const dealer = await freshDealer();
    await putReceivable(dealer, { amount: 10_000, dueDate: addDays(today(), 5) });
    const response = await pay(dealer, 35_000);
    expect(response.status, response.text).toBe(201);
    expect(response.body).toMatchObject({ allocated: 10_000, toPrepayment: 25_000 });
    const dealerToken = await twin.token('dealer_admin', { userId: `da-${dealer.id}`, dealerId: dealer.id });
    const account = await call('GET', `/dealers/${dealer.id}/account`, dealerToken);
    expect(account.status, account.text).toBe(200);
    expect(account.body).toEqual({ dealerId: dealer.id, currency: 'CNY', balances: { prepayment: 25_000, deposit: 0, rebate: 0 } });
    const entries = await call('GET', `/dealers/${dealer.id}/account/entries`, dealerToken);
    expect(entries.body.items).toEqual([expect.objectContaining({ account: 'prepayment', amount: 25_000, balanceAfter: 25_000, kind: 'payment', paymentId: response.body.id })]);
    // The credit exposure subtracts the prepayment.
    const credit = await call('GET', `/dealers/${dealer.id}/credit`, finance);
    expect(credit.body).toMatchObject({ prepaymentBalance: 25_000, openReceivables: 0, exposure: -25_000 });
    // Another dealer sees none of it.
    const other = await freshDealer();
    const otherToken = await twin.token('dealer_admin', { userId: `da-${other.id}`, dealerId: other.id });
    expect((await call('GET', `/dealers/${dealer.id}/account`, otherToken)).status).toBe(404);
    expect((await call('GET', `/payments/${response.body.id}`, otherToken)).status).toBe(404);
    await expectBooksBalance(dealer.id);
  });

  it('explicit allocation: exactly as asked, validated', async () => {
    const dealer = await freshDealer();
    const older = await putReceivable(dealer, { amount: 10_000, dueDate: addDays(today(), -30) });
    const newer = await putReceivable(dealer, { amount: 20_000, dueDate: addDays(today(), 30) });
    const foreign = await putReceivable(await freshDealer(), { amount: 5_000 });
    const bad = await pay(dealer, 30_000, {
      allocations: [
        { invoiceNumber: newer.id, amount: 20_001 },
        { invoiceNumber: foreign.id, amount: 1 },
      ],
    });
    expect(bad.status, bad.text).toBe(400);
    expect(bad.body.errors.map((e: { code: string }) => e.code)).toEqual(['over_allocation', 'unknown_invoice']);
    const response = await pay(dealer, 30_000, { allocations: [{ invoiceNumber: newer.id, amount: 18_000 }] });
    expect(response.status, response.text).toBe(201);
    expect(response.body).toMatchObject({ allocations: [{ invoiceNumber: newer.id, amount: 18_000 }], allocated: 18_000, toPrepayment: 12_000 });
    expect(await receivableOf(older.id)).toMatchObject({ paid: 0, status: 'open' });
    expect(await receivableOf(newer.id)).toMatchObject({ paid: 18_000, open: 2_000, status: 'partially_paid' });
    await expectBooksBalance(dealer.id);
  });

  it('reversal: receivables reopen, prepayment and exposure return; twice is a 409; a spent prepayment blocks it', async () => {
    const dealer = await freshDealer();
    const r = await putReceivable(dealer, { amount: 10_000, dueDate: addDays(today(), -3) });
    const payment = (await pay(dealer, 16_000)).body as Payment;
    expect(payment.toPrepayment).toBe(6_000);
    const reversed = await post(`/payments/${payment.id}/reversal`, finance, { reason: '银行退票' });
    expect(reversed.status, reversed.text).toBe(200);
    expect(reversed.body).toMatchObject({ status: 'reversed', reversal: { reason: '银行退票', by: 'finance-payments' }, version: 2 });
    expect(await receivableOf(r.id)).toMatchObject({ paid: 0, open: 10_000, status: 'open' });
    expect((await dealerAccount(dealer.id))!.balances.prepayment).toBe(0);
    expect((await creditCounters(dealer.id)).openReceivables).toBe(10_000);
    const again = await post(`/payments/${payment.id}/reversal`, finance, { reason: 'again' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('payment_reversed');

    // Prepayment from a second payment is spent on the receivable; its reversal must fail.
    const second = (await pay(dealer, 4_000, { allocations: [{ invoiceNumber: r.id, amount: 1_000 }] })).body as Payment;
    expect(second.toPrepayment).toBe(3_000);
    const settled = await post(`/receivables/${r.id}/settlements`, finance, { account: 'prepayment', amount: 2_500 });
    expect(settled.status, settled.text).toBe(201);
    expect(settled.body).toMatchObject({ paid: 3_500, open: 6_500, status: 'partially_paid' });
    const blocked = await post(`/payments/${second.id}/reversal`, finance, { reason: 'returned' });
    expect(blocked.status, blocked.text).toBe(409);
    expect(blocked.body.code).toBe('insufficient_balance');
    expect((await call('GET', `/payments/${second.id}`, finance)).body.status).toBe('recorded');
    await expectBooksBalance(dealer.id);
  });
});

describe('payments: idempotency', () => {
  it('the same bank reference twice is one payment; different content is a 409', async () => {
    const dealer = await freshDealer();
    await putReceivable(dealer, { amount: 7_000 });
    const body = { dealerId: dealer.id, amount: 9_000, currency: 'CNY', valueDate: today(), method: 'bank_acceptance', bankReference: bankRef(), note: '承兑汇票' };
    const first = await post('/payments', finance, body);
    const second = await post('/payments', finance, body);
    expect(first.status, first.text).toBe(201);
    expect(second.status, second.text).toBe(201);
    expect(second.body).toEqual(first.body);
    const different = await post('/payments', finance, { ...body, amount: 9_001 });
    expect(different.status).toBe(409);
    expect(different.body.code).toBe('bank_reference_taken');
    expect(await dealerPayments(dealer.id)).toHaveLength(1);
    await expectBooksBalance(dealer.id);
  });

  it('10 concurrent identical payments (different Idempotency-Keys) book one', async () => {
    const dealer = await freshDealer();
    await putReceivable(dealer, { amount: 6_000, dueDate: addDays(today(), -1) });
    await putReceivable(dealer, { amount: 6_000, dueDate: addDays(today(), 1) });
    const body = { dealerId: dealer.id, amount: 10_000, currency: 'CNY', valueDate: today(), method: 'online', bankReference: bankRef() };
    const responses = await Promise.all(Array.from({ length: 10 }, () => post('/payments', finance, body)));
    for (const response of responses) expect(response.status, response.text).toBe(201);
    expect(new Set(responses.map((r) => r.body.id)).size).toBe(1);
    expect(await dealerPayments(dealer.id)).toHaveLength(1);
    expect((await creditCounters(dealer.id)).openReceivables).toBe(2_000);
    await expectBooksBalance(dealer.id);
  });

  it('concurrent different payments of one dealer all book, none double-counts', async () => {
    const dealer = await freshDealer();
    for (let i = 0; i < 3; i += 1) await putReceivable(dealer, { amount: 5_000, dueDate: addDays(today(), i) });
    const responses = await Promise.all(Array.from({ length: 6 }, () => pay(dealer, 4_000)));
    for (const response of responses) expect(response.status, response.text).toBe(201);
    // 24,000 paid against 15,000 open: 9,000 to prepayment.
    expect((await dealerAccount(dealer.id))!.balances.prepayment).toBe(9_000);
    expect((await creditCounters(dealer.id)).openReceivables).toBe(0);
    await expectBooksBalance(dealer.id);
  });
});

describe('dealer accounts', () => {
  it('deposits and rebates post signed entries, never below zero, and pay receivables', async () => {
    const dealer = await freshDealer();
    const posted = await post(`/dealers/${dealer.id}/account/entries`, finance, { account: 'deposit', amount: 50_000, reason: '保证金到账', reference: 'DEP-1' });
    expect(posted.status, posted.text).toBe(201);
    expect(posted.body.account.balances).toEqual({ prepayment: 0, deposit: 50_000, rebate: 0 });
    expect(posted.body.entry).toMatchObject({ account: 'deposit', amount: 50_000, balanceAfter: 50_000, kind: 'deposit', reference: 'DEP-1' });
    const rebate = await post(`/dealers/${dealer.id}/account/entries`, finance, { account: 'rebate', amount: 8_000, reason: '季度返利', reference: 'RB-Q1' });
    expect(rebate.status).toBe(201);
    const overdraw = await post(`/dealers/${dealer.id}/account/entries`, finance, { account: 'rebate', amount: -8_001, reason: '冲销', reference: 'RB-X' });
    expect(overdraw.status).toBe(409);
    expect(overdraw.body.code).toBe('insufficient_balance');
    const prepay = await post(`/dealers/${dealer.id}/account/entries`, finance, { account: 'prepayment', amount: 1, reason: 'x', reference: 'x' });
    expect(prepay.status).toBe(400);

    const r = await putReceivable(dealer, { amount: 10_000 });
    const fromRebate = await post(`/receivables/${r.id}/settlements`, finance, { account: 'rebate', amount: 8_000 });
    expect(fromRebate.status, fromRebate.text).toBe(201);
    const tooMuch = await post(`/receivables/${r.id}/settlements`, finance, { account: 'deposit', amount: 2_001 });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.code).toBe('over_allocation');
    const rest = await post(`/receivables/${r.id}/settlements`, finance, { account: 'deposit', amount: 2_000 });
    expect(rest.body).toMatchObject({ paid: 10_000, open: 0, status: 'paid' });
    const entries = await call('GET', `/dealers/${dealer.id}/account/entries?limit=2`, finance);
    expect(entries.body.items.map((e: { kind: string; amount: number }) => `${e.kind}:${e.amount}`)).toEqual(['settlement:-2000', 'settlement:-8000']);
    const next = await call('GET', `/dealers/${dealer.id}/account/entries?limit=2&cursor=${entries.body.nextCursor}`, finance);
    expect(next.body.items.map((e: { kind: string; amount: number }) => `${e.kind}:${e.amount}`)).toEqual(['rebate:8000', 'deposit:50000']);
    const deposits = await call('GET', `/dealers/${dealer.id}/account/entries?account=deposit`, finance);
    expect(deposits.body.items).toHaveLength(2);
    await expectBooksBalance(dealer.id);
  });
});

describe('receivables: lists and aging', () => {
  it('lists by dealer, status and due range; a dealer sees only its own; region scope applies', async () => {
    const dealer = await freshDealer(false);
    const a = await putReceivable(dealer, { amount: 1_000, dueDate: '2026-01-10' });
    const b = await putReceivable(dealer, { amount: 2_000, dueDate: '2026-01-20' });
    const c = await putReceivable(dealer, { amount: 3_000, dueDate: '2026-02-01', paid: 3_000 });
    const all = await call('GET', `/receivables?dealerId=${dealer.id}`, finance);
    expect(all.body.items.map((r: Receivable) => r.id).sort()).toEqual([a.id, b.id, c.id].sort());
    const open = await call('GET', `/receivables?dealerId=${dealer.id}&status=open&dueFrom=2026-01-10&dueTo=2026-01-10`, finance);
    expect(open.body.items.map((r: Receivable) => r.id)).toEqual([a.id]);
    const paid = await call('GET', `/receivables?dealerId=${dealer.id}&status=paid`, finance);
    expect(paid.body.items.map((r: Receivable) => r.id)).toEqual([c.id]);
    const ranged = await call('GET', `/receivables?dealerId=${dealer.id}&dueFrom=2026-01-15&dueTo=2026-02-01`, finance);
    expect(ranged.body.items.map((r: Receivable) => r.id).sort()).toEqual([b.id, c.id].sort());
    const acrossDealers = await call('GET', `/receivables?dueFrom=2026-01-20&dueTo=2026-01-20&limit=100`, finance);
    expect(acrossDealers.body.items.map((r: Receivable) => r.id)).toContain(b.id);
    const mine = await twin.token('dealer_user', { userId: `du-${dealer.id}`, dealerId: dealer.id });
    expect((await call('GET', '/receivables', mine)).body.items.map((r: Receivable) => r.id).sort()).toEqual([a.id, b.id, c.id].sort());
    expect((await call('GET', '/receivables?status=open', mine)).body.items.map((r: Receivable) => r.id)).toEqual([a.id, b.id]);
    const stranger = await twin.token('dealer_user', { userId: 'du-stranger', dealerId: (await freshDealer(false)).id });
    expect((await call('GET', `/receivables?dealerId=${dealer.id}`, stranger)).body.items).toEqual([]);
    expect((await call('GET', `/receivables/${a.id}`, stranger)).status).toBe(404);
    const south = await twin.token('sales_manager', { userId: 'mgr-south', regions: ['CN-SOUTH'] });
    expect((await call('GET', `/receivables/${a.id}`, south)).status).toBe(404);
    expect((await call('GET', `/receivables?dealerId=${dealer.id}`, south)).body.items).toEqual([]);
  });

  it('ages open receivables into the documented buckets as of a date', async () => {
    const dealer = await freshDealer(false);
    const asOf = '2026-06-30';
    await putReceivable(dealer, { amount: 100, dueDate: '2026-06-30', issueDate: '2026-05-31' }); // current (due today)
    await putReceivable(dealer, { amount: 200, dueDate: '2026-05-31', issueDate: '2026-05-01' }); // 30 days
    await putReceivable(dealer, { amount: 300, dueDate: '2026-05-30', issueDate: '2026-04-30' }); // 31 days
    await putReceivable(dealer, { amount: 400, dueDate: '2026-04-01', issueDate: '2026-03-01' }); // 90 days
    await putReceivable(dealer, { amount: 500, dueDate: '2026-03-31', issueDate: '2026-03-01', paid: 100 }); // 91 days, 400 open
    await putReceivable(dealer, { amount: 600, dueDate: '2026-03-01', issueDate: '2026-02-01', paid: 600 }); // paid: not aged
    await putReceivable(dealer, { amount: 700, dueDate: '2026-08-01', issueDate: '2026-07-02' }); // issued after asOf
    const response = await call('GET', `/receivables/aging?asOf=${asOf}&dealerId=${dealer.id}`, finance);
    expect(response.status, response.text).toBe(200);
    const row = { current: 100, d1_30: 200, d31_60: 300, d61_90: 400, d90_plus: 400, total: 1_400, count: 5 };
    expect(response.body).toEqual({ asOf, currency: 'CNY', dealers: [{ dealerId: dealer.id, ...row }], total: row });
    const everyone = await call('GET', `/receivables/aging?asOf=${asOf}`, finance);
    expect(everyone.body.dealers.find((d: { dealerId: string }) => d.dealerId === dealer.id)).toEqual({ dealerId: dealer.id, ...row });
    expect(everyone.body.total.total).toBe(everyone.body.dealers.reduce((sum: number, d: { total: number }) => sum + d.total, 0));
  });
});

describe('auto-match of advance payments', () => {
  let products: TestProduct[];

  beforeAll(async () => {
    const warehouse = (await createWarehouse('CN-EAST', 'WH-E-PAY')).code;
    products = await createProducts(1);
    await putStock(warehouse, products[0]!.sku, 10_000);
  });

  async function approvedOrder(dealer: Dealer): Promise<Order> {
    const token = await twin.token('dealer_admin', { userId: `da-${dealer.id}`, dealerId: dealer.id });
    const created = await post('/orders', token, { lines: [{ sku: products[0]!.sku, quantity: 2 }], submit: true });
    expect(created.status, created.text).toBe(201);
    const done = await twin.workflows.wait(twin.workflows.executionIdOf(ORDER_APPROVAL_WORKFLOW, created.body.id));
    expect(done.status).toBe('SUCCEEDED');
    const order = (await call('GET', `/orders/${created.body.id}`, admin)).body as Order;
    expect(order.status).toBe('approved');
    return order;
  }

  it('a prepayment pays the new invoice at once (partly), once', async () => {
    const dealer = await freshDealer();
    const advance = await pay(dealer, 1_000);
    expect(advance.body.toPrepayment).toBe(1_000);
    const order = await approvedOrder(dealer);
    const receivable = await receivableOf(order.invoiceNumber!);
    expect(order.totals.gross).toBeGreaterThan(1_000);
    expect(receivable).toMatchObject({ paid: 1_000, open: order.totals.gross - 1_000, status: 'partially_paid' });
    expect(receivable.autoMatchedAt).toBeDefined();
    expect((await dealerAccount(dealer.id))!.balances.prepayment).toBe(0);
    const entries = await allAccountEntries(dealer.id);
    expect(entries.filter((e) => e.kind === 'auto_match')).toEqual([expect.objectContaining({ amount: -1_000, balanceAfter: 0, invoiceNumber: order.invoiceNumber })]);

    // A retried IssueInvoice task (with new prepayment meanwhile) applies nothing again.
    const other = await putReceivable(dealer, { amount: 100 });
    expect((await pay(dealer, 600, { allocations: [{ invoiceNumber: other.id, amount: 100 }] })).body.toPrepayment).toBe(500);
    useDocumentRenderer(orderDocumentRenderer());
    const newId = monotonicFactory();
    const system: Principal = { userId: 'workflow:test', username: 'workflow', roles: ['system'], regions: [], permissions: new Set(), scope: 'all' };
    await ordersRuntime().orders.issueInvoice({ principal: system, requestId: 'retried-task', now: new Date(), newId: () => newId() }, order.id);
    expect(await receivableOf(order.invoiceNumber!)).toMatchObject({ paid: 1_000 });
    expect((await dealerAccount(dealer.id))!.balances.prepayment).toBe(500);
    await expectBooksBalance(dealer.id);
  }, 30_000);

  it('a prepayment larger than the invoice pays it in full and keeps the rest', async () => {
    const dealer = await freshDealer();
    await pay(dealer, 100_000_000);
    const order = await approvedOrder(dealer);
    expect(await receivableOf(order.invoiceNumber!)).toMatchObject({ paid: order.totals.gross, open: 0, status: 'paid' });
    expect((await dealerAccount(dealer.id))!.balances.prepayment).toBe(100_000_000 - order.totals.gross);
    expect((await creditCounters(dealer.id)).openReceivables).toBe(0);
    await expectBooksBalance(dealer.id);
  }, 30_000);
});

