import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestContext } from '../../domain/audit/audit-entry';
import type { Receivable } from '../../domain/credit/credit-profile';
import type { Order } from '../../domain/orders/order';
import { addDays, businessDate } from '../../domain/shared/business-date';
import { CREDIT_SCHEDULER, reevaluateAllDealers, reviewCreditHolds } from '../../functions/adapters/credit-runtime';
import { exposureChange, receivableCreate } from '../../functions/adapters/dynamo/credit-repository';
import { writeTransaction } from '../../functions/adapters/dynamo/transaction';
import { createActiveDealer, createProducts, createWarehouse, putStock, setCredit, type TestProduct } from '../support/orders-world';
import { idempotencyKey, startTestTwin, type ApiResponse, type TestTwin } from '../support/twin';

/**
 * Credit management through the API and the scheduled entry points, on DynamoDB Local: limit
 * change requests and their approval, the PUT that no longer sets limits, on-demand evaluation
 * with history, the monthly re-evaluation's idempotency, and automatic credit holds routing the
 * next order to finance.
 */

let twin: TestTwin;
let admin: string;
let finance: string;
let finance2: string;
let warehouse: string;
let products: TestProduct[];

beforeAll(async () => {
  twin = await startTestTwin();
  admin = await twin.token('admin', { userId: 'cm-admin' });
  finance = await twin.token('finance', { userId: 'cm-finance-1' });
  finance2 = await twin.token('finance', { userId: 'cm-finance-2' });
  warehouse = (await createWarehouse('CN-EAST')).code;
  products = await createProducts(1);
  await putStock(warehouse, products[0]!.sku, 10_000);
}, 60_000);
afterAll(() => twin?.close());

const post = (path: string, token: string, body?: unknown, idempotent = true): Promise<ApiResponse> =>
  twin.request('POST', path, { token, ...(body !== undefined ? { body } : {}), headers: idempotent ? { 'idempotency-key': idempotencyKey() } : {} });
const get = (path: string, token = admin) => twin.request('GET', path, { token });
const trail = async (entityType: string, entityId: string) =>
  (await get(`/audit-log?${new URLSearchParams({ entityType, entityId, limit: '20' })}`)).body.items as { action: string; actorId: string; changes: Record<string, unknown> }[];

function systemContext(now = new Date()): RequestContext {
  return { principal: CREDIT_SCHEDULER, requestId: `test-${ulid()}`, now, newId: () => ulid() };
}

let invoiceSequence = 0;
function receivable(dealerId: string, overrides: Partial<Receivable> = {}): Receivable {
  invoiceSequence += 1;
  const number = `INV-C${Date.now().toString(36).toUpperCase()}-${String(invoiceSequence).padStart(6, '0')}`;
  const at = new Date().toISOString();
  const amount = overrides.amount ?? 100_000;
  const today = businessDate(new Date());
  return {
    id: number,
    invoiceNumber: number,
    orderId: ulid(),
    orderNumber: `SO-2026-${String(invoiceSequence).padStart(6, '0')}`,
    dealerId,
    region: 'CN-EAST',
    currency: 'CNY',
    amount,
    paid: 0,
    open: amount,
    issueDate: addDays(today, -70),
    dueDate: addDays(today, -40),
    status: 'open',
    createdAt: at,
    updatedAt: at,
    version: 1,
    ...overrides,
  };
}

async function book(dealerId: string, receivables: Receivable[]): Promise<void> {
  const open = receivables.reduce((sum, r) => sum + r.open, 0);
  await writeTransaction((entities) => [...receivables.map((r) => receivableCreate(entities, r)), exposureChange(entities, dealerId, { openReceivables: open })], () => undefined);
}

describe('credit limit change requests', () => {
  it('a sales manager requests, finance approves: the limit is set and audited with old and new value', async () => {
    const dealer = await createActiveDealer('CN-EAST');
    await setCredit(dealer, { creditLimit: 1_000_000 });
    const manager = await twin.token('sales_manager', { userId: 'cm-sm-east', regions: ['CN-EAST'] });
    const requested = await post(`/dealers/${dealer.id}/credit/limit-requests`, manager, { newLimit: 5_000_000, reason: '旺季备货 peak season' });
    expect(requested.status, requested.text).toBe(201);
    expect(requested.body).toMatchObject({ status: 'pending', currentLimit: 1_000_000, newLimit: 5_000_000, requestedBy: 'cm-sm-east', source: 'manual' });
    // Nothing changes before the decision.
    expect((await get(`/dealers/${dealer.id}/credit`)).body.creditLimit).toBe(1_000_000);

    const decision = await post(`/dealers/${dealer.id}/credit/limit-requests/${requested.body.id}/decision`, finance, { decision: 'approve', comment: '同意' }, false);
    expect(decision.status, decision.text).toBe(200);
    expect(decision.body).toMatchObject({ status: 'approved', decidedBy: 'cm-finance-1', previousLimit: 1_000_000, decisionComment: '同意' });
    const credit = await get(`/dealers/${dealer.id}/credit`);
    expect(credit.body).toMatchObject({ creditLimit: 5_000_000, version: 2 });

    const creditTrail = await trail('dealer_credit', dealer.id);
    expect(creditTrail).toHaveLength(1);
    expect(creditTrail[0]).toMatchObject({ action: 'dealer_credit.limit_changed', actorId: 'cm-finance-1', changes: { creditLimit: { before: 1_000_000, after: 5_000_000 } } });
    const requestTrail = await trail('credit_limit_request', requested.body.id);
    expect(requestTrail.map((r) => r.action)).toEqual(['credit_limit_request.approved', 'credit_limit_request.created']);
    expect(requestTrail[0]!.changes.status).toEqual({ before: 'pending', after: 'approved' });

    // Decided once: a second decision is 409 and changes nothing.
    const again = await post(`/dealers/${dealer.id}/credit/limit-requests/${requested.body.id}/decision`, finance2, { decision: 'reject', comment: '晚了' }, false);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('limit_request_decided');

    const list = await get(`/dealers/${dealer.id}/credit/limit-requests`, manager);
    expect(list.status).toBe(200);
    expect(list.body.items.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual([[requested.body.id, 'approved']]);
  });

  it('reject needs a comment and leaves the limit; the requester cannot decide; sales and dealers cannot approve; dealers cannot request', async () => {
    const dealer = await createActiveDealer('CN-EAST');
    await setCredit(dealer, { creditLimit: 2_000_000 });
    const requested = await post(`/dealers/${dealer.id}/credit/limit-requests`, finance, { newLimit: 3_000_000, reason: '回款良好' });
    expect(requested.status, requested.text).toBe(201);
    const decide = (token: string, body: unknown) => post(`/dealers/${dealer.id}/credit/limit-requests/${requested.body.id}/decision`, token, body, false);

    const own = await decide(finance, { decision: 'approve' });
    expect(own.status).toBe(403);
    expect(own.body.code).toBe('own_request');
    const director = await twin.token('sales_director', { userId: 'cm-director' });
    expect((await decide(director, { decision: 'approve' })).status).toBe(403);
    const noComment = await decide(finance2, { decision: 'reject' });
    expect(noComment.status).toBe(400);
    expect(noComment.body.errors).toEqual([expect.objectContaining({ path: 'comment', code: 'comment_required' })]);

    const rejected = await decide(finance2, { decision: 'reject', comment: '逾期记录较多' });
    expect(rejected.status, rejected.text).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', decidedBy: 'cm-finance-2' });
    expect((await get(`/dealers/${dealer.id}/credit`)).body.creditLimit).toBe(2_000_000);
    expect(await trail('dealer_credit', dealer.id)).toEqual([]);

    const dealerAdmin = await twin.token('dealer_admin', { userId: 'cm-da', dealerId: dealer.id });
    expect((await post(`/dealers/${dealer.id}/credit/limit-requests`, dealerAdmin, { newLimit: 9_000_000, reason: '想要更多' })).status).toBe(403);
    // A manager of another region does not see the dealer at all.
    const north = await twin.token('sales_manager', { userId: 'cm-sm-north', regions: ['CN-NORTH'] });
    expect((await post(`/dealers/${dealer.id}/credit/limit-requests`, north, { newLimit: 9_000_000, reason: '跨区' })).status).toBe(404);
  });

  it('concurrent decisions: exactly one wins, the limit is set once', async () => {
    const dealer = await createActiveDealer('CN-EAST');
    await setCredit(dealer, { creditLimit: 0 });
    const requested = await post(`/dealers/${dealer.id}/credit/limit-requests`, admin, { newLimit: 7_000_000, reason: '新客户授信' });
    expect(requested.status).toBe(201);
    const deciders = await Promise.all([1, 2, 3, 4].map((i) => twin.token('finance', { userId: `cm-race-${i}` })));
    const outcomes = await Promise.all(
      deciders.map((token, i) => post(`/dealers/${dealer.id}/credit/limit-requests/${requested.body.id}/decision`, token, i % 2 ? { decision: 'approve' } : { decision: 'reject', comment: '不同意' }, false)),
    );
    expect(outcomes.map((o) => o.status).sort()).toEqual([200, 409, 409, 409]);
    const winner = outcomes.find((o) => o.status === 200)!;
    const credit = await get(`/dealers/${dealer.id}/credit`);
    expect(credit.body.creditLimit).toBe(winner.body.status === 'approved' ? 7_000_000 : 0);
    expect(await trail('credit_limit_request', requested.body.id)).toHaveLength(2);
  });

  it('PUT /credit no longer sets the limit or the prepayment balance (400 naming the field); it still lifts holds, audited', async () => {
    const dealer = await createActiveDealer('CN-EAST');
    await setCredit(dealer, { creditLimit: 1_000_000, creditHold: true, creditHoldReason: '人工冻结' });
    const put = (body: unknown) => twin.request('PUT', `/dealers/${dealer.id}/credit`, { token: finance, body, headers: { 'if-match': '"1"' } });
    const limit = await put({ creditLimit: 9_000_000 });
    expect(limit.status).toBe(400);
    expect(limit.body.errors).toEqual([expect.objectContaining({ path: 'body/creditLimit', message: expect.stringContaining('/credit/limit-requests') })]);
    const prepayment = await put({ prepaymentBalance: 1 });
    expect(prepayment.status).toBe(400);
    expect(prepayment.body.errors).toEqual([expect.objectContaining({ path: 'body/prepaymentBalance' })]);

    const lifted = await put({ creditHold: false });
    expect(lifted.status, lifted.text).toBe(200);
    expect(lifted.body).toMatchObject({ creditHold: false, creditLimit: 1_000_000 });
    const records = await trail('dealer_credit', dealer.id);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ action: 'dealer_credit.updated', actorId: 'cm-finance-1', changes: { creditHold: { before: true, after: false }, creditHoldReason: { before: '人工冻结' } } });
  });
});

describe('credit evaluation', () => {
  it('evaluates on demand with the explanation, keeps the history, applies payment terms and files a limit request', async () => {
    const dealer = await createActiveDealer('CN-EAST', { createdAt: new Date(Date.now() - 400 * 86_400_000).toISOString() });
    await setCredit(dealer, { creditLimit: 1_000_000, paymentTermsDays: 30 });
    const today = businessDate(new Date());
    await book(dealer.id, [
      // Paid five days before its due date (the payment's instant, as payments record it).
      receivable(dealer.id, { amount: 3_000_000, paid: 3_000_000, open: 0, status: 'paid', issueDate: addDays(today, -150), dueDate: addDays(today, -120), lastPaymentAt: `${addDays(today, -125)}T02:00:00.000Z` } as Partial<Receivable>),
      receivable(dealer.id, { amount: 4_000_000, open: 4_000_000, issueDate: addDays(today, -20), dueDate: addDays(today, 10) }),
    ]);
    const response = await post(`/dealers/${dealer.id}/credit/evaluate`, finance);
    expect(response.status, response.text).toBe(201);
    const evaluation = response.body;
    expect(evaluation.factors.map((f: { factor: string }) => f.factor)).toEqual(['punctuality', 'dso', 'overdue', 'tenure', 'volume', 'growth']);
    expect(evaluation.factors.reduce((s: number, f: { points: number }) => s + f.points, 0)).toBe(evaluation.score);
    expect(evaluation.inputs).toMatchObject({ paidReceivables: 1, paidOnTime: 1, revenueLast12Months: 7_000_000, revenueLast90Days: 4_000_000, openReceivables: 4_000_000, tenureMonths: 13 });
    for (const f of evaluation.factors) expect(f.explanation.length).toBeGreaterThan(10);
    expect(evaluation.policy.paymentTermsDays).toBeTypeOf('number');

    const credit = await get(`/dealers/${dealer.id}/credit`);
    expect(credit.body.creditRating).toEqual({ rating: evaluation.rating, score: evaluation.score, evaluatedAt: evaluation.evaluatedAt, evaluationId: evaluation.id });
    expect(credit.body.paymentTermsDays).toBe(evaluation.policy.paymentTermsDays);
    // The limit itself is untouched; the suggestion became a pending request when it differs.
    expect(credit.body.creditLimit).toBe(1_000_000);
    expect(evaluation.suggestedLimit).not.toBe(1_000_000);
    expect(evaluation.limitRequest).toMatchObject({ status: 'pending', source: 'evaluation', newLimit: evaluation.suggestedLimit, evaluationId: evaluation.id });

    const records = await trail('dealer_credit', dealer.id);
    expect(records[0]).toMatchObject({ action: 'dealer_credit.evaluated', actorId: 'cm-finance-1' });
    expect(records[0]!.changes.creditRating).toEqual({ after: credit.body.creditRating });

    // A second evaluation: history newest first, no second limit request while one is pending.
    const second = await post(`/dealers/${dealer.id}/credit/evaluate`, finance2);
    expect(second.status).toBe(201);
    expect(second.body.limitRequest).toBeUndefined();
    const history = await get(`/dealers/${dealer.id}/credit/evaluations`);
    expect(history.body.items.map((e: { id: string }) => e.id)).toEqual([second.body.id, evaluation.id]);
    const requests = await get(`/dealers/${dealer.id}/credit/limit-requests`);
    expect(requests.body.items).toHaveLength(1);

    const dealerUser = await twin.token('dealer_admin', { userId: 'cm-eval-da', dealerId: dealer.id });
    expect((await post(`/dealers/${dealer.id}/credit/evaluate`, dealerUser)).status).toBe(403);
  });

  it('the monthly run evaluates each dealer once per month', async () => {
    const dealer = await createActiveDealer('CN-EAST');
    const date = businessDate(new Date());
    const first = await reevaluateAllDealers(systemContext(), date);
    expect(first.failed).toEqual([]);
    expect(first.evaluated).toBeGreaterThanOrEqual(1);
    const second = await reevaluateAllDealers(systemContext(), date);
    expect(second.evaluated).toBe(0);
    expect(second.skipped).toBe(first.evaluated + first.skipped);
    const history = await get(`/dealers/${dealer.id}/credit/evaluations`);
    expect(history.body.items).toHaveLength(1);
    expect(history.body.items[0]).toMatchObject({ trigger: 'monthly', evaluatedBy: 'system:credit', asOf: date });
  });
});

describe('credit holds', () => {
  it('an overdue dealer goes on hold (audited, reason names amount and days) and its next order routes to finance', async () => {
    const dealer = await createActiveDealer('CN-EAST');
    await setCredit(dealer, { creditLimit: 500_000_000 });
    const current = await createActiveDealer('CN-EAST');
    await setCredit(current, { creditLimit: 500_000_000 });
    const today = businessDate(new Date());
    await book(dealer.id, [receivable(dealer.id, { amount: 1_234_500, open: 1_234_500, dueDate: addDays(today, -45) })]);
    // Exactly 30 days overdue is not more than 30: no hold.
    await book(current.id, [receivable(current.id, { amount: 99_900, open: 99_900, dueDate: addDays(today, -30) })]);

    const holds = await reviewCreditHolds(systemContext(), today);
    const mine = holds.filter((h) => h.dealerId === dealer.id || h.dealerId === current.id);
    expect(mine).toEqual([
      {
        dealerId: dealer.id,
        region: 'CN-EAST',
        currency: 'CNY',
        overdueAmount: 1_234_500,
        oldestDueDate: addDays(today, -45),
        overdueDays: 45,
        reason: '逾期欠款 ¥12,345.00，最长逾期 45 天（超过 30 天）Overdue debt ¥12,345.00, oldest 45 days past due (more than 30)',
      },
    ]);
    const credit = await get(`/dealers/${dealer.id}/credit`);
    expect(credit.body).toMatchObject({ creditHold: true, creditHoldReason: mine[0]!.reason });
    const records = await trail('dealer_credit', dealer.id);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ action: 'dealer_credit.hold_placed', actorId: 'system:credit', changes: { creditHold: { before: false, after: true } } });
    // A second review the same day places nothing new.
    expect((await reviewCreditHolds(systemContext(), today)).filter((h) => h.dealerId === dealer.id)).toEqual([]);

    const token = await twin.token('dealer_admin', { userId: `cm-order-${dealer.id}`, dealerId: dealer.id });
    const created = await post('/orders', token, { lines: [{ sku: products[0]!.sku, quantity: 1 }], submit: true });
    expect(created.status, created.text).toBe(201);
    const order: Order = created.body;
    expect(order.credit?.onCreditHold).toBe(true);
    const financeStep = order.approvalSteps.find((s) => s.role === 'finance');
    expect(financeStep, JSON.stringify(order.approvalSteps)).toBeDefined();
    expect(financeStep!.reasons).toContain('dealer on credit hold');
    expect(order.credit?.reasons).toContain(`dealer on credit hold: ${mine[0]!.reason}`);

    // Finance lifts the hold (audited); the next review puts it back while the debt is overdue.
    const lifted = await twin.request('PUT', `/dealers/${dealer.id}/credit`, { token: finance, body: { creditHold: false }, headers: { 'if-match': credit.headers.get('etag')! } });
    expect(lifted.status, lifted.text).toBe(200);
    expect((await trail('dealer_credit', dealer.id))[0]).toMatchObject({ action: 'dealer_credit.updated', changes: { creditHold: { before: true, after: false } } });
  });
});
