import type { RouteSpec } from '../../functions/http/route';
import { ALL_ROUTES } from '../../functions/http/routes';
import {
  TARGET_REGION,
  dealerMutation,
  freshDealer,
  freshRole,
  get,
  seeded,
  unique,
  type MutationRequest,
  type PreparedRequest,
  type RouteFixtures,
  type Target,
  type World,
} from './fixture-kit';
import { APPROVAL_POLICY_FIXTURES } from './fixtures/approval-policy';
import { CATALOG_FIXTURES } from './fixtures/catalog';
import { CREDIT_FIXTURES } from './fixtures/credit';
import { ORDERS_FIXTURES } from './fixtures/orders';
import { FINANCE_PAYMENTS_FIXTURES } from './fixtures/finance-payments';
import { FINANCE_INVOICES_FIXTURES } from './fixtures/finance-invoices';
import { FINANCE_PAYABLES_FIXTURES } from './fixtures/finance-payables';
import { FINANCE_REPORTS_FIXTURES } from './fixtures/finance-reports';
import { CREDIT_MANAGEMENT_FIXTURES } from './fixtures/credit-management';
import { SALES_STATISTICS_FIXTURES } from './fixtures/sales-statistics';
import { CHANNEL_FIXTURES } from './fixtures/channel';
import { INVENTORY_FIXTURES } from './fixtures/inventory';
import { STOCKTAKES_FIXTURES } from './fixtures/stocktakes';
import { idempotencyKey, newDealerInput } from './twin';

export * from './fixture-kit';

/**
 * A valid request for every operation of the route table, built on a small seeded world, so
 * the authorization matrix, the fuzz tests and the audit walk can be generated from the table.
 * `OperationId` is the exact union of the route table's operation ids: a route without a
 * fixture, or a fixture for a route that no longer exists, is a type error.
 */
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

  ...CATALOG_FIXTURES,
  ...INVENTORY_FIXTURES,
  ...STOCKTAKES_FIXTURES,
  ...CREDIT_FIXTURES,
  ...APPROVAL_POLICY_FIXTURES,
  ...SALES_STATISTICS_FIXTURES,
  ...ORDERS_FIXTURES,
  ...FINANCE_PAYMENTS_FIXTURES,
  ...FINANCE_INVOICES_FIXTURES,
  ...FINANCE_PAYABLES_FIXTURES,
  ...FINANCE_REPORTS_FIXTURES,
  ...CREDIT_MANAGEMENT_FIXTURES,
  ...CHANNEL_FIXTURES,
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
