import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idempotencyKey, newDealerInput, startTestTwin, type TestTwin } from '../support/twin';

let twin: TestTwin;
let admin: string;

beforeAll(async () => {
  twin = await startTestTwin();
  admin = await twin.token('admin');
});
afterAll(() => twin.close());

async function create(token: string, overrides = {}) {
  return twin.request('POST', '/dealers', { token, body: newDealerInput(overrides), headers: { 'idempotency-key': idempotencyKey() } });
}

describe('dealer lifecycle through the local HTTP API', () => {
  it('registers a dealer as a prospect with an ETag, a Location and an event', async () => {
    const input = newDealerInput({ internalNotes: '重点客户', riskRating: 'low' });
    const response = await twin.request('POST', '/dealers', { token: admin, body: input, headers: { 'idempotency-key': idempotencyKey() } });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ code: input.code, name: input.name, status: 'prospect', version: 1, internalNotes: '重点客户' });
    expect(response.headers.get('etag')).toBe('"1"');
    expect(response.headers.get('location')).toMatch(new RegExp(`/dealers/${response.body.id}$`));
    const event = twin.bus.published.find((e) => e.type === 'dealer.created.v1' && (e.detail as { dealerId: string }).dealerId === response.body.id);
    expect(event?.actorId).toBe('user-admin');

    const read = await twin.request('GET', `/dealers/${response.body.id}`, { token: admin });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(response.body);
  });

  it('rejects a duplicate dealer code with 409 and an unknown region with 400, writing nothing', async () => {
    const first = await create(admin);
    const duplicate = await create(admin, { code: first.body.code });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe('dealer_code_taken');
    const badRegion = await create(admin, { region: 'CN-MOON' });
    expect(badRegion.status).toBe(400);
    expect(badRegion.body.code).toBe('unknown_region');
    const list = await twin.request('GET', '/dealers?limit=100', { token: admin });
    expect(list.body.items.filter((d: { code: string }) => d.code === first.body.code)).toHaveLength(1);
    expect(list.body.items.some((d: { region: string }) => d.region === 'CN-MOON')).toBe(false);
  });

  it('validates the unified social credit code check character', async () => {
    const good = newDealerInput();
    const tampered = good.uscc.slice(0, 17) + (good.uscc[17] === '0' ? '1' : '0');
    const response = await create(admin, { uscc: tampered });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].path).toBe('body/uscc');
  });

  it('updates with If-Match: 428 without it, 412 when stale, 200 with the new ETag', async () => {
    const { body: dealer } = await create(admin);
    const path = `/dealers/${dealer.id}`;
    const missing = await twin.request('PATCH', path, { token: admin, body: { tier: 'platinum' } });
    expect(missing.status).toBe(428);
    const ok = await twin.request('PATCH', path, { token: admin, body: { tier: 'platinum', shortName: '测试' }, headers: { 'if-match': '"1"' } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ tier: 'platinum', shortName: '测试', version: 2 });
    expect(ok.headers.get('etag')).toBe('"2"');
    const stale = await twin.request('PATCH', path, { token: admin, body: { tier: 'bronze' }, headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(412);
    expect(stale.body.code).toBe('version_mismatch');
    const cleared = await twin.request('PATCH', path, { token: admin, body: { shortName: null }, headers: { 'if-match': '"2"' } });
    expect(cleared.status).toBe(200);
    expect(cleared.body.shortName).toBeUndefined();
    expect((await twin.request('GET', path, { token: admin })).body.tier).toBe('platinum');
  });

  it('moves through prospect → active → suspended ⇄ active → terminated, with reasons and events', async () => {
    const { body: dealer } = await create(admin);
    const path = `/dealers/${dealer.id}/status`;
    let version = 1;
    for (const status of ['active', 'suspended', 'active', 'terminated']) {
      const response = await twin.request('POST', path, { token: admin, body: { status, reason: `原因：${status}` }, headers: { 'if-match': `"${version}"` } });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ status, statusReason: `原因：${status}` });
      version = response.body.version;
    }
    const final = await twin.request('POST', path, { token: admin, body: { status: 'active', reason: '重新激活' }, headers: { 'if-match': `"${version}"` } });
    expect(final.status).toBe(409);
    expect(final.body.code).toBe('invalid_status_transition');
    const changes = twin.bus.published.filter((e) => e.type === 'dealer.status_changed.v1' && (e.detail as { dealerId: string }).dealerId === dealer.id);
    expect(changes.map((e) => (e.detail as { to: string }).to)).toEqual(['active', 'suspended', 'active', 'terminated']);
  });

  it('cannot skip from prospect to suspended', async () => {
    const { body: dealer } = await create(admin);
    const response = await twin.request('POST', `/dealers/${dealer.id}/status`, { token: admin, body: { status: 'suspended', reason: 'x' }, headers: { 'if-match': '"1"' } });
    expect(response.status).toBe(409);
  });
});

describe('dealer search', () => {
  const codes: string[] = [];
  beforeAll(async () => {
    const specs = [
      { name: 'Alpha 北方商贸', region: 'CN-NORTH', tier: 'gold', channelType: 'retailer' },
      { name: 'alpine 北京零售', region: 'CN-NORTH', tier: 'silver', channelType: 'retailer' },
      { name: 'Beta 南方电商', region: 'CN-SOUTH', tier: 'gold', channelType: 'e_commerce' },
      { name: '成都天润商贸', region: 'CN-WEST', tier: 'bronze', channelType: 'distributor' },
      { name: '成都博远电商', region: 'CN-WEST', tier: 'gold', channelType: 'e_commerce' },
    ] as const;
    for (const spec of specs) codes.push((await create(admin, spec)).body.code);
  });

  const names = (items: { name: string }[]) => items.map((d) => d.name).sort();

  it('filters by region, tier, channel type and case-insensitive name prefix (Chinese too)', async () => {
    expect(names((await twin.request('GET', '/dealers?region=CN-NORTH', { token: admin })).body.items)).toEqual(['Alpha 北方商贸', 'alpine 北京零售']);
    expect(names((await twin.request('GET', '/dealers?namePrefix=ALP', { token: admin })).body.items)).toEqual(['Alpha 北方商贸', 'alpine 北京零售']);
    expect(names((await twin.request('GET', `/dealers?namePrefix=${encodeURIComponent('成都')}&tier=gold`, { token: admin })).body.items)).toEqual(['成都博远电商']);
    expect(names((await twin.request('GET', '/dealers?channelType=e_commerce&region=CN-SOUTH', { token: admin })).body.items)).toEqual(['Beta 南方电商']);
    expect((await twin.request('GET', '/dealers?status=active&region=CN-WEST', { token: admin })).body.items).toEqual([]);
  });

  it('paginates with an opaque cursor without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const response = await twin.request('GET', `/dealers?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: admin });
      expect(response.status).toBe(200);
      expect(response.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...response.body.items.map((d: { id: string }) => d.id));
      cursor = response.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 100);
    const all = await twin.request('GET', '/dealers?limit=100', { token: admin });
    expect(seen).toEqual(all.body.items.map((d: { id: string }) => d.id));
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages).toBeGreaterThan(2);
  });

  it('rejects a tampered or foreign cursor with 400', async () => {
    const first = await twin.request('GET', '/dealers?limit=1&region=CN-WEST', { token: admin });
    expect(first.body.nextCursor).toBeTruthy();
    expect((await twin.request('GET', `/dealers?limit=1&cursor=${first.body.nextCursor}`, { token: admin })).status).toBe(400);
    expect((await twin.request('GET', '/dealers?cursor=not-a-cursor', { token: admin })).status).toBe(400);
    const forged = Buffer.from(JSON.stringify({ l: 'dealers', s: { index: 'byName', electro: 'eyJwayI6IngifQ' } })).toString('base64url');
    const response = await twin.request('GET', `/dealers?cursor=${forged}`, { token: admin });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('invalid_cursor');
  });
});

describe('dealer principals and region-scoped staff', () => {
  it('a dealer sees only its own profile, without internal fields, and may edit only its contacts', async () => {
    const mine = (await create(admin, { internalNotes: '内部备注', riskRating: 'high' })).body;
    const other = (await create(admin)).body;
    const dealerAdmin = await twin.token('dealer_admin', { dealerId: mine.id, userId: 'dealer-admin-a' });

    const own = await twin.request('GET', `/dealers/${mine.id}`, { token: dealerAdmin });
    expect(own.status).toBe(200);
    expect(own.body.internalNotes).toBeUndefined();
    expect(own.body.riskRating).toBeUndefined();
    expect((await twin.request('GET', `/dealers/${other.id}`, { token: dealerAdmin })).status).toBe(404);

    const list = await twin.request('GET', '/dealers?limit=100', { token: dealerAdmin });
    expect(list.body.items.map((d: { id: string }) => d.id)).toEqual([mine.id]);

    const contacts = [{ name: '李娜', title: '采购', mobile: '13900000000', primary: true }];
    const edited = await twin.request('PUT', `/dealers/${mine.id}/contacts`, { token: dealerAdmin, body: { contacts }, headers: { 'if-match': '"1"' } });
    expect(edited.status).toBe(200);
    expect(edited.body.contacts).toEqual(contacts);
    expect((await twin.request('PUT', `/dealers/${other.id}/contacts`, { token: dealerAdmin, body: { contacts }, headers: { 'if-match': '"1"' } })).status).toBe(404);
    expect((await twin.request('PATCH', `/dealers/${mine.id}`, { token: dealerAdmin, body: { tier: 'platinum' }, headers: { 'if-match': '"2"' } })).status).toBe(403);
    // The internal fields survived the dealer's own edit.
    expect((await twin.request('GET', `/dealers/${mine.id}`, { token: admin })).body).toMatchObject({ internalNotes: '内部备注', riskRating: 'high' });
  });

  it('a sales manager sees and registers only in its regions', async () => {
    const east = (await create(admin, { region: 'CN-EAST' })).body;
    const south = (await create(admin, { region: 'CN-SOUTH' })).body;
    const manager = await twin.token('sales_manager', { regions: ['CN-EAST'] });
    expect((await twin.request('GET', `/dealers/${east.id}`, { token: manager })).status).toBe(200);
    expect((await twin.request('GET', `/dealers/${south.id}`, { token: manager })).status).toBe(404);
    const list = await twin.request('GET', '/dealers?limit=100', { token: manager });
    expect(list.body.items.length).toBeGreaterThan(0);
    expect(list.body.items.every((d: { region: string }) => d.region === 'CN-EAST')).toBe(true);
    expect((await twin.request('GET', '/dealers?region=CN-SOUTH', { token: manager })).body.items).toEqual([]);
    const outside = await create(manager, { region: 'CN-SOUTH' });
    expect(outside.status).toBe(403);
    expect(outside.body.code).toBe('region_out_of_scope');
    const inside = await create(manager, { region: 'CN-EAST' });
    expect(inside.status).toBe(201);

    const multi = await twin.token('sales_manager', { regions: ['CN-EAST', 'CN-SOUTH'] });
    const both = await twin.request('GET', '/dealers?limit=100', { token: multi });
    const regions = new Set(both.body.items.map((d: { region: string }) => d.region));
    expect([...regions].sort()).toEqual(['CN-EAST', 'CN-SOUTH']);
  });

  it('lists the sales regions', async () => {
    const response = await twin.request('GET', '/regions', { token: await twin.token('dealer_user', { dealerId: 'X' }) });
    expect(response.status).toBe(403);
    const staff = await twin.request('GET', '/regions', { token: await twin.token('warehouse') });
    expect(staff.body.items.map((r: { code: string }) => r.code)).toContain('CN-EAST');
  });
});

describe('moving a dealer to another region', () => {
  it('checks the new region exists and keeps the region index in step', async () => {
    const dealer = (await create(admin, { region: 'CN-EAST' })).body;
    const bad = await twin.request('PATCH', `/dealers/${dealer.id}`, { token: admin, body: { region: 'CN-MARS' }, headers: { 'if-match': '"1"' } });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('unknown_region');
    const moved = await twin.request('PATCH', `/dealers/${dealer.id}`, { token: admin, body: { region: 'CN-NE' }, headers: { 'if-match': '"1"' } });
    expect(moved.status).toBe(200);
    const ne = await twin.request('GET', '/dealers?region=CN-NE&limit=100', { token: admin });
    expect(ne.body.items.map((d: { id: string }) => d.id)).toContain(dealer.id);
    const east = await twin.request('GET', '/dealers?region=CN-EAST&limit=100', { token: admin });
    expect(east.body.items.map((d: { id: string }) => d.id)).not.toContain(dealer.id);
  });
});
