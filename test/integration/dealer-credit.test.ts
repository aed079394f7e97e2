import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Receivable } from '../../domain/credit/credit-profile';
import { addDays, businessDate } from '../../domain/shared/business-date';
import {
  exposureChange,
  getCreditProfile,
  getReceivable,
  listReceivables,
  overdueSummary,
  receivableCreate,
  receivableVoid,
} from '../../functions/adapters/dynamo/credit-repository';
import { dms } from '../../functions/adapters/dynamo/service';
import { writeTransaction, type CancellationReason } from '../../functions/adapters/dynamo/transaction';
import { idempotencyKey, newDealerInput, startTestTwin, type TestTwin } from '../support/twin';

/**
 * Credit profiles through the API (default terms, If-Match updates, audit, object-level rules)
 * and the transaction items the order and invoice code uses (exposure counters under
 * concurrency, receivables and the overdue summary), against DynamoDB Local.
 */

let twin: TestTwin;
let admin: string;
let finance: string;

beforeAll(async () => {
  twin = await startTestTwin();
  admin = await twin.token('admin', { userId: 'credit-admin' });
  finance = await twin.token('finance', { userId: 'credit-finance' });
});
afterAll(() => twin?.close());

async function dealer(region = 'CN-EAST'): Promise<{ id: string; region: string; createdAt: string }> {
  const response = await twin.request('POST', '/dealers', { token: admin, body: newDealerInput({ region }), headers: { 'idempotency-key': idempotencyKey() } });
  expect(response.status, response.text).toBe(201);
  return { id: response.body.id, region, createdAt: response.body.createdAt };
}

const creditPath = (dealerId: string) => `/dealers/${dealerId}/credit`;
const today = () => businessDate(new Date());

let invoiceSequence = 0;
function receivable(dealerId: string, overrides: Partial<Receivable> = {}): Receivable {
  invoiceSequence += 1;
  const number = `INV-T${Date.now().toString(36).toUpperCase()}-${String(invoiceSequence).padStart(6, '0')}`;
  const at = new Date().toISOString();
  const amount = overrides.amount ?? 100_000;
  return {
    id: number,
    invoiceNumber: number,
    orderId: `01J00000000000000000${String(invoiceSequence).padStart(6, '0')}`,
    orderNumber: `SO-2026-${String(invoiceSequence).padStart(6, '0')}`,
    dealerId,
    region: 'CN-EAST',
    currency: 'CNY',
    amount,
    paid: 0,
    open: amount,
    issueDate: addDays(today(), -60),
    dueDate: addDays(today(), -30),
    status: 'open',
    createdAt: at,
    updatedAt: at,
    version: 1,
    ...overrides,
  };
}

async function write(build: Parameters<typeof writeTransaction>[0]): Promise<CancellationReason[] | undefined> {
  let reasons: CancellationReason[] | undefined;
  try {
    await writeTransaction(build, (r) => {
      reasons = r;
      return undefined;
    });
  } catch (error) {
    if (!reasons) throw error;
  }
  return reasons;
}

describe('GET /dealers/{dealerId}/credit', () => {
  it('a dealer whose terms were never set has the default profile, version 1, and reading it stores nothing', async () => {
    const d = await dealer();
    const response = await twin.request('GET', creditPath(d.id), { token: admin });
    expect(response.status, response.text).toBe(200);
    expect(response.headers.get('etag')).toBe('"1"');
    expect(response.body).toEqual({
      dealerId: d.id,
      region: 'CN-EAST',
      currency: 'CNY',
      creditLimit: 0,
      paymentTermsDays: 30,
      prepaymentBalance: 0,
      creditHold: false,
      openOrders: 0,
      unbilledShipments: 0,
      openReceivables: 0,
      exposure: 0,
      available: 0,
      overdue: { amount: 0, overdueDays: 0 },
      updatedAt: d.createdAt,
      version: 1,
    });
    expect((await dms().entities.dealerCredit.get({ dealerId: d.id }).go({ consistent: true })).data).toBeNull();
  });

  it('404 for a dealer that does not exist', async () => {
    const response = await twin.request('GET', creditPath('01J0000000000000000000ZZZZ'), { token: admin });
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('not_found');
  });

  it('dealer accounts see their own profile only; region-scoped staff only their regions (others: 404)', async () => {
    const east = await dealer('CN-EAST');
    const south = await dealer('CN-SOUTH');
    const own = await twin.token('dealer_admin', { userId: 'credit-dealer', dealerId: east.id });
    expect((await twin.request('GET', creditPath(east.id), { token: own })).status).toBe(200);
    const other = await twin.request('GET', creditPath(south.id), { token: own });
    expect(other.status).toBe(404);
    expect(other.body.code).toBe('not_found');

    const eastManager = await twin.token('sales_manager', { userId: 'credit-sm-east', regions: ['CN-EAST'] });
    const northManager = await twin.token('sales_manager', { userId: 'credit-sm-north', regions: ['CN-NORTH'] });
    expect((await twin.request('GET', creditPath(east.id), { token: eastManager })).status).toBe(200);
    expect((await twin.request('GET', creditPath(east.id), { token: northManager })).status).toBe(404);
    expect((await twin.request('GET', creditPath(south.id), { token: eastManager })).status).toBe(404);

    // dealer_user has no credit:read at all.
    const user = await twin.token('dealer_user', { userId: 'credit-dealer-user', dealerId: east.id });
    expect((await twin.request('GET', creditPath(east.id), { token: user })).status).toBe(403);
  });
});

describe('PUT /dealers/{dealerId}/credit', () => {
  it('sets terms with If-Match, bumps the version, and audits old and new values (derived figures included)', async () => {
    const d = await dealer();
    const body = { paymentTermsDays: 60, creditHold: true, creditHoldReason: '资料待补充' };
    const response = await twin.request('PUT', creditPath(d.id), { token: finance, body, headers: { 'if-match': '"1"' } });
    expect(response.status, response.text).toBe(200);
    expect(response.headers.get('etag')).toBe('"2"');
    expect(response.body).toMatchObject({ ...body, exposure: 0, available: 0, version: 2, creditLimit: 0 });

    const read = await twin.request('GET', creditPath(d.id), { token: admin });
    expect(read.body).toEqual(response.body);

    const trail = await twin.request('GET', `/audit-log?${new URLSearchParams({ entityType: 'dealer_credit', entityId: d.id, limit: '10' })}`, { token: admin });
    expect(trail.status).toBe(200);
    expect(trail.body.items).toHaveLength(1);
    expect(trail.body.items[0]).toMatchObject({
      action: 'dealer_credit.updated',
      actorId: 'credit-finance',
      actorRoles: ['finance'],
      entityType: 'dealer_credit',
      entityId: d.id,
      changes: {
        paymentTermsDays: { before: 30, after: 60 },
        creditHold: { before: false, after: true },
        creditHoldReason: { after: '资料待补充' },
      },
    });
    expect(Object.keys(trail.body.items[0].changes).sort()).toEqual(['creditHold', 'creditHoldReason', 'paymentTermsDays']);
  });

  it('412 on a stale If-Match, 428 without one; neither changes anything nor audits', async () => {
    const d = await dealer();
    const first = await twin.request('PUT', creditPath(d.id), { token: finance, body: { paymentTermsDays: 45 }, headers: { 'if-match': '"1"' } });
    expect(first.status).toBe(200);
    const stale = await twin.request('PUT', creditPath(d.id), { token: finance, body: { paymentTermsDays: 60 }, headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('version_mismatch');
    const garbage = await twin.request('PUT', creditPath(d.id), { token: finance, body: { paymentTermsDays: 60 }, headers: { 'if-match': '"0"' } });
    expect(garbage.status).toBe(412);
    const missing = await twin.request('PUT', creditPath(d.id), { token: finance, body: { paymentTermsDays: 60 } });
    expect(missing.status).toBe(428);
    expect(missing.body.code).toBe('if_match_required');

    const read = await twin.request('GET', creditPath(d.id), { token: admin });
    expect(read.body).toMatchObject({ paymentTermsDays: 45, version: 2 });
    const trail = await twin.request('GET', `/audit-log?${new URLSearchParams({ entityType: 'dealer_credit', entityId: d.id, limit: '10' })}`, { token: admin });
    expect(trail.body.items).toHaveLength(1);
  });

  it('a never-set dealer with a garbage If-Match is 412, not a match of the default version', async () => {
    const d = await dealer();
    const response = await twin.request('PUT', creditPath(d.id), { token: finance, body: { paymentTermsDays: 1 }, headers: { 'if-match': 'W/"abc"' } });
    expect(response.status).toBe(412);
  });

  it('holds need a reason, lifting a hold clears it; counters and unknown fields are 400s', async () => {
    const d = await dealer();
    const put = (body: unknown, version: number) => twin.request('PUT', creditPath(d.id), { token: finance, body, headers: { 'if-match': `"${version}"` } });
    const noReason = await put({ creditHold: true }, 1);
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors).toEqual([expect.objectContaining({ path: 'creditHoldReason', code: 'hold_reason_required' })]);
    expect((await put({ openOrders: 0 }, 1)).status).toBe(400);
    expect((await put({}, 1)).status).toBe(400);

    const held = await put({ creditHold: true, creditHoldReason: '逾期超过90天' }, 1);
    expect(held.status, held.text).toBe(200);
    expect(held.body).toMatchObject({ creditHold: true, creditHoldReason: '逾期超过90天', version: 2 });
    const lifted = await put({ creditHold: false }, 2);
    expect(lifted.status).toBe(200);
    expect(lifted.body.creditHold).toBe(false);
    expect(lifted.body).not.toHaveProperty('creditHoldReason');

    // Changing nothing writes nothing: same version, no audit record.
    const same = await put({ creditHold: false }, 3);
    expect(same.status).toBe(200);
    expect(same.headers.get('etag')).toBe('"3"');
    const trail = await twin.request('GET', `/audit-log?${new URLSearchParams({ entityType: 'dealer_credit', entityId: d.id, limit: '10' })}`, { token: admin });
    expect(trail.body.items).toHaveLength(2);
    expect(trail.body.items[0].changes.creditHoldReason).toEqual({ before: '逾期超过90天' });
  });

  it('who may change terms: finance and admin yes; sales managers 403; dealer accounts never', async () => {
    const d = await dealer();
    const put = (token: string) => twin.request('PUT', creditPath(d.id), { token, body: { paymentTermsDays: 5 }, headers: { 'if-match': '"1"' } });
    const manager = await twin.token('sales_manager', { userId: 'credit-sm', regions: ['CN-EAST'] });
    expect((await put(manager)).status).toBe(403);
    const dealerAdmin = await twin.token('dealer_admin', { userId: 'credit-da', dealerId: d.id });
    expect((await put(dealerAdmin)).status).toBe(403);
    expect((await put(admin)).status).toBe(200);
  });
});

describe('exposure counters (exposureChange in other transactions)', () => {
  it('20 concurrent transactions on a dealer without a stored profile sum exactly; the terms stay the default', async () => {
    const d = await dealer();
    const amounts = Array.from({ length: 20 }, (_, i) => 100_000 + i * 1_001);
    const outcomes = await Promise.allSettled(
      amounts.map((amount) => {
        const r = receivable(d.id, { amount, open: amount });
        return writeTransaction(
          (entities) => [receivableCreate(entities, r), exposureChange(entities, d.id, { openReceivables: amount, unbilledShipments: -amount, openOrders: 1 })],
          () => undefined,
        );
      }),
    );
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    const total = amounts.reduce((a, b) => a + b, 0);
    const profile = await getCreditProfile(d.id);
    expect(profile).toMatchObject({
      openReceivables: total,
      unbilledShipments: -total,
      openOrders: 20,
      creditLimit: 0,
      paymentTermsDays: 30,
      prepaymentBalance: 0,
      creditHold: false,
      currency: 'CNY',
      version: 1,
      region: 'CN-EAST',
    });

    // The ETag is still the default's, and a terms update keeps the counters.
    const read = await twin.request('GET', creditPath(d.id), { token: admin });
    expect(read.headers.get('etag')).toBe('"1"');
    expect(read.body.exposure).toBe(20);
    const put = await twin.request('PUT', creditPath(d.id), { token: finance, body: { paymentTermsDays: 90 }, headers: { 'if-match': '"1"' } });
    expect(put.status, put.text).toBe(200);
    expect(put.body).toMatchObject({ openReceivables: total, unbilledShipments: -total, openOrders: 20, available: -20, paymentTermsDays: 90, version: 2 });
  });

  it('counter moves racing a terms update lose nothing on either side', async () => {
    const d = await dealer();
    await write((entities) => [exposureChange(entities, d.id, { openOrders: 1_000 })]);
    const moves = Array.from({ length: 10 }, () => write((entities) => [exposureChange(entities, d.id, { openOrders: 10 })]));
    const update = twin.request('PUT', creditPath(d.id), { token: finance, body: { creditHold: true, creditHoldReason: '并发测试', paymentTermsDays: 45 }, headers: { 'if-match': '"1"' } });
    const [response] = await Promise.all([update, ...moves]);
    expect(response.status, response.text).toBe(200);
    const profile = await getCreditProfile(d.id);
    expect(profile).toMatchObject({ openOrders: 1_100, creditHold: true, paymentTermsDays: 45, version: 2 });
  });

  it('refuses fractional amounts and empty changes before anything is written', () => {
    expect(() => exposureChange(dms().entities as never, 'D', { openOrders: 1.5 })).toThrow(/integer/);
    expect(() => exposureChange(dms().entities as never, 'D', {})).toThrow(/at least one/);
  });
});

describe('receivables', () => {
  it('overdue summary: open and partially paid receivables due before today; not today, not the future, not void or paid', async () => {
    const d = await dealer();
    const t = today();
    const items = [
      receivable(d.id, { amount: 300_000, open: 300_000, dueDate: addDays(t, -45) }),
      receivable(d.id, { amount: 200_000, paid: 50_000, open: 150_000, status: 'partially_paid', dueDate: addDays(t, -1) }),
      receivable(d.id, { amount: 400_000, open: 400_000, dueDate: t }),
      receivable(d.id, { amount: 500_000, open: 500_000, dueDate: addDays(t, 30) }),
      receivable(d.id, { amount: 600_000, paid: 600_000, open: 0, status: 'paid', dueDate: addDays(t, -90) }),
    ];
    const toVoid = receivable(d.id, { amount: 700_000, open: 700_000, dueDate: addDays(t, -120) });
    expect(await write((entities) => [...[...items, toVoid].map((r) => receivableCreate(entities, r))])).toBeUndefined();
    expect(await overdueSummary(d.id, t)).toEqual({ amount: 1_150_000, oldestDueDate: addDays(t, -120), overdueDays: 120 });

    // Voiding takes it out of the open index (and the version is its condition).
    expect(await write((entities) => [receivableVoid(entities, toVoid, new Date().toISOString())])).toBeUndefined();
    expect(await getReceivable(toVoid.id)).toMatchObject({ status: 'void', open: 0, version: 2 });
    const staleVoid = await write((entities) => [receivableVoid(entities, { ...toVoid, status: 'open' }, new Date().toISOString())]);
    expect(staleVoid?.[0]?.code).toBe('ConditionalCheckFailed');
    expect(await overdueSummary(d.id, t)).toEqual({ amount: 450_000, oldestDueDate: addDays(t, -45), overdueDays: 45 });

    // Tomorrow, today's receivable is overdue too.
    expect(await overdueSummary(d.id, addDays(t, 1))).toEqual({ amount: 850_000, oldestDueDate: addDays(t, -45), overdueDays: 46 });
    // Another dealer's debt is not in it.
    expect(await overdueSummary((await dealer()).id, t)).toEqual({ amount: 0, overdueDays: 0 });

    const read = await twin.request('GET', creditPath(d.id), { token: admin });
    expect(read.body.overdue).toEqual({ amount: 450_000, oldestDueDate: addDays(t, -45), overdueDays: 45 });
  });

  it('a second receivable for the same invoice fails the condition and writes nothing of its transaction', async () => {
    const d = await dealer();
    const r = receivable(d.id);
    expect(await write((entities) => [receivableCreate(entities, r), exposureChange(entities, d.id, { openReceivables: r.amount })])).toBeUndefined();
    const again = await write((entities) => [receivableCreate(entities, { ...r, amount: 1, open: 1 }), exposureChange(entities, d.id, { openReceivables: r.amount })]);
    expect(again?.map((x) => x.code)).toEqual(['ConditionalCheckFailed', 'None']);
    expect((await getCreditProfile(d.id)).openReceivables).toBe(r.amount);
    expect(await getReceivable(r.id)).toMatchObject({ amount: r.amount, version: 1 });
  });

  it('refuses an inconsistent receivable before writing', () => {
    expect(() => receivableCreate(dms().entities as never, { ...receivable('D'), open: 1 })).toThrow(/open must be/);
  });

  it('lists a dealer’s receivables newest invoice first, in pages', async () => {
    const d = await dealer();
    const t = today();
    const rs = [0, 1, 2, 3, 4].map((i) => receivable(d.id, { issueDate: addDays(t, -10 + i), dueDate: addDays(t, 20 + i) }));
    await write((entities) => rs.map((r) => receivableCreate(entities, r)));
    const first = await listReceivables(d.id, { limit: 3 });
    expect(first.items.map((r) => r.id)).toEqual([rs[4]!.id, rs[3]!.id, rs[2]!.id]);
    expect(first.items[0]).toEqual(rs[4]);
    expect(first.nextCursor).toBeDefined();
    const second = await listReceivables(d.id, { limit: 3, cursor: first.nextCursor! });
    expect(second.items.map((r) => r.id)).toEqual([rs[1]!.id, rs[0]!.id]);
    await expect(listReceivables((await dealer()).id, { limit: 3, cursor: first.nextCursor! })).rejects.toMatchObject({ code: 'invalid_cursor' });
  });

  it('open receivables across dealers by due date (the index for the daily alerts)', async () => {
    const [a, b] = [await dealer(), await dealer('CN-SOUTH')];
    const far = addDays(today(), 400);
    const ra = receivable(a.id, { dueDate: far });
    const rb = receivable(b.id, { dueDate: addDays(far, 1), region: 'CN-SOUTH' });
    await write((entities) => [receivableCreate(entities, ra), receivableCreate(entities, rb)]);
    // Due dates far..far+1 inclusive: the key range [far, far+2), since a sort key that extends
    // a bound (`…#dueDate_<far+1>#dealerId_…`) sorts after the bound itself.
    const due = await dms().entities.receivable.query.byDueDate({ openState: 'open' }).between({ dueDate: far }, { dueDate: addDays(far, 2) }).go({ pages: 'all' });
    expect(due.data.map((r) => r.id)).toEqual([ra.id, rb.id]);
    const firstDay = await dms().entities.receivable.query.byDueDate({ openState: 'open' }).between({ dueDate: far }, { dueDate: addDays(far, 1) }).go({ pages: 'all' });
    expect(firstDay.data.map((r) => r.id)).toEqual([ra.id]);
  });
});
