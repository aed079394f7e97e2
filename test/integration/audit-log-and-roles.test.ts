import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idempotencyKey, newDealerInput, startTestTwin, type TestTwin } from '../support/twin';

let twin: TestTwin;
let admin: string;
let auditor: string;

beforeAll(async () => {
  twin = await startTestTwin();
  admin = await twin.token('admin');
  auditor = await twin.token('auditor');
});
afterAll(() => twin.close());

describe('GET /audit-log', () => {
  it('filters by entity, actor and time range, newest first, paginated', async () => {
    const director = await twin.token('sales_director', { userId: 'director-audit' });
    const start = new Date().toISOString();
    const dealer = (await twin.request('POST', '/dealers', { token: admin, body: newDealerInput(), headers: { 'idempotency-key': idempotencyKey() } })).body;
    let version = 1;
    for (const tier of ['silver', 'bronze', 'platinum']) {
      const response = await twin.request('PATCH', `/dealers/${dealer.id}`, { token: director, body: { tier }, headers: { 'if-match': `"${version}"` } });
      version = response.body.version;
    }
    const other = (await twin.request('POST', '/dealers', { token: director, body: newDealerInput(), headers: { 'idempotency-key': idempotencyKey() } })).body;

    const byEntity = await twin.request('GET', `/audit-log?entityType=dealer&entityId=${dealer.id}`, { token: auditor });
    expect(byEntity.status).toBe(200);
    expect(byEntity.body.items.map((r: { action: string }) => r.action)).toEqual(['dealer.updated', 'dealer.updated', 'dealer.updated', 'dealer.created']);
    expect(byEntity.body.items[0].changes.tier).toEqual({ before: 'bronze', after: 'platinum' });
    expect(byEntity.body.items[0].actorId).toBe('director-audit');
    expect(byEntity.body.items[0].actorRoles).toEqual(['sales_director']);
    const times = byEntity.body.items.map((r: { at: string }) => r.at);
    expect([...times].sort().reverse()).toEqual(times);

    const byActor = await twin.request('GET', '/audit-log?actorId=director-audit', { token: auditor });
    expect(byActor.body.items.map((r: { entityId: string }) => r.entityId)).toEqual([other.id, dealer.id, dealer.id, dealer.id]);

    const both = await twin.request('GET', `/audit-log?actorId=user-admin&entityType=dealer&entityId=${dealer.id}`, { token: auditor });
    expect(both.body.items.map((r: { action: string }) => r.action)).toEqual(['dealer.created']);

    // Everything since `start`, two per page, walking pages.
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await twin.request('GET', `/audit-log?from=${start}&limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: auditor });
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((r: { id: string }) => r.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);

    const future = new Date(Date.now() + 3600_000).toISOString();
    const futureResponse = await twin.request('GET', `/audit-log?from=${future}`, { token: auditor });
    expect(futureResponse.status).toBe(200);
    expect(futureResponse.body.items).toEqual([]);
    const before = (await twin.request('GET', `/audit-log?to=${start}&entityType=dealer&entityId=${dealer.id}`, { token: auditor })).body.items;
    expect(before).toEqual([]);
  });

  it('walks month partitions for ranges spanning months', async () => {
    const response = await twin.request('GET', '/audit-log?from=2025-01-01T00:00:00Z&limit=100', { token: auditor });
    expect(response.status).toBe(200);
    expect(response.body.items.length).toBeGreaterThan(0);
  });

  it('rejects inconsistent filters and is closed to other roles', async () => {
    expect((await twin.request('GET', '/audit-log?entityType=dealer', { token: auditor })).status).toBe(400);
    expect((await twin.request('GET', '/audit-log?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', { token: auditor })).status).toBe(400);
    expect((await twin.request('GET', '/audit-log', { token: await twin.token('finance') })).status).toBe(403);
  });
});

describe('custom roles', () => {
  it('an administrator defines a role from the permission set; a user holding it gets exactly those rights', async () => {
    const permissions = await twin.request('GET', '/permissions', { token: admin });
    expect(permissions.body.items.map((p: { name: string }) => p.name)).toContain('dealers:read');

    const created = await twin.request('POST', '/roles', {
      token: admin,
      body: { name: 'channel_analyst', description: '渠道分析师', permissions: ['dealers:read', 'regions:read'], scope: 'all' },
      headers: { 'idempotency-key': idempotencyKey() },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');

    const analyst = await twin.token('channel_analyst');
    expect((await twin.request('GET', '/dealers', { token: analyst })).status).toBe(200);
    expect((await twin.request('POST', '/dealers', { token: analyst, body: newDealerInput(), headers: { 'idempotency-key': idempotencyKey() } })).status).toBe(403);
    const me = await twin.request('GET', '/me', { token: analyst });
    expect(me.status).toBe(403); // profile:read was not granted to this role

    const updated = await twin.request('PATCH', '/roles/channel_analyst', {
      token: admin,
      body: { permissions: ['dealers:read', 'regions:read', 'profile:read'] },
      headers: { 'if-match': '"1"' },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.version).toBe(2);

    const roles = await twin.request('GET', '/roles', { token: auditor });
    const names = roles.body.items.map((r: { name: string }) => r.name);
    expect(names).toEqual(expect.arrayContaining(['admin', 'dealer_user', 'channel_analyst']));

    const audit = await twin.request('GET', '/audit-log?entityType=role&entityId=channel_analyst', { token: auditor });
    expect(audit.body.items.map((r: { action: string }) => r.action)).toEqual(['role.updated', 'role.created']);
    expect(audit.body.items[0].changes.permissions.after).toContain('profile:read');
  });

  it('built-in roles cannot be redefined, changed or deleted', async () => {
    const clash = await twin.request('POST', '/roles', {
      token: admin,
      body: { name: 'finance', description: 'x', permissions: ['dealers:read'], scope: 'all' },
      headers: { 'idempotency-key': idempotencyKey() },
    });
    expect(clash.status).toBe(409);
    expect((await twin.request('PATCH', '/roles/finance', { token: admin, body: { description: 'x' }, headers: { 'if-match': '"1"' } })).status).toBe(403);
    expect((await twin.request('DELETE', '/roles/admin', { token: admin, headers: { 'if-match': '"1"' } })).status).toBe(403);
  });

  it('deleting a role takes its rights away; unknown permissions are rejected', async () => {
    await twin.request('POST', '/roles', {
      token: admin,
      body: { name: 'temp_reader', description: '临时', permissions: ['regions:read'], scope: 'all' },
      headers: { 'idempotency-key': idempotencyKey() },
    });
    expect((await twin.request('DELETE', '/roles/temp_reader', { token: admin, headers: { 'if-match': '"1"' } })).status).toBe(204);
    expect((await twin.request('GET', '/roles/temp_reader', { token: admin })).status).toBe(404);
    const bad = await twin.request('POST', '/roles', {
      token: admin,
      body: { name: 'bad_role', description: 'x', permissions: ['dealers:fly'], scope: 'all' },
      headers: { 'idempotency-key': idempotencyKey() },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('body/permissions/0');
  });
});

describe('GET /openapi.json', () => {
  it('is public and documents every route with its permission', async () => {
    const response = await twin.request('GET', '/openapi.json');
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.1.0');
    expect(response.body.paths['/dealers/{dealerId}'].patch['x-permission']).toBe('dealers:update');
    expect(response.body.paths['/openapi.json'].get.security).toEqual([]);
    expect(response.body.servers[0].url).toBe(twin.url);
  });

  it('serves the browsable docs page and its assets', async () => {
    const page = await fetch(`${twin.url}/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('SwaggerUIBundle');
    const asset = await fetch(`${twin.url}/docs/assets/swagger-ui-bundle.js`);
    expect(asset.status).toBe(200);
    expect((await asset.text()).length).toBeGreaterThan(100_000);
  });
});
