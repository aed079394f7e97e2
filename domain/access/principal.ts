import { ForbiddenError } from '../shared/errors';
import type { Permission } from './permissions';
import type { DataScope, RoleDefinition } from './roles';

/** Who is calling, as established by the token (Cognito on AWS, the local signer on the twin). */
export interface Identity {
  userId: string;
  username: string;
  roles: string[];
  dealerId?: string;
  regions: string[];
}

/** An identity whose roles have been resolved into permissions and a data scope. */
export interface Principal extends Identity {
  permissions: ReadonlySet<Permission>;
  scope: DataScope;
}

const SCOPE_WIDTH: Record<DataScope, number> = { dealer: 0, region: 1, all: 2 };

/**
 * Combines the principal's roles: permissions are the union; the data scope is the widest
 * role's scope. Unknown roles (a deleted custom role still in a token) grant nothing.
 */
export function resolvePrincipal(identity: Identity, roles: RoleDefinition[]): Principal {
  const permissions = new Set<Permission>();
  let scope: DataScope | undefined;
  for (const role of roles) {
    role.permissions.forEach((p) => permissions.add(p));
    if (scope === undefined || SCOPE_WIDTH[role.scope] > SCOPE_WIDTH[scope]) scope = role.scope;
  }
  return { ...identity, permissions, scope: scope ?? 'dealer' };
}

export function hasPermission(principal: Principal, permission: Permission): boolean {
  return principal.permissions.has(permission);
}

export function requirePermission(principal: Principal, permission: Permission): void {
  if (!hasPermission(principal, permission)) {
    throw new ForbiddenError(`Your roles (${principal.roles.join(', ') || 'none'}) lack the permission ${permission}.`);
  }
}

export function isDealerPrincipal(principal: Principal): boolean {
  return principal.scope === 'dealer';
}
