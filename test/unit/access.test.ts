import { describe, expect, it } from 'vitest';
import { canSee, listScope } from '../../domain/access/object-scope';
import { ALL_PERMISSIONS } from '../../domain/access/permissions';
import { hasPermission, resolvePrincipal } from '../../domain/access/principal';
import { RoleService, type CustomRole, type RoleRepository } from '../../domain/access/role-service';
import { BUILT_IN_ROLES } from '../../domain/access/roles';
import { identityFromClaims } from '../../functions/shared/identity';

const role = (name: string) => BUILT_IN_ROLES.get(name)!;

describe('built-in roles', () => {
  it('admin holds every permission; dealer roles cannot change status, read internals or the audit log', () => {
    expect([...role('admin').permissions].sort()).toEqual([...ALL_PERMISSIONS].sort());
    for (const name of ['dealer_admin', 'dealer_user']) {
      const perms = role(name).permissions;
      expect(perms).not.toContain('dealers:change_status');
      expect(perms).not.toContain('dealers:read_internal');
      expect(perms).not.toContain('audit:read');
      expect(role(name).scope).toBe('dealer');
    }
  });

  it('the auditor reads everything and changes nothing', () => {
    const perms = role('auditor').permissions;
    expect(perms).toContain('audit:read');
    expect(perms.every((p) => p.endsWith(':read') || p.endsWith(':read_internal'))).toBe(true);
  });
});

describe('principal resolution and object scope', () => {
  const identity = { userId: 'u1', username: 'u1', roles: [], regions: ['CN-EAST'] };

  it('unions permissions and takes the widest scope', () => {
    const p = resolvePrincipal(identity, [role('sales_manager'), role('auditor')]);
    expect(p.scope).toBe('all');
    expect(hasPermission(p, 'audit:read')).toBe(true);
    expect(hasPermission(p, 'dealers:create')).toBe(true);
  });

  it('a principal with no known role has no permission and the narrowest scope', () => {
    const p = resolvePrincipal(identity, []);
    expect(p.permissions.size).toBe(0);
    expect(p.scope).toBe('dealer');
    expect(canSee(p, { dealerId: 'D1', region: 'CN-EAST' })).toBe(false);
  });

  it('region scope sees its regions only; dealer scope its dealer only', () => {
    const manager = resolvePrincipal(identity, [role('sales_manager')]);
    expect(canSee(manager, { dealerId: 'D1', region: 'CN-EAST' })).toBe(true);
    expect(canSee(manager, { dealerId: 'D1', region: 'CN-SOUTH' })).toBe(false);
    expect(listScope(manager)).toEqual({ kind: 'regions', regions: ['CN-EAST'] });
    const dealer = resolvePrincipal({ ...identity, dealerId: 'D1' }, [role('dealer_user')]);
    expect(canSee(dealer, { dealerId: 'D1', region: 'CN-SOUTH' })).toBe(true);
    expect(canSee(dealer, { dealerId: 'D2', region: 'CN-EAST' })).toBe(false);
    const orphan = resolvePrincipal(identity, [role('dealer_user')]);
    expect(canSee(orphan, { dealerId: 'D1', region: 'CN-EAST' })).toBe(false);
  });
});

describe('claims from the API Gateway JWT authorizer', () => {
  it('parses flattened array claims and comma-separated regions', () => {
    expect(
      identityFromClaims({ sub: 'abc', 'cognito:groups': '[sales_manager finance]', 'custom:regions': 'CN-EAST,CN-NORTH', 'cognito:username': 'li' }),
    ).toEqual({ userId: 'abc', username: 'li', roles: ['sales_manager', 'finance'], regions: ['CN-EAST', 'CN-NORTH'] });
    expect(identityFromClaims({ sub: 'd', 'cognito:groups': 'dealer_user', 'custom:dealerId': 'D9' })).toMatchObject({ roles: ['dealer_user'], dealerId: 'D9' });
  });

  it('rejects claims without a subject', () => {
    expect(() => identityFromClaims({})).toThrow(/bearer token/);
    expect(() => identityFromClaims(undefined)).toThrow();
  });
});

describe('custom role cache', () => {
  it('resolves built-in roles without touching the repository and caches custom ones briefly', async () => {
    let reads = 0;
    const custom: CustomRole = { name: 'analyst', description: 'x', permissions: ['dealers:read'], scope: 'all', builtIn: false, createdAt: '', updatedAt: '', version: 1 };
    const repository: RoleRepository = {
      get: async () => (reads++, custom),
      list: async () => [custom],
      create: async () => undefined,
      replace: async () => undefined,
      delete: async () => undefined,
    };
    let now = 0;
    const service = new RoleService(repository, () => now);
    expect((await service.resolve(['admin', 'finance'])).map((r) => r.name)).toEqual(['admin', 'finance']);
    expect(reads).toBe(0);
    await service.resolve(['analyst']);
    await service.resolve(['analyst']);
    expect(reads).toBe(1);
    now += 31_000;
    await service.resolve(['analyst']);
    expect(reads).toBe(2);
  });
});
