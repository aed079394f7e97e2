import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dealer } from '../../domain/dealers/dealer';
import { allAccountEntries, dealerAccount } from '../../functions/adapters/dynamo/payment-store';
import { putActiveDealer } from '../support/orders-world';
import { idempotencyKey, startTestTwin, type ApiResponse, type TestTwin } from '../support/twin';

/** Payables owed to dealers: record, four-eyes approval, settlement to the account or the bank. */

let twin: TestTwin;
let clerk: string;
let approver: string;
let dealer: Dealer;
let other: Dealer;

async function call(method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
  return twin.request(method, path, { token, ...(body !== undefined ? { body } : {}), headers });
}

async function record(body: Record<string, unknown>, token = clerk): Promise<ApiResponse> {
  const response = await call('POST', '/payables', token, { currency: 'CNY', reason: '季度返利 Q1 rebate', reference: `RB-${Math.random()}`, ...body }, { 'idempotency-key': idempotencyKey() });
  expect(response.status, response.text).toBe(201);
  return response;
}

async function approved(body: Record<string, unknown>): Promise<{ id: string; etag: string }> {
  const created = await record(body);
  const response = await call('POST', `/payables/${created.body.id}/approval`, approver, undefined, { 'if-match': created.headers.get('etag')! });
  expect(response.status, response.text).toBe(200);
  return { id: created.body.id, etag: response.headers.get('etag')! };
}

beforeAll(async () => {
  twin = await startTestTwin();
  clerk = await twin.token('finance', { userId: 'ap-clerk' });
  approver = await twin.token('finance', { userId: 'ap-approver' });
  dealer = await putActiveDealer('CN-EAST');
  other = await putActiveDealer('CN-SOUTH');
}, 60_000);

afterAll(async () => {
  await twin?.close();
});

describe('payables', () => {
  it('records idempotently, refuses the creator as approver, settles a rebate to the rebate account once', async () => {
    const key = idempotencyKey();
    const body = { dealerId: dealer.id, kind: 'rebate', amount: 150_000, currency: 'CNY', reason: '年度返利 annual rebate', reference: 'RB-2026-ANNUAL', dueDate: '2026-06-30' };
    const created = await call('POST', '/payables', clerk, body, { 'idempotency-key': key });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ status: 'draft', kind: 'rebate', amount: 150_000, createdBy: 'ap-clerk', region: 'CN-EAST', version: 1 });
    const replay = await call('POST', '/payables', clerk, body, { 'idempotency-key': key });
    expect(replay.body.id).toBe(created.body.id);
    const id = created.body.id as string;

    const own = await call('POST', `/payables/${id}/approval`, clerk, undefined, { 'if-match': '"1"' });
    expect(own.status).toBe(403);
    expect(own.body.code).toBe('own_payable');

    const stale = await call('POST', `/payables/${id}/approval`, approver, undefined, { 'if-match': '"7"' });
    expect(stale.status).toBe(412);

    const ok = await call('POST', `/payables/${id}/approval`, approver, undefined, { 'if-match': '"1"' });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body).toMatchObject({ status: 'approved', approvedBy: 'ap-approver', version: 2 });
    expect((await call('POST', `/payables/${id}/approval`, approver, undefined, { 'if-match': '"2"' })).body.code).toBe('payable_not_draft');

    const before = (await dealerAccount(dealer.id))!.balances;
    const settled = await call('POST', `/payables/${id}/settlement`, approver, { method: 'account_credit' }, { 'if-match': '"2"' });
    expect(settled.status, settled.text).toBe(200);
    expect(settled.body).toMatchObject({ status: 'settled', settledBy: 'ap-approver', settlement: { method: 'account_credit', account: 'rebate' }, version: 3 });
    const after = (await dealerAccount(dealer.id))!.balances;
    expect(after.rebate - before.rebate).toBe(150_000);
    expect(after.prepayment).toBe(before.prepayment);
    const entries = await allAccountEntries(dealer.id);
    const entry = entries.find((e) => e.id === settled.body.settlement.accountEntryId)!;
    expect(entry).toMatchObject({ account: 'rebate', amount: 150_000, balanceAfter: after.rebate, kind: 'rebate', reference: id });
    // Σ entries of the account = its balance.
    expect(entries.filter((e) => e.account === 'rebate').reduce((s, e) => s + e.amount, 0)).toBe(after.rebate);

    const again = await call('POST', `/payables/${id}/settlement`, approver, { method: 'account_credit' }, { 'if-match': '"3"' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('payable_not_approved');
    expect((await dealerAccount(dealer.id))!.balances.rebate).toBe(after.rebate);
  });

  it('credits refunds and commissions to prepayment; a bank payout needs the bank reference', async () => {
    const refund = await approved({ dealerId: dealer.id, kind: 'refund', amount: 33_300 });
    const before = (await dealerAccount(dealer.id))!.balances.prepayment;
    const settled = await call('POST', `/payables/${refund.id}/settlement`, approver, { method: 'account_credit' }, { 'if-match': refund.etag });
    expect(settled.body.settlement).toMatchObject({ method: 'account_credit', account: 'prepayment' });
    expect((await dealerAccount(dealer.id))!.balances.prepayment - before).toBe(33_300);

    const commission = await approved({ dealerId: dealer.id, kind: 'commission', amount: 5_000 });
    const missing = await call('POST', `/payables/${commission.id}/settlement`, approver, { method: 'bank_payout' }, { 'if-match': commission.etag });
    expect(missing.status).toBe(400);
    const beforeBank = (await dealerAccount(dealer.id))!.balances;
    const paid = await call('POST', `/payables/${commission.id}/settlement`, approver, { method: 'bank_payout', bankReference: 'ICBC-20260501-001' }, { 'if-match': commission.etag });
    expect(paid.status, paid.text).toBe(200);
    expect(paid.body.settlement).toEqual({ method: 'bank_payout', bankReference: 'ICBC-20260501-001' });
    expect((await dealerAccount(dealer.id))!.balances).toEqual(beforeBank);
  });

  it('concurrent settlements of one payable credit the account exactly once', async () => {
    const payable = await approved({ dealerId: dealer.id, kind: 'rebate', amount: 7_700 });
    const before = (await dealerAccount(dealer.id))!.balances.rebate;
    const results = await Promise.all(
      Array.from({ length: 4 }, () => call('POST', `/payables/${payable.id}/settlement`, approver, { method: 'account_credit' }, { 'if-match': payable.etag })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.every((r) => r.status === 200 || r.status === 412 || r.status === 409)).toBe(true);
    expect((await dealerAccount(dealer.id))!.balances.rebate - before).toBe(7_700);
  });

  it('cancels drafts and approved ones, never settled ones', async () => {
    const draft = await record({ dealerId: dealer.id, kind: 'rebate', amount: 100 });
    const cancelled = await call('POST', `/payables/${draft.body.id}/cancellation`, clerk, { reason: '重复 duplicate' }, { 'if-match': '"1"' });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: '重复 duplicate', cancelledBy: 'ap-clerk' });
    expect((await call('POST', `/payables/${draft.body.id}/approval`, approver, undefined, { 'if-match': '"2"' })).status).toBe(409);

    const settledOne = await approved({ dealerId: dealer.id, kind: 'commission', amount: 100 });
    await call('POST', `/payables/${settledOne.id}/settlement`, approver, { method: 'bank_payout', bankReference: 'X-1' }, { 'if-match': settledOne.etag });
    const refused = await call('POST', `/payables/${settledOne.id}/cancellation`, clerk, { reason: 'late' }, { 'if-match': '"3"' });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('payable_closed');
  });

  it('lists by dealer, status and kind; dealers see only their own; bad input is a 4xx', async () => {
    const d = await putActiveDealer('CN-EAST');
    const a = await record({ dealerId: d.id, kind: 'rebate', amount: 1_000 });
    const b = await record({ dealerId: d.id, kind: 'refund', amount: 2_000 });
    await call('POST', `/payables/${b.body.id}/approval`, approver, undefined, { 'if-match': '"1"' });
    const otherPayable = await record({ dealerId: other.id, kind: 'rebate', amount: 3_000 });

    const all = await call('GET', `/payables?dealerId=${d.id}`, clerk);
    expect(all.body.items.map((p: { id: string }) => p.id)).toEqual([b.body.id, a.body.id]);
    expect((await call('GET', `/payables?dealerId=${d.id}&kind=refund`, clerk)).body.items.map((p: { id: string }) => p.id)).toEqual([b.body.id]);
    expect((await call('GET', `/payables?dealerId=${d.id}&status=draft`, clerk)).body.items.map((p: { id: string }) => p.id)).toEqual([a.body.id]);
    const approvedQueue = await call('GET', '/payables?status=approved&limit=100', clerk);
    expect(approvedQueue.body.items.map((p: { id: string }) => p.id)).toContain(b.body.id);
    expect(approvedQueue.body.items.every((p: { status: string }) => p.status === 'approved')).toBe(true);
    const everything = await call('GET', '/payables?limit=100', clerk);
    expect(everything.body.items.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining([a.body.id, otherPayable.body.id]));

    const dealerAdmin = await twin.token('dealer_admin', { userId: 'd-admin', dealerId: d.id });
    const mine = await call('GET', '/payables?limit=100', dealerAdmin);
    expect(mine.body.items.map((p: { id: string }) => p.id).sort()).toEqual([a.body.id, b.body.id].sort());
    expect((await call('GET', `/payables?dealerId=${other.id}`, dealerAdmin)).body.items).toEqual([]);
    expect((await call('GET', `/payables/${otherPayable.body.id}`, dealerAdmin)).status).toBe(404);
    expect((await call('GET', `/payables/${a.body.id}`, dealerAdmin)).status).toBe(200);
    expect((await call('POST', '/payables', dealerAdmin, { dealerId: d.id, kind: 'rebate', amount: 1, reason: 'x', reference: 'y' }, { 'idempotency-key': idempotencyKey() })).status).toBe(403);

    const post = (body: unknown) => call('POST', '/payables', clerk, body, { 'idempotency-key': idempotencyKey() });
    expect((await post({ dealerId: d.id, kind: 'rebate', amount: 0, reason: 'x', reference: 'y' })).status).toBe(400);
    expect((await post({ dealerId: d.id, kind: 'bonus', amount: 10, reason: 'x', reference: 'y' })).status).toBe(400);
    expect((await post({ dealerId: d.id, kind: 'rebate', amount: 10, reason: 'x', reference: 'y', extra: 1 })).status).toBe(400);
    expect((await post({ dealerId: '01ARZ3NDEKTSV4RRFFQ69G5FAV', kind: 'rebate', amount: 10, reason: 'x', reference: 'y' })).status).toBe(404);
  });
});
