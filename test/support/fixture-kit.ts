import { BUILT_IN_ROLES, type DataScope } from '../../domain/access/roles';
import type { Permission } from '../../domain/access/permissions';
import type { HttpMethod } from '../../functions/http/route';
import type { KnownRoute, OperationId } from '../../functions/http/routes';
import { idempotencyKey, newDealerInput, type ApiResponse, type TestTwin } from './twin';

/**
 * The vocabulary of route fixtures: the seeded world, prepared requests, audit expectations and
 * the helpers fixtures share. The fixtures themselves are in route-fixtures.ts and fixtures/.
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
export function unique(prefix: string): string {
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
export async function adminCall(world: World, method: HttpMethod, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
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

export const get = (path: string, query: Record<string, string> = {}, dealer?: PreparedRequest['dealer']): PreparedRequest => ({
  method: 'GET',
  path,
  query,
  headers: {},
  ...(dealer ? { dealer } : {}),
});

export const seeded = (world: World, target: Target) => (target === 'A' ? world.dealerA : world.dealerB);

export function dealerMutation(dealer: WorldDealer, action: string): Pick<MutationRequest, 'existing' | 'audit' | 'dealer'> {
  const readPath = `/dealers/${dealer.id}`;
  return {
    dealer: { id: dealer.id, region: dealer.region },
    existing: { entityType: 'dealer', entityId: dealer.id, readPath },
    audit: () => ({ action, entityType: 'dealer', entityId: dealer.id, readPath }),
  };
}


/** The fixtures of one context's operations (a context's fixture module exports one of these). */
export type ContextFixtures<C extends { routes: readonly { operationId: string }[] }> = {
  [Id in C['routes'][number]['operationId'] & OperationId]: FixtureFor<Id>;
};
