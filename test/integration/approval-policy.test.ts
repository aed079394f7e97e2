import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_APPROVAL_POLICY, type ApprovalPolicy } from '../../domain/orders/approval-policy';
import { rulesOf } from '../support/fixtures/approval-policy';
import { startTestTwin, type TestTwin } from '../support/twin';

/**
 * The approval policy on the twin: the built-in default as version 0, optimistic concurrency
 * through ETags, a kept history, one audit record per saved version, strict bodies, access.
 * The tests run in order on one table: each builds on the versions saved before.
 */

let twin: TestTwin;
let admin: string;

beforeAll(async () => {
  twin = await startTestTwin();
  admin = await twin.token('admin', { userId: 'policy-admin' });
});
afterAll(() => twin?.close());

const put = (body: unknown, headers: Record<string, string> = {}, token = admin) => twin.request('PUT', '/approval-policy', { token, body, headers });
const read = (path = '/approval-policy', token = admin) => twin.request('GET', path, { token });

describe('approval policy', () => {
  it('serves the built-in default as version 0 (ETag "0") while nothing is saved, with no history', async () => {
    const response = await read();
    expect(response.status, response.text).toBe(200);
    expect(response.headers.get('etag')).toBe('"0"');
    expect(response.body).toEqual(DEFAULT_APPROVAL_POLICY);
    const versions = await read('/approval-policy/versions');
    expect(versions.status).toBe(200);
    expect(versions.body).toEqual({ items: [] });
    expect((await read('/approval-policy/versions/1')).status).toBe(404);
  });

  it('428 without If-Match, 400 on unknown or invalid fields — nothing saved', async () => {
    const rules = rulesOf(DEFAULT_APPROVAL_POLICY);
    const missing = await put(rules);
    expect(missing.status).toBe(428);
    expect(missing.body.code).toBe('if_match_required');

    const unknown = await put({ ...rules, version: 5, overdueDebt: { ...rules.overdueDebt, grace: 1 } }, { 'if-match': '"0"' });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('body/version');
    expect(unknown.text).toContain('body/overdueDebt/grace');

    const cycle = await put({ ...rules, onTimeout: { sales_manager: 'sales_director', sales_director: 'sales_manager', finance: 'expire' } }, { 'if-match': '"0"' });
    expect(cycle.status).toBe(400);
    expect(cycle.text).toContain('body/onTimeout/sales_director');

    const bands = await put({ ...rules, amountLevels: [{ minGross: 100, roles: ['sales_manager'] }, { minGross: 100, roles: ['finance'] }] }, { 'if-match': '"0"' });
    expect(bands.status).toBe(400);
    expect(bands.text).toContain('body/amountLevels/1/minGross');

    const after = await read();
    expect(after.headers.get('etag')).toBe('"0"');
  });

  it('a dealer (and a role without approval_policy:manage) gets 403', async () => {
    const dealer = await twin.token('dealer_admin', { userId: 'policy-dealer', dealerId: '01HZZZZZZZZZZZZZZZZZZZZZZZ' });
    expect((await read('/approval-policy', dealer)).status).toBe(403);
    expect((await read('/approval-policy/versions', dealer)).status).toBe(403);
    expect((await put(rulesOf(DEFAULT_APPROVAL_POLICY), { 'if-match': '"0"' }, dealer)).status).toBe(403);
    const director = await twin.token('sales_director', { userId: 'policy-director', regions: ['CN-EAST'] });
    expect((await read('/approval-policy', director)).status).toBe(200);
    const denied = await put({ ...rulesOf(DEFAULT_APPROVAL_POLICY), stepTimeoutHours: 2 }, { 'if-match': '"0"' }, director);
    expect(denied.status).toBe(403);
    expect(denied.body.detail).toContain('approval_policy:manage');
    expect((await read()).headers.get('etag')).toBe('"0"');
  });

  let v1: ApprovalPolicy;

  it('PUT with If-Match "0" saves version 1, then with "1" version 2; each writes one audit record with old and new values', async () => {
    const first = await put({ ...rulesOf(DEFAULT_APPROVAL_POLICY), stepTimeoutHours: 24 }, { 'if-match': '"0"' });
    expect(first.status, first.text).toBe(200);
    expect(first.headers.get('etag')).toBe('"1"');
    v1 = first.body;
    expect(v1).toMatchObject({ version: 1, stepTimeoutHours: 24, updatedBy: 'policy-admin' });
    expect(Date.parse(v1.updatedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect((await read()).body).toEqual(v1);

    const nextRules = {
      ...rulesOf(v1),
      amountLevels: [
        { minGross: 3_000_000, roles: ['sales_manager'] },
        { minGross: 10_000_000, roles: ['sales_manager', 'sales_director'] },
        { minGross: 50_000_000, roles: ['sales_manager', 'sales_director', 'finance'] },
      ],
    };
    const second = await put(nextRules, { 'if-match': '"1"' });
    expect(second.status, second.text).toBe(200);
    expect(second.headers.get('etag')).toBe('"2"');
    expect(second.body).toMatchObject({ version: 2, amountLevels: nextRules.amountLevels });

    const trail = await read(`/audit-log?${new URLSearchParams({ entityType: 'approval_policy', entityId: 'current', limit: '10' })}`);
    expect(trail.status, trail.text).toBe(200);
    const [latest, earliest] = trail.body.items as { action: string; actorId: string; changes: Record<string, unknown> }[];
    expect(trail.body.items).toHaveLength(2);
    expect(earliest).toMatchObject({
      action: 'approval_policy.updated',
      actorId: 'policy-admin',
      changes: { stepTimeoutHours: { before: 48, after: 24 }, updatedBy: { before: 'system', after: 'policy-admin' } },
    });
    expect(Object.keys(earliest!.changes).sort()).toEqual(['stepTimeoutHours', 'updatedBy']);
    expect(latest!.changes).toEqual({ amountLevels: { before: DEFAULT_APPROVAL_POLICY.amountLevels, after: nextRules.amountLevels } });
  });

  it('412 on a stale If-Match (and on "0" or a tag that is not ours, now that a version is stored), nothing written', async () => {
    const body = { ...rulesOf(v1), stepTimeoutHours: 96 };
    for (const etag of ['"1"', '"0"', '"999"', '*', 'W/"abc"']) {
      const stale = await put(body, { 'if-match': etag });
      expect(stale.status, etag).toBe(412);
      expect(stale.body.code).toBe('version_mismatch');
    }
    expect((await read()).headers.get('etag')).toBe('"2"');
    const trail = await read(`/audit-log?${new URLSearchParams({ entityType: 'approval_policy', entityId: 'current', limit: '10' })}`);
    expect(trail.body.items).toHaveLength(2);
  });

  it('saving the policy in force unchanged keeps its version and writes no audit record', async () => {
    const current = (await read()).body as ApprovalPolicy;
    const same = await put(rulesOf(current), { 'if-match': '"2"' });
    expect(same.status).toBe(200);
    expect(same.headers.get('etag')).toBe('"2"');
    expect(same.body).toEqual(current);
    const trail = await read(`/audit-log?${new URLSearchParams({ entityType: 'approval_policy', entityId: 'current', limit: '10' })}`);
    expect(trail.body.items).toHaveLength(2);
  });

  it('concurrent saves with one ETag: exactly one wins, the rest get 412', async () => {
    const current = (await read()).body as ApprovalPolicy;
    const responses = await Promise.all([1, 2, 3, 4, 5].map((n) => put({ ...rulesOf(current), stepTimeoutHours: 100 + n }, { 'if-match': '"2"' })));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 412, 412, 412, 412]);
    expect((await read()).headers.get('etag')).toBe('"3"');
  });

  it('keeps the history: versions newest first, paged, each readable and unchanged', async () => {
    const all = await read('/approval-policy/versions');
    expect(all.status).toBe(200);
    expect((all.body.items as ApprovalPolicy[]).map((p) => p.version)).toEqual([3, 2, 1]);
    expect(all.body.nextCursor).toBeUndefined();

    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await read(`/approval-policy/versions?${new URLSearchParams({ limit: '2', ...(cursor ? { cursor } : {}) })}`);
      expect(page.status, page.text).toBe(200);
      seen.push(...(page.body.items as ApprovalPolicy[]).map((p) => p.version));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([3, 2, 1]);

    const one = await read('/approval-policy/versions/1');
    expect(one.status).toBe(200);
    expect(one.body).toEqual(v1);
    expect((await read('/approval-policy/versions/4')).status).toBe(404);
    for (const bad of ['0', '01', '1e0', 'x', '-1']) expect((await read(`/approval-policy/versions/${bad}`)).status, bad).toBe(400);
    expect((await read('/approval-policy/versions?cursor=garbage')).status).toBe(400);
  });
});
