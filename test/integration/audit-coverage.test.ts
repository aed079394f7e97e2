import { isDeepStrictEqual } from 'node:util';
import type { AuditEntry } from '../../domain/audit/audit-entry';
import { ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BUILT_IN_ROLE_NAMES, BUILT_IN_ROLES } from '../../domain/access/roles';
import type { RouteSpec } from '../../functions/http/route';
import { ALL_ROUTES } from '../../functions/http/routes';
import { localClient } from '../../infra/local/tables';
import {
  createWorld,
  fixtureFor,
  mutationFixtureFor,
  scopeClaims,
  send,
  type MutationRequest,
  type OperationId,
  type World,
} from '../support/route-fixtures';
import { actingRole, asyncConsequences } from '../support/fixtures/orders';
import { startTestTwin, type ApiResponse, type TestTwin } from '../support/twin';

/**
 * Walks the route table: every route that changes state leaves exactly one audit record per
 * change — right actor, action, entity, request id, and `changes` naming exactly the fields
 * that changed with their before/after values — and nothing else leaves one: not reads, not
 * refused or failed mutations, not idempotent replays.
 */

type AuditRecord = AuditEntry;

let twin: TestTwin;
let world: World;
let dynamo: DynamoDBClient;

beforeAll(async () => {
  twin = await startTestTwin();
  world = await createWorld(twin);
  dynamo = localClient(inject('dynamoEndpoint'));
});
afterAll(async () => {
  dynamo?.destroy();
  await twin?.close();
});

const label = (route: RouteSpec) => `${route.method} ${route.path} (${route.operationId})`;
const MUTATING = ALL_ROUTES.filter((route) => route.mutates);
const READING = ALL_ROUTES.filter((route) => !route.mutates);

/** Every audit record since `from`, newest first, through the API (all pages). */
async function auditSince(from: string): Promise<AuditRecord[]> {
  const records: AuditRecord[] = [];
  let cursor: string | undefined;
  do {
    const query = new URLSearchParams({ from, limit: '100', ...(cursor ? { cursor } : {}) });
    const response = await twin.request('GET', `/audit-log?${query}`, { token: world.admin });
    expect(response.status, response.text).toBe(200);
    records.push(...response.body.items);
    cursor = response.body.nextCursor;
  } while (cursor);
  return records;
}

/** Audit items in storage (a Scan, tests only), to cross-check what the API shows. */
async function storedAuditItems(): Promise<number> {
  let count = 0;
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamo.send(
      new ScanCommand({
        TableName: twin.tableName,
        ConsistentRead: true,
        FilterExpression: '#entity = :audit',
        ExpressionAttributeNames: { '#entity': '__edb_e__' },
        ExpressionAttributeValues: { ':audit': { S: 'audit' } },
        Select: 'COUNT',
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return count;
}

interface AuditWatch {
  from: string;
  before: Set<string>;
  stored: number;
}

/** Starts watching the audit log (after any fixture setup has written its own records). */
async function watchAudit(): Promise<AuditWatch> {
  const from = new Date(Date.now() - 2_000).toISOString();
  return { from, before: new Set((await auditSince(from)).map((r) => r.id)), stored: await storedAuditItems() };
}

/** The records written since the watch started; the stored count must agree. */
async function newRecords(watch: AuditWatch): Promise<AuditRecord[]> {
  const fresh = (await auditSince(watch.from)).filter((r) => !watch.before.has(r.id));
  expect(await storedAuditItems(), 'audit items in the table vs. the API').toBe(watch.stored + fresh.length);
  return fresh;
}

/** A mutation fixture, told which role the request will be sent as (fixtures that depend on it use it). */
function mutationFor(route: RouteSpec, role?: string): Promise<MutationRequest> {
  return (mutationFixtureFor(route) as (world: World, target: 'A', role?: string) => Promise<MutationRequest>)(world, 'A', role);
}

/** The token a walk sends a request with when any holder of the permission will do: admin, unless the request names a role. */
async function performerToken(request: MutationRequest): Promise<string> {
  const role = actingRole(request)?.sendAs;
  if (!role) return world.admin;
  return twin.token(role, { userId: `audit-performer-${role}`, ...scopeClaims(world, BUILT_IN_ROLES.get(role)!.scope, request) });
}

/** The entity as it was before `records` (newest first) changed it: their `changes` undone. */
function rolledBack(view: Record<string, unknown>, records: AuditRecord[]): Record<string, unknown> {
  const state: Record<string, unknown> = { ...view };
  for (const record of records) {
    for (const [key, change] of Object.entries(record.changes)) {
      if ('before' in change) state[key] = change.before;
      else delete state[key];
    }
  }
  return state;
}

async function read(path: string): Promise<ApiResponse> {
  return twin.request('GET', path, { token: world.admin });
}

const IGNORED_FIELDS = new Set(['version', 'updatedAt']);

/**
 * `changes` names exactly the fields whose value differs between the entity as read before and
 * after, with those values. Fields the API does not show (createdBy, createdAt) may appear too.
 */
function expectChangesMatch(changes: AuditRecord['changes'], before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined): void {
  expect(Object.keys(changes).length, 'a state change names at least one field').toBeGreaterThan(0);
  const b = before ?? {};
  const a = after ?? {};
  const visible = new Set([...Object.keys(b), ...Object.keys(a)]);
  for (const key of visible) {
    if (IGNORED_FIELDS.has(key)) continue;
    if (isDeepStrictEqual(b[key], a[key])) {
      expect(changes, `unchanged field ${key} is not in changes`).not.toHaveProperty(key);
      continue;
    }
    expect(changes, `changed field ${key} is in changes`).toHaveProperty(key);
    const expected: { before?: unknown; after?: unknown } = {};
    if (b[key] !== undefined) expected.before = b[key];
    if (a[key] !== undefined) expected.after = a[key];
    expect(changes[key], `before/after of ${key}`).toEqual(expected);
  }
  for (const [key, change] of Object.entries(changes)) {
    expect(IGNORED_FIELDS.has(key), `${key} is bookkeeping, not a change`).toBe(false);
    expect('before' in change || 'after' in change, `${key} has a before or an after`).toBe(true);
    if (!visible.has(key)) {
      // Not shown by the API: it can only be set on creation or cleared on deletion.
      expect(before === undefined || after === undefined, `${key} changed but is invisible`).toBe(true);
    }
  }
}

describe('the route table marks what mutates', () => {
  it('every route that is not a GET mutates, every GET does not', () => {
    expect(MUTATING.length).toBeGreaterThan(0);
    for (const route of ALL_ROUTES) expect(route.mutates, label(route)).toBe(route.method !== 'GET');
  });
});

/** Each mutating route, performed by every built-in role that may (admin first). */
const PERFORMERS = MUTATING.flatMap((route) =>
  BUILT_IN_ROLE_NAMES.filter((role) => BUILT_IN_ROLES.get(role)!.permissions.includes(route.permission as never)).map((role) => ({
    route,
    role,
    name: `${label(route)} as ${role}`,
  })),
);

describe('every state change writes exactly one audit record', () => {
  it('walks every mutating route, each at least as admin', () => {
    for (const route of MUTATING) expect(PERFORMERS.some((p) => p.route === route && p.role === 'admin'), label(route)).toBe(true);
  });

  it.each(PERFORMERS)('$name', async ({ route, role }) => {
    const request = await mutationFor(route, role);
    const scope = BUILT_IN_ROLES.get(role)!.scope;
    const claims = scopeClaims(world, scope, request);
    const actorId = `audit-walk-${role}-${route.operationId}`;
    const token = await twin.token(role, { userId: actorId, ...claims });
    const beforeView = request.existing ? await read(request.existing.readPath) : undefined;
    if (beforeView) expect(beforeView.status).toBe(200);
    const watch = await watchAudit();
    const started = Date.now();

    const response = await send(world, request, token);
    const acting = actingRole(request);
    if (acting?.onlyRoles && !acting.onlyRoles.includes(role)) {
      // The permission is necessary, not sufficient (an approval step needs its role): refused, nothing written.
      expect(response.status, response.text.slice(0, 500)).toBe(403);
      expect(response.body.code).toBe(acting.refusal);
      expect(await newRecords(watch)).toEqual([]);
      if (beforeView) expect((await read(request.existing!.readPath)).body).toEqual(beforeView.body);
      return;
    }
    expect(response.status, response.text.slice(0, 500)).toBe(route.successStatus);
    const expectation = request.audit(response);
    // What the request set going in the background (a workflow) writes records of its own, by its own actor.
    const consequences = asyncConsequences(request);
    await consequences?.settle(response);

    const all = await newRecords(watch);
    const followUps = all.filter((r) => r.actorId !== actorId);
    expect(followUps.map((r) => ({ action: r.action, actorId: r.actorId, entityId: r.entityId }))).toEqual(
      (consequences?.followUps ?? []).map((f) => ({ ...f, entityId: expectation.entityId })),
    );
    const records = all.filter((r) => r.actorId === actorId);
    expect(records, JSON.stringify(records, null, 1).slice(0, 2000)).toHaveLength(1);
    const record = records[0]!;
    expect(record).toMatchObject({
      actorId,
      actorRoles: [role],
      action: expectation.action,
      entityType: expectation.entityType,
      entityId: expectation.entityId,
    });
    if (claims.dealerId) expect(record.actorDealerId).toBe(claims.dealerId);
    else expect(record.actorDealerId).toBeUndefined();
    expect(record.requestId).toMatch(/^\S{8,}$/);
    expect(Date.parse(record.at)).toBeGreaterThanOrEqual(started - 1_000);
    expect(Date.parse(record.at)).toBeLessThanOrEqual(Date.now() + 1_000);

    // The entity's own trail shows the same record.
    const trail = await twin.request('GET', `/audit-log?${new URLSearchParams({ entityType: expectation.entityType, entityId: expectation.entityId, limit: '100' })}`, { token: world.admin });
    expect(trail.status).toBe(200);
    expect(trail.body.items[followUps.length]).toEqual(record);

    // `changes` is exactly the difference between the entity before and after (as admin sees it);
    // after the request's own change, not the workflow's that followed.
    const afterView = await read(expectation.readPath);
    if (expectation.deletes) expect(afterView.status).toBe(404);
    else expect(afterView.status).toBe(200);
    expectChangesMatch(record.changes, beforeView?.body, expectation.deletes ? undefined : rolledBack(afterView.body, followUps));
  });

  it('each of several successive changes to one entity writes its own record, with distinct request ids', async () => {
    const { dealer, etag } = await (async () => {
      const create = mutationFixtureFor(MUTATING.find((r) => r.operationId === 'createDealer')!);
      const request = await create(world, 'A');
      const response = await send(world, request, world.admin);
      expect(response.status).toBe(201);
      return { dealer: response.body as { id: string }, etag: response.headers.get('etag')! };
    })();
    const watch = await watchAudit();
    let version = etag;
    for (const status of ['active', 'suspended', 'active']) {
      const response = await twin.request('POST', `/dealers/${dealer.id}/status`, { token: world.admin, body: { status, reason: `变更为 ${status}` }, headers: { 'if-match': version } });
      expect(response.status).toBe(200);
      version = response.headers.get('etag')!;
    }
    const records = (await newRecords(watch)).reverse();
    expect(records.map((r) => r.action)).toEqual(['dealer.status_changed', 'dealer.status_changed', 'dealer.status_changed']);
    expect(records.map((r) => r.changes.status)).toEqual([
      { before: 'prospect', after: 'active' },
      { before: 'active', after: 'suspended' },
      { before: 'suspended', after: 'active' },
    ]);
    expect(new Set(records.map((r) => r.requestId)).size).toBe(3);
  });
});

describe('reads write no audit records', () => {
  it.each(READING.map((route) => ({ route, name: label(route) })))('$name', async ({ route }) => {
    const request = await fixtureFor(route)(world, 'A');
    const watch = await watchAudit();
    for (const role of BUILT_IN_ROLE_NAMES) {
      const token = await twin.token(role, { userId: `reader-${role}`, ...scopeClaims(world, BUILT_IN_ROLES.get(role)!.scope, request) });
      const response = await send(world, request, token);
      expect(response.status).toBeLessThan(500);
    }
    expect(await newRecords(watch)).toEqual([]);
  });
});

// ── failed mutations ─────────────────────────────────────────────────────────

interface Failure {
  name: string;
  status: number;
  code?: string;
  /** Turns the valid fixture request into the failing one; may send setup requests of its own. */
  make(request: MutationRequest, route: RouteSpec): Promise<{ request: MutationRequest; token?: string }> | { request: MutationRequest; token?: string };
  applies(route: RouteSpec): boolean;
}

function withoutHeader(request: MutationRequest, name: string): MutationRequest {
  const headers = { ...request.headers };
  delete headers[name];
  return { ...request, headers };
}

function roleLacking(route: RouteSpec): string {
  return BUILT_IN_ROLE_NAMES.find((role) => !BUILT_IN_ROLES.get(role)!.permissions.includes(route.permission as never))!;
}

/** Failures every mutating route can suffer, derived from its route-table entry. */
const GENERIC_FAILURES: Failure[] = [
  {
    name: 'an unknown body field',
    status: 400,
    code: 'validation_failed',
    applies: (route) => route.body !== undefined,
    make: (request) => ({ request: { ...request, body: { ...(request.body as object), zzUnknown: true } } }),
  },
  {
    name: 'a body the operation does not take',
    status: 400,
    code: 'validation_failed',
    applies: (route) => route.body === undefined,
    make: (request) => ({ request: { ...request, body: { reason: 'no' } } }),
  },
  {
    name: 'a wrong query parameter',
    status: 400,
    code: 'validation_failed',
    applies: () => true,
    make: (request) => ({ request: { ...request, query: { dryRun: 'true' } } }),
  },
  { name: 'no If-Match', status: 428, code: 'if_match_required', applies: (route) => route.requiresIfMatch === true, make: (request) => ({ request: withoutHeader(request, 'if-match') }) },
  {
    name: 'a stale If-Match',
    status: 412,
    code: 'version_mismatch',
    applies: (route) => route.requiresIfMatch === true,
    make: (request) => ({ request: { ...request, headers: { ...request.headers, 'if-match': '"999"' } } }),
  },
  {
    name: 'no Idempotency-Key',
    status: 400,
    code: 'validation_failed',
    applies: (route) => route.idempotent === true,
    make: (request) => ({ request: withoutHeader(request, 'idempotency-key') }),
  },
  {
    name: 'an object that does not exist',
    status: 404,
    code: 'not_found',
    applies: (route) => route.params !== undefined,
    make: (request, route) => {
      const template = route.path.split('/');
      // An id of the right shape (a ULID where the route takes one) that names nothing.
      const ghost = route.path.includes('{dealerId}') || route.params?.safeParse(Object.fromEntries(Object.keys(route.params.shape).map((k) => [k, ulid()]))).success ? ulid() : `ghost_${Date.now().toString(36)}`;
      const path = request.path
        .split('/')
        .map((part, i) => (/^\{.+\}$/.test(template[i] ?? '') ? ghost : part))
        .join('/');
      return { request: { ...request, path } };
    },
  },
  {
    name: 'a role without the permission',
    status: 403,
    code: 'forbidden',
    applies: () => true,
    make: async (request, route) => {
      const role = roleLacking(route);
      return { request, token: await twin.token(role, { userId: `audit-denied-${role}`, ...scopeClaims(world, BUILT_IN_ROLES.get(role)!.scope, request) }) };
    },
  },
  {
    name: 'a dealer principal on another dealer’s object',
    status: 404,
    code: 'not_found',
    applies: (route) => route.path.includes('{dealerId}') && BUILT_IN_ROLES.get('dealer_admin')!.permissions.includes(route.permission as never),
    make: async (request) => ({ request, token: await twin.token('dealer_admin', { userId: 'audit-other-dealer', dealerId: world.dealerB.id }) }),
  },
];

/** Business-rule failures, per operation. */
const DOMAIN_FAILURES: Partial<Record<OperationId, Failure[]>> = {
  createDealer: [
    {
      name: 'a dealer code already taken',
      status: 409,
      code: 'dealer_code_taken',
      applies: () => true,
      make: (request) => ({ request: { ...request, body: { ...(request.body as object), code: world.dealerA.code } } }),
    },
    {
      name: 'a region outside the sales manager’s regions',
      status: 403,
      code: 'region_out_of_scope',
      applies: () => true,
      make: async (request) => ({ request, token: await twin.token('sales_manager', { userId: 'audit-sm-north', regions: ['CN-NORTH'] }) }),
    },
    {
      name: 'internal fields from a role that may not see them',
      status: 403,
      code: 'internal_field_forbidden',
      applies: () => true,
      make: async (request) => {
        // A custom role that may register dealers but not see internal fields.
        const name = `no_internal_${Date.now().toString(36)}`;
        const created = await twin.request('POST', '/roles', {
          token: world.admin,
          body: { name, description: '只能登记 register only', permissions: ['dealers:create', 'dealers:read'], scope: 'all' },
          headers: { 'idempotency-key': ulid() },
        });
        expect(created.status).toBe(201);
        return { request: { ...request, body: { ...(request.body as object), internalNotes: '内部' } }, token: await twin.token(name, { userId: 'audit-register-only' }) };
      },
    },
    { name: 'an unknown region', status: 400, code: 'unknown_region', applies: () => true, make: (request) => ({ request: { ...request, body: { ...(request.body as object), region: 'CN-MOON' } } }) },
  ],
  changeDealerStatus: [
    {
      name: 'a transition the lifecycle does not allow (prospect → suspended)',
      status: 409,
      code: 'invalid_status_transition',
      applies: () => true,
      make: (request) => ({ request: { ...request, body: { status: 'suspended', reason: '跳过' } } }),
    },
  ],
  createRole: [
    { name: 'a built-in role name', status: 409, code: 'role_exists', applies: () => true, make: (request) => ({ request: { ...request, body: { ...(request.body as object), name: 'admin' } } }) },
    {
      name: 'a custom role name already taken',
      status: 409,
      code: 'role_exists',
      applies: () => true,
      make: (request) => ({ request: { ...request, body: { ...(request.body as object), name: world.customRole.name } } }),
    },
  ],
  updateRole: [
    {
      name: 'a built-in role',
      status: 403,
      code: 'built_in_role',
      applies: () => true,
      make: (request) => ({ request: { ...request, path: '/roles/admin', headers: { ...request.headers, 'if-match': '"1"' } } }),
    },
  ],
  deleteRole: [
    {
      name: 'a built-in role',
      status: 403,
      code: 'built_in_role',
      applies: () => true,
      make: (request) => ({ request: { ...request, path: '/roles/auditor', headers: { ...request.headers, 'if-match': '"1"' } } }),
    },
  ],
};

const FAILURES = MUTATING.flatMap((route) =>
  [...GENERIC_FAILURES, ...(DOMAIN_FAILURES[route.operationId as OperationId] ?? [])]
    .filter((failure) => failure.applies(route))
    .map((failure) => ({ route, failure, name: `${label(route)} with ${failure.name} → ${failure.status}` })),
);

describe('failed mutations write no audit record and change nothing', () => {
  it('every mutating route has failure cases', () => {
    for (const route of MUTATING) expect(FAILURES.filter((f) => f.route === route).length, label(route)).toBeGreaterThanOrEqual(3);
  });

  it.each(FAILURES)('$name', async ({ route, failure }) => {
    const valid = await mutationFixtureFor(route)(world, 'A');
    const { request, token } = await failure.make(valid, route);
    const before = request.existing ? await read(request.existing.readPath) : undefined;
    const watch = await watchAudit();
    const events = twin.bus.published.length;

    const response = await send(world, request, token ?? world.admin);
    expect(response.status, response.text.slice(0, 500)).toBe(failure.status);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    if (failure.code) expect(response.body.code).toBe(failure.code);

    expect(await newRecords(watch)).toEqual([]);
    expect(twin.bus.published.length).toBe(events);
    if (before) {
      const after = await read(request.existing!.readPath);
      expect(after.status).toBe(before.status);
      expect(after.body).toEqual(before.body);
    }
    // Nothing was created from the failed request either.
    const body = request.body as { name?: string } | undefined;
    if (route.operationId === 'createRole' && response.status !== 409) expect((await read(`/roles/${body!.name}`)).status).toBe(404);
    if (route.operationId === 'createDealer') {
      expect((await read(`/dealers?${new URLSearchParams({ namePrefix: body!.name!, limit: '100' })}`)).body.items).toEqual([]);
    }
  });

  it.each(MUTATING.filter((route) => route.idempotent).map((route) => ({ route, name: label(route) })))(
    '$name: replaying the same Idempotency-Key writes no second record; another body with it is a 422 that writes none',
    async ({ route }) => {
      const request = await mutationFor(route);
      // Prepared before watching: fixture setup may leave records (a workflow it started).
      const other = (await mutationFor(route)).body;
      const token = await performerToken(request);
      const watch = await watchAudit();
      const first = await send(world, request, token);
      expect(first.status).toBe(route.successStatus);
      const replays = await Promise.all([1, 2, 3].map(() => send(world, request, token)));
      for (const replay of replays) {
        expect(replay.status).toBe(first.status);
        expect(replay.body).toEqual(first.body);
      }
      const consequences = asyncConsequences(request);
      await consequences?.settle(first);
      const followUps = consequences?.followUps.length ?? 0;
      const records = await newRecords(watch);
      expect(records).toHaveLength(1 + followUps);
      expect(records.every((r) => r.entityId === request.audit(first).entityId)).toBe(true);

      // A bodiless operation has no other body to send with the key (its params are part of the key).
      if (route.body === undefined) return;
      const mismatch = await send(world, { ...request, body: other }, token);
      expect(mismatch.status).toBe(422);
      expect(mismatch.body.code).toBe('idempotency_key_reused');
      expect(await newRecords(watch)).toHaveLength(1 + followUps);
    },
  );
});
