import { BUILT_IN_ROLES, type DataScope } from '../../domain/access/roles';
import type { Permission } from '../../domain/access/permissions';
import type { HttpMethod, RouteSpec } from '../../functions/http/route';
import { ALL_ROUTES, type KnownRoute, type OperationId } from '../../functions/http/routes';
import { idempotencyKey, newDealerInput, type ApiResponse, type TestTwin } from './twin';

/**
 * A valid request for every operation of the route table, built on a small seeded world, so
 * the authorization matrix, the fuzz tests and the audit walk can be generated from the table.
 * `OperationId` is the exact union of the route table's operation ids: a route without a
 * fixture, or a fixture for a route that no longer exists, is a type error.
 */
export type { KnownRoute, OperationId };
type RouteById<Id extends OperationId> = Extract<KnownRoute, { operationId: Id }>;

/** Which dealer a fixture aims at: A lives in CN-EAST, B in CN-SOUTH. */
export type Target = 'A' | 'B';
export const TARGET_REGION: Record<Target, string> = { A: 'CN-EAST', B: 'CN-SOUTH' };

export interface WorldDealer {
  id: string;
  code: string;
  name: string;
  region: string;
  tier: string;
  channelType: string;
  status: string;
}

export interface CustomRoleFixture {
  name: string;
  permissions: Permission[];
  scope: DataScope;
}

export interface World {
  twin: TestTwin;
  adminUserId: string;
  /** An admin token (all permissions, all data). */
  admin: string;
  dealerA: WorldDealer;
  dealerB: WorldDealer;
  /** A custom role defined through the API, usable in tokens like a built-in one. */
  customRole: CustomRoleFixture;
  /** Every dealer the world and the fixtures registered before the request. */
  dealers: WorldDealer[];
}

export interface PreparedRequest {
  method: HttpMethod;
  /** The path with its parameters filled, without the query string. */
  path: string;
  query: Record<string, string>;
  /** Sent as JSON when present. */
  body?: unknown;
  headers: Record<string, string>;
  /** The dealer-owned object the request reads or changes, deciding object-level access. */
  dealer?: { id?: string; region: string };
}

export interface AuditExpectation {
  action: string;
  entityType: string;
  entityId: string;
  /** Where the entity can be read (as admin) to compare against the record's before/after. */
  readPath: string;
  /** The change removes the entity: reading it afterwards gives 404. */
  deletes?: boolean;
}

export interface MutationRequest extends PreparedRequest {
  /** The entity as it exists before the request (absent for creations). */
  existing?: { entityType: string; entityId: string; readPath: string };
  /** The single audit record the successful request must leave, given its response. */
  audit(response: ApiResponse): AuditExpectation;
}

export type FixtureFor<Id extends OperationId> = (
  world: World,
  target?: Target,
) => Promise<RouteById<Id>['mutates'] extends true ? MutationRequest : PreparedRequest>;

/** Exactly one fixture per operation of the route table. */
export type RouteFixtures = { [Id in OperationId]: FixtureFor<Id> };

let sequence = 0;
function unique(prefix: string): string {
  sequence += 1;
  return `${prefix}_${Date.now().toString(36)}_${sequence}_${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/** The request as a path with its query string. */
export function urlOf(request: Pick<PreparedRequest, 'path' | 'query'>): string {
  const query = new URLSearchParams(request.query).toString();
  return query ? `${request.path}?${query}` : request.path;
}

/** Sends a prepared request with a token (or none). */
export function send(world: World, request: PreparedRequest, token?: string, extraHeaders: Record<string, string> = {}): Promise<ApiResponse> {
  return world.twin.request(request.method, urlOf(request), {
    ...(token ? { token } : {}),
    ...(request.body !== undefined ? { body: request.body } : {}),
    headers: { ...request.headers, ...extraHeaders },
  });
}

/** An admin call the fixture depends on; anything but a 2xx is a broken fixture, reported loudly. */
async function adminCall(world: World, method: HttpMethod, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
  const response = await world.twin.request(method, path, { token: world.admin, ...(body !== undefined ? { body } : {}), headers });
  if (response.status < 200 || response.status > 299) {
    throw new Error(`fixture setup ${method} ${path} failed: ${response.status} ${response.text}`);
  }
  return response;
}

function toWorldDealer(body: Record<string, string>): WorldDealer {
  return {
    id: body.id!,
    code: body.code!,
    name: body.name!,
    region: body.region!,
    tier: body.tier!,
    channelType: body.channelType!,
    status: body.status!,
  };
}

/** Registers a fresh dealer (as admin) in the target's region; returns it with its ETag. */
export async function freshDealer(world: World, target: Target = 'A'): Promise<{ dealer: WorldDealer; etag: string }> {
  const response = await adminCall(world, 'POST', '/dealers', newDealerInput({ region: TARGET_REGION[target] }), { 'idempotency-key': idempotencyKey() });
  const dealer = toWorldDealer(response.body);
  world.dealers.push(dealer);
  return { dealer, etag: response.headers.get('etag')! };
}

/** Defines a fresh custom role (as admin); returns its name and ETag. */
export async function freshRole(world: World): Promise<{ name: string; etag: string }> {
  const name = unique('fx_role');
  const response = await adminCall(
    world,
    'POST',
    '/roles',
    { name, description: '测试角色 fixture role', permissions: ['profile:read', 'dealers:read'], scope: 'all' },
    { 'idempotency-key': idempotencyKey() },
  );
  return { name, etag: response.headers.get('etag')! };
}

/** The seeded world: dealer A (CN-EAST), dealer B (CN-SOUTH) and one custom role. */
export async function createWorld(twin: TestTwin): Promise<World> {
  const adminUserId = 'fixture-admin';
  const world: World = {
    twin,
    adminUserId,
    admin: await twin.token('admin', { userId: adminUserId }),
    dealerA: undefined as never,
    dealerB: undefined as never,
    customRole: { name: unique('world_custom'), permissions: ['profile:read', 'regions:read', 'dealers:read', 'audit:read'], scope: 'all' },
    dealers: [],
  };
  world.dealerA = (await freshDealer(world, 'A')).dealer;
  world.dealerB = (await freshDealer(world, 'B')).dealer;
  await adminCall(world, 'POST', '/roles', { ...world.customRole, description: '自定义只读角色 custom reader' }, { 'idempotency-key': idempotencyKey() });
  return world;
}

/** The token claims that put `request`'s object inside the role's data scope. */
export function scopeClaims(world: World, scope: DataScope, request?: PreparedRequest): { dealerId?: string; regions?: string[] } {
  if (scope === 'dealer') return { dealerId: request?.dealer?.id ?? world.dealerA.id };
  if (scope === 'region') return { regions: [request?.dealer?.region ?? TARGET_REGION.A] };
  return {};
}

/** A token for a built-in role or the world's custom role, scoped to reach `request`'s object. */
export function tokenFor(world: World, role: string, request?: PreparedRequest, userId = `matrix-${role}`): Promise<string> {
  const scope = BUILT_IN_ROLES.get(role)?.scope ?? (role === world.customRole.name ? world.customRole.scope : undefined);
  if (!scope) throw new Error(`unknown role ${role}`);
  return world.twin.token(role, { userId, ...scopeClaims(world, scope, request) });
}

export function permissionsOf(world: World, role: string): ReadonlySet<string> {
  const builtIn = BUILT_IN_ROLES.get(role);
  if (builtIn) return new Set(builtIn.permissions);
  if (role === world.customRole.name) return new Set(world.customRole.permissions);
  throw new Error(`unknown role ${role}`);
}

const get = (path: string, query: Record<string, string> = {}, dealer?: PreparedRequest['dealer']): PreparedRequest => ({
  method: 'GET',
  path,
  query,
  headers: {},
  ...(dealer ? { dealer } : {}),
});

const seeded = (world: World, target: Target) => (target === 'A' ? world.dealerA : world.dealerB);

function dealerMutation(dealer: WorldDealer, action: string): Pick<MutationRequest, 'existing' | 'audit' | 'dealer'> {
  const readPath = `/dealers/${dealer.id}`;
  return {
    dealer: { id: dealer.id, region: dealer.region },
    existing: { entityType: 'dealer', entityId: dealer.id, readPath },
    audit: () => ({ action, entityType: 'dealer', entityId: dealer.id, readPath }),
  };
}

export const ROUTE_FIXTURES: RouteFixtures = {
  // ── dealers ────────────────────────────────────────────────────────────────
  listRegions: async () => get('/regions'),

  createDealer: async (_world, target = 'A') => ({
    method: 'POST',
    path: '/dealers',
    query: {},
    body: newDealerInput({ region: TARGET_REGION[target] }),
    headers: { 'idempotency-key': idempotencyKey() },
    dealer: { region: TARGET_REGION[target] },
    audit: (response) => {
      const id = String(response.body?.id);
      return { action: 'dealer.created', entityType: 'dealer', entityId: id, readPath: `/dealers/${id}` };
    },
  }),

  listDealers: async () => get('/dealers', { limit: '100' }),

  getDealer: async (world, target = 'A') => {
    const dealer = seeded(world, target);
    return get(`/dealers/${dealer.id}`, {}, { id: dealer.id, region: dealer.region });
  },

  updateDealer: async (world, target = 'A') => {
    const { dealer, etag } = await freshDealer(world, target);
    const path = `/dealers/${dealer.id}`;
    return {
      method: 'PATCH',
      path,
      query: {},
      body: { tier: 'platinum', shortName: '新简称', channelType: 'retailer' },
      headers: { 'if-match': etag },
      ...dealerMutation(dealer, 'dealer.updated'),
    };
  },

  replaceDealerContacts: async (world, target = 'A') => {
    const { dealer, etag } = await freshDealer(world, target);
    const path = `/dealers/${dealer.id}/contacts`;
    return {
      method: 'PUT',
      path,
      query: {},
      body: {
        contacts: [
          { name: '李娜', title: '采购经理', mobile: '13900000000', email: 'li.na@example.cn', primary: true },
          { name: '王强', mobile: '+86 21 5555 0000' },
        ],
      },
      headers: { 'if-match': etag },
      ...dealerMutation(dealer, 'dealer.contacts_replaced'),
    };
  },

  changeDealerStatus: async (world, target = 'A') => {
    const { dealer, etag } = await freshDealer(world, target);
    const path = `/dealers/${dealer.id}/status`;
    return {
      method: 'POST',
      path,
      query: {},
      body: { status: 'active', reason: '资质审核通过' },
      headers: { 'if-match': etag },
      ...dealerMutation(dealer, 'dealer.status_changed'),
    };
  },

  // ── access ─────────────────────────────────────────────────────────────────
  getMe: async () => get('/me'),

  listPermissions: async () => get('/permissions'),

  listRoles: async () => get('/roles'),

  createRole: async () => {
    const name = unique('fx_new');
    return {
      method: 'POST',
      path: '/roles',
      query: {},
      body: { name, description: '区域只读 regional reader', permissions: ['profile:read', 'dealers:read', 'regions:read'], scope: 'region' },
      headers: { 'idempotency-key': idempotencyKey() },
      audit: () => ({ action: 'role.created', entityType: 'role', entityId: name, readPath: `/roles/${name}` }),
    };
  },

  getRole: async (world) => get(`/roles/${world.customRole.name}`),

  updateRole: async (world) => {
    const { name, etag } = await freshRole(world);
    const readPath = `/roles/${name}`;
    return {
      method: 'PATCH',
      path: readPath,
      query: {},
      body: { description: '改过的描述 changed', permissions: ['profile:read', 'dealers:read', 'audit:read'] },
      headers: { 'if-match': etag },
      existing: { entityType: 'role', entityId: name, readPath },
      audit: () => ({ action: 'role.updated', entityType: 'role', entityId: name, readPath }),
    };
  },

  deleteRole: async (world) => {
    const { name, etag } = await freshRole(world);
    const readPath = `/roles/${name}`;
    return {
      method: 'DELETE',
      path: readPath,
      query: {},
      headers: { 'if-match': etag },
      existing: { entityType: 'role', entityId: name, readPath },
      audit: () => ({ action: 'role.deleted', entityType: 'role', entityId: name, readPath, deletes: true }),
    };
  },

  // ── audit ──────────────────────────────────────────────────────────────────
  listAuditLog: async () => get('/audit-log', { limit: '50' }),

  // ── docs ───────────────────────────────────────────────────────────────────
  getOpenApi: async () => get('/openapi.json'),
};

/** The fixture of a route of ALL_ROUTES (whose operationId is only `string` there). */
export function fixtureFor(route: RouteSpec): (world: World, target?: Target) => Promise<PreparedRequest> {
  const fixture = (ROUTE_FIXTURES as Record<string, ((world: World, target?: Target) => Promise<PreparedRequest>) | undefined>)[route.operationId];
  if (!fixture) throw new Error(`no fixture for ${route.operationId}: add one to test/support/route-fixtures.ts`);
  return fixture;
}

export function mutationFixtureFor(route: RouteSpec): (world: World, target?: Target) => Promise<MutationRequest> {
  if (!route.mutates) throw new Error(`${route.operationId} does not mutate`);
  return fixtureFor(route) as (world: World, target?: Target) => Promise<MutationRequest>;
}

/** Exactly one fixture per route (the type guarantees it; this also checks at run time). */
export function assertFixturesCoverRouteTable(): void {
  const ids = new Set(ALL_ROUTES.map((r) => r.operationId));
  const missing = [...ids].filter((id) => !Object.hasOwn(ROUTE_FIXTURES, id));
  const stale = Object.keys(ROUTE_FIXTURES).filter((id) => !ids.has(id));
  if (missing.length || stale.length) throw new Error(`fixtures out of step with the route table: missing ${missing.join(', ')}; stale ${stale.join(', ')}`);
}

assertFixturesCoverRouteTable();
