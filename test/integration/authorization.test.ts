import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../domain/access/permissions';
import { BUILT_IN_ROLE_NAMES, BUILT_IN_ROLES } from '../../domain/access/roles';
import type { RouteSpec } from '../../functions/http/route';
import { ALL_ROUTES } from '../../functions/http/routes';
import { ephemeralSigner } from '../../infra/local/jwt';
import {
  assertFixturesCoverRouteTable,
  createWorld,
  fixtureFor,
  permissionsOf,
  send,
  tokenFor,
  type PreparedRequest,
  type World,
  type WorldDealer,
} from '../support/route-fixtures';
import { actingRole } from '../support/fixtures/orders';
import { startTestTwin, type ApiResponse, type TestTwin } from '../support/twin';

/**
 * Generated from the route table: every route × every built-in role (and a custom role), the
 * authentication failures on every route, and tenant isolation on every dealer-owned route and
 * every list. Adding a route adds its rows; a route without a fixture does not compile.
 */

let twin: TestTwin;
let world: World;

beforeAll(async () => {
  twin = await startTestTwin();
  world = await createWorld(twin);
});
afterAll(() => twin?.close());

const label = (route: RouteSpec) => `${route.method} ${route.path} (${route.operationId})`;
const PROTECTED_ROUTES = ALL_ROUTES.filter((route) => route.permission !== 'public');
const PUBLIC_ROUTES = ALL_ROUTES.filter((route) => route.permission === 'public');

function expectProblem(response: ApiResponse, status: number, code?: string | RegExp): void {
  const where = `${response.status} ${response.text.slice(0, 500)}`;
  expect(response.status, where).toBe(status);
  expect(response.headers.get('content-type'), where).toMatch(/^application\/problem\+json/);
  expect(response.body, where).toMatchObject({ status, type: expect.any(String), title: expect.any(String), code: expect.any(String) });
  if (typeof code === 'string') expect(response.body.code, where).toBe(code);
  else if (code) expect(response.body.code, where).toMatch(code);
}

/** The state of what a mutating request would touch, read as admin, to prove a refusal changed nothing. */
async function snapshot(request: PreparedRequest): Promise<string | undefined> {
  const existing = (request as { existing?: { readPath: string } }).existing;
  if (!existing) return undefined;
  const response = await twin.request('GET', existing.readPath, { token: world.admin });
  return `${response.status} ${response.headers.get('etag')} ${response.text}`;
}

describe('the route table', () => {
  it('is not empty, and every route names a permission that exists (or is public)', () => {
    expect(ALL_ROUTES.length).toBeGreaterThan(0);
    for (const route of ALL_ROUTES) {
      expect(route.permission, label(route)).toBeTruthy();
      expect(route.permission === 'public' || Object.hasOwn(PERMISSIONS, route.permission), `${label(route)}: ${route.permission}`).toBe(true);
    }
    // Only the API description is public.
    expect(PUBLIC_ROUTES.map((r) => r.operationId)).toEqual(['getOpenApi']);
  });

  it('cannot hold a route without a permission (it does not compile)', () => {
    const route = { operationId: 'noPermission', method: 'GET', path: '/x', summary: 'x', successStatus: 200, mutates: false } as const;
    // @ts-expect-error — `permission` is required: `npm test` runs tsc first, so this is a build failure.
    const spec: RouteSpec = route;
    // @ts-expect-error — and it must be a known permission or 'public'.
    const unknown: RouteSpec = { ...route, permission: 'dealers:everything' };
    expect([spec, unknown].map((r) => r.permission)).toEqual([undefined, 'dealers:everything']);
  });

  it('has unique operation ids and method + path pairs', () => {
    expect(new Set(ALL_ROUTES.map((r) => r.operationId)).size).toBe(ALL_ROUTES.length);
    expect(new Set(ALL_ROUTES.map((r) => `${r.method} ${r.path}`)).size).toBe(ALL_ROUTES.length);
  });

  it('has a fixture for every route, and the built-in roles only use known permissions', () => {
    assertFixturesCoverRouteTable();
    for (const role of BUILT_IN_ROLES.values()) {
      for (const permission of role.permissions) expect(Object.hasOwn(PERMISSIONS, permission), `${role.name}: ${permission}`).toBe(true);
    }
  });
});

// ── function-level: route × role ─────────────────────────────────────────────

const CUSTOM = '(custom role)';
const MATRIX_ROLES = [...BUILT_IN_ROLE_NAMES, CUSTOM];
const MATRIX = ALL_ROUTES.flatMap((route) =>
  MATRIX_ROLES.map((role) => ({ route, role, name: `${label(route)} as ${role}` })),
);

describe('authorization matrix: every route × every role', () => {
  it('covers every route with every built-in role', () => {
    expect(BUILT_IN_ROLE_NAMES.length).toBeGreaterThanOrEqual(9);
    expect(MATRIX.length).toBe(ALL_ROUTES.length * MATRIX_ROLES.length);
    for (const route of ALL_ROUTES) {
      expect(new Set(MATRIX.filter((c) => c.route === route).map((c) => c.role))).toEqual(new Set(MATRIX_ROLES));
    }
  });

  it.each(MATRIX)('$name', async ({ route, role: row }) => {
    const role = row === CUSTOM ? world.customRole.name : row;
    const allowed = route.permission === 'public' || permissionsOf(world, role).has(route.permission);
    // Fixtures that depend on who acts (an approval step for the deciding role) take the role.
    const request = await (fixtureFor(route) as (world: World, target: 'A', role: string) => Promise<PreparedRequest>)(world, 'A', role);
    const token = await tokenFor(world, role, request);
    const bound = actingRole(request);
    const eligible = !bound?.onlyRoles || bound.onlyRoles.includes(role);
    const before = allowed && eligible ? undefined : await snapshot(request);
    const response = await send(world, request, token);
    if (allowed && !eligible) {
      // The permission is necessary, not sufficient: the object asks for one of `onlyRoles`.
      expectProblem(response, 403, bound!.refusal);
      expect(await snapshot(request)).toBe(before);
    } else if (allowed) {
      // The role holds the permission and the object is inside its data scope: the call succeeds.
      expect(response.status, response.text.slice(0, 500)).toBe(route.successStatus);
    } else {
      expectProblem(response, 403, 'forbidden');
      expect(response.body.detail).toContain(route.permission);
      expect(await snapshot(request)).toBe(before);
    }
  });
});

// ── authentication ───────────────────────────────────────────────────────────

/** Credentials that must never get past the authorizer. */
async function badCredentials(): Promise<{ kind: string; authorization: string | undefined; code: string }[]> {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const valid = await twin.token('dealer_user', { dealerId: world.dealerA.id });
  const [header, payload, signature] = valid.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  const foreign = await ephemeralSigner();
  const now = Math.floor(Date.now() / 1000);
  return [
    { kind: 'no Authorization header', authorization: undefined, code: 'unauthenticated' },
    { kind: 'empty bearer', authorization: 'Bearer ', code: 'unauthenticated' },
    { kind: 'another scheme', authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}`, code: 'unauthenticated' },
    { kind: 'expired token', authorization: `Bearer ${await twin.token('admin', { expiresIn: -120 })}`, code: 'token_expired' },
    { kind: 'token signed by another key', authorization: `Bearer ${await foreign.sign({ userId: 'intruder', roles: ['admin'] })}`, code: 'invalid_token' },
    {
      kind: 'token with a tampered payload (dealer_user → admin)',
      authorization: `Bearer ${header}.${b64({ ...claims, 'cognito:groups': ['admin'], 'custom:dealerId': undefined })}.${signature}`,
      code: 'invalid_token',
    },
    {
      kind: 'unsigned token (alg none)',
      authorization: `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, 'cognito:groups': ['admin'], exp: now + 3600 })}.`,
      code: 'invalid_token',
    },
    { kind: 'garbage', authorization: 'Bearer not.a.jwt', code: 'invalid_token' },
  ];
}

describe('authentication on every route', () => {
  it('public routes are public', () => {
    expect(PUBLIC_ROUTES.length).toBeGreaterThan(0);
  });

  it.each(PROTECTED_ROUTES.map((route) => ({ route, name: label(route) })))(
    '$name: missing, expired, forged or foreign tokens → 401',
    async ({ route }) => {
      const request = await fixtureFor(route)(world, 'A');
      const before = await snapshot(request);
      for (const credential of await badCredentials()) {
        const headers: Record<string, string> = { ...request.headers };
        if (credential.authorization !== undefined) headers.authorization = credential.authorization;
        const response = await send(world, { ...request, headers });
        expect(response.status, `${credential.kind}: ${response.text}`).toBe(401);
        expectProblem(response, 401, credential.code);
      }
      expect(await snapshot(request)).toBe(before);
    },
  );

  it.each(PROTECTED_ROUTES.map((route) => ({ route, name: label(route) })))(
    '$name: a valid token whose roles grant nothing (none, or an unknown/deleted role) → 403',
    async ({ route }) => {
      const request = await fixtureFor(route)(world, 'A');
      for (const roles of [[], ['no_such_role']]) {
        const token = await twin.signer.sign({ userId: 'nobody', roles, dealerId: world.dealerA.id });
        expectProblem(await send(world, request, token), 403, 'forbidden');
      }
    },
  );

  it.each(PUBLIC_ROUTES.map((route) => ({ route, name: label(route) })))('$name: answers without a token, and ignores a bad one', async ({ route }) => {
    const request = await fixtureFor(route)(world, 'A');
    expect((await send(world, request)).status).toBe(route.successStatus);
    expect((await send(world, request, 'not.a.jwt')).status).toBe(route.successStatus);
  });
});

// ── object-level: tenant isolation ───────────────────────────────────────────

type Outsider = 'dealer_admin' | 'dealer_user' | 'sales_manager';
const OUTSIDERS: Outsider[] = ['dealer_admin', 'dealer_user', 'sales_manager'];

/** A principal of dealer A (or a sales manager of A's region CN-EAST), never of B (CN-SOUTH). */
function outsiderToken(role: Outsider): Promise<string> {
  return role === 'sales_manager'
    ? twin.token(role, { userId: 'isolation-sm-east', regions: [world.dealerA.region] })
    : twin.token(role, { userId: `isolation-${role}-a`, dealerId: world.dealerA.id });
}

function visibleTo(role: Outsider, dealer: WorldDealer): boolean {
  return role === 'sales_manager' ? dealer.region === world.dealerA.region : dealer.id === world.dealerA.id;
}

const DEALER_OWNED_ROUTES = ALL_ROUTES.filter((route) => route.path.includes('{dealerId}'));

describe('tenant isolation: another dealer’s objects do not exist for you', () => {
  it('there are dealer-owned routes to check', () => {
    expect(DEALER_OWNED_ROUTES.length).toBeGreaterThan(0);
  });

  it.each(DEALER_OWNED_ROUTES.flatMap((route) => OUTSIDERS.map((role) => ({ route, role, name: `${label(route)} as ${role} on B’s dealer` }))))(
    '$name → 404 (403 only where the role lacks the permission everywhere)',
    async ({ route, role }) => {
      const request = await fixtureFor(route)(world, 'B');
      expect(request.dealer?.id, 'the fixture names the dealer it touches').toBeTruthy();
      expect(request.dealer!.region).toBe(world.dealerB.region);
      const dealerPath = `/dealers/${request.dealer!.id}`;
      const before = await twin.request('GET', dealerPath, { token: world.admin });
      const token = await outsiderToken(role);
      const allowed = BUILT_IN_ROLES.get(role)!.permissions.includes(route.permission as never);

      const response = await send(world, request, token);
      if (allowed) expectProblem(response, 404, 'not_found');
      else expectProblem(response, 403, 'forbidden');
      const leaked = world.dealers.find((d) => d.id === request.dealer!.id)!;
      expect(response.text).not.toContain(leaked.code);
      expect(response.text).not.toContain(leaked.name);

      // Indistinguishable from an id that does not exist at all.
      const ghost = ulid();
      const missing = await send(world, { ...request, path: request.path.replace(request.dealer!.id!, ghost) }, token);
      expect(missing.status).toBe(response.status);
      expect(missing.body.code).toBe(response.body.code);
      expect(missing.body.title).toBe(response.body.title);
      expect(missing.body.detail).toBe(response.body.detail.replace(request.dealer!.id, ghost));

      // And nothing about B changed.
      const after = await twin.request('GET', dealerPath, { token: world.admin });
      expect(after.status).toBe(200);
      expect(after.body).toEqual(before.body);
    },
  );

  it.each(DEALER_OWNED_ROUTES.flatMap((route) => OUTSIDERS.map((role) => ({ route, role, name: `${label(route)} as ${role} on its own dealer` }))))(
    '$name → allowed exactly when the role has the permission (the 404 above is about ownership)',
    async ({ route, role }) => {
      const request = await fixtureFor(route)(world, 'A');
      const token =
        role === 'sales_manager'
          ? await twin.token(role, { userId: 'isolation-sm-east', regions: [world.dealerA.region] })
          : await twin.token(role, { userId: `isolation-${role}-own`, dealerId: request.dealer!.id! });
      const allowed = BUILT_IN_ROLES.get(role)!.permissions.includes(route.permission as never);
      const response = await send(world, request, token);
      if (allowed) expect(response.status, response.text).toBe(route.successStatus);
      else expectProblem(response, 403, 'forbidden');
    },
  );
});

/** Every string anywhere in a JSON value. */
function strings(value: unknown, into: Set<string> = new Set()): Set<string> {
  if (typeof value === 'string') into.add(value);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, into));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => strings(v, into));
  return into;
}

/** All pages of a GET, following `nextCursor`. */
async function allPages(request: PreparedRequest, token: string): Promise<ApiResponse[]> {
  const pages: ApiResponse[] = [];
  let cursor: string | undefined;
  do {
    const response = await send(world, { ...request, query: { ...request.query, ...(cursor ? { cursor } : {}) } }, token);
    pages.push(response);
    if (response.status !== 200) break;
    cursor = response.body?.nextCursor;
  } while (cursor && pages.length < 500);
  return pages;
}

/** Query filters that would select a given dealer, for the list routes that take them. */
function probesFor(route: RouteSpec, dealer: WorldDealer): Record<string, string>[] {
  const keys = new Set(Object.keys(route.query?.shape ?? {}));
  const candidates: Record<string, string>[] = [
    { region: dealer.region },
    { tier: dealer.tier },
    { channelType: dealer.channelType },
    { status: dealer.status },
    { namePrefix: dealer.name },
    { entityType: 'dealer', entityId: dealer.id },
  ];
  // Only probes the list accepts: a dealer's status is no filter value for, say, products.
  return candidates.filter((probe) => Object.keys(probe).every((key) => keys.has(key)) && route.query!.safeParse(probe).success);
}

/** Every dealer in the table, as admin lists them (the ground truth for "outside its scope"). */
async function everyDealer(): Promise<WorldDealer[]> {
  const list = await fixtureFor(ALL_ROUTES.find((r) => r.operationId === 'listDealers')!)(world, 'A');
  const pages = await allPages(list, world.admin);
  const dealers = pages.flatMap((page) => page.body.items as WorldDealer[]);
  expect(dealers.length).toBeGreaterThanOrEqual(world.dealers.length);
  return dealers;
}

const LIST_ROUTES = ALL_ROUTES.filter((route) => route.method === 'GET' && !route.params);

describe('tenant isolation: lists never show another dealer', () => {
  it('there are list routes to check', () => {
    expect(LIST_ROUTES.some((r) => r.operationId === 'listDealers')).toBe(true);
  });

  it.each(LIST_ROUTES.flatMap((route) => OUTSIDERS.map((role) => ({ route, role, name: `${label(route)} as ${role} of A` }))))(
    '$name: no page, with or without filters, mentions a dealer outside its scope',
    async ({ route, role }) => {
      const token = await outsiderToken(role);
      const request = await fixtureFor(route)(world, 'A');
      const allowed = route.permission === 'public' || BUILT_IN_ROLES.get(role)!.permissions.includes(route.permission as never);
      const hidden = (await everyDealer()).filter((d) => !visibleTo(role, d));
      expect(hidden.map((d) => d.id)).toContain(world.dealerB.id);

      const requests: PreparedRequest[] = [request];
      for (const dealer of [world.dealerB, ...hidden.filter((d) => d.id !== world.dealerB.id).slice(0, 3)]) {
        for (const probe of probesFor(route, dealer)) requests.push({ ...request, query: { ...request.query, ...probe } });
      }
      for (const each of requests) {
        const pages = await allPages(each, token);
        for (const page of pages) {
          if (!allowed) {
            expectProblem(page, 403, 'forbidden');
            continue;
          }
          expect(page.status, page.text.slice(0, 300)).toBe(200);
          const seen = strings(page.body);
          for (const dealer of hidden) {
            expect(page.text, `${each.path}?${new URLSearchParams(each.query)} leaks ${dealer.id}`).not.toContain(dealer.id);
            expect(seen.has(dealer.code), `leaks code ${dealer.code}`).toBe(false);
            expect(seen.has(dealer.name), `leaks name ${dealer.name}`).toBe(false);
          }
        }
      }
    },
  );

  it('the checks are not vacuous: admin sees B in the list, the dealer sees itself, the manager its region', async () => {
    const list = fixtureFor(ALL_ROUTES.find((r) => r.operationId === 'listDealers')!);
    const request = await list(world, 'A');
    const ids = async (token: string) => (await allPages(request, token)).flatMap((p) => p.body.items.map((d: { id: string }) => d.id));
    expect(await ids(world.admin)).toContain(world.dealerB.id);
    expect(await ids(await outsiderToken('dealer_admin'))).toEqual([world.dealerA.id]);
    expect(await ids(await outsiderToken('dealer_user'))).toEqual([world.dealerA.id]);
    const east = await ids(await outsiderToken('sales_manager'));
    expect(east).toContain(world.dealerA.id);
    expect(east).not.toContain(world.dealerB.id);
  });

  it('a sales manager of CN-EAST gets 404 for B (CN-SOUTH) and 200 once B’s region is its own', async () => {
    const east = await outsiderToken('sales_manager');
    expectProblem(await twin.request('GET', `/dealers/${world.dealerB.id}`, { token: east }), 404, 'not_found');
    const south = await twin.token('sales_manager', { regions: ['CN-SOUTH'] });
    expect((await twin.request('GET', `/dealers/${world.dealerB.id}`, { token: south })).status).toBe(200);
    expectProblem(await twin.request('GET', `/dealers/${world.dealerA.id}`, { token: south }), 404, 'not_found');
  });

  it('a dealer principal without a dealer claim sees nothing', async () => {
    const orphan = await twin.token('dealer_admin', { userId: 'orphan' });
    expectProblem(await twin.request('GET', `/dealers/${world.dealerA.id}`, { token: orphan }), 404, 'not_found');
    expect((await twin.request('GET', '/dealers', { token: orphan })).body.items).toEqual([]);
  });
});
