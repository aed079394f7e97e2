import { resolvePrincipal, type Principal } from '../../domain/access/principal';
import { BUILT_IN_ROLES } from '../../domain/access/roles';
import type { RequestContext } from '../../domain/audit/audit-entry';
import { runtime } from '../../functions/adapters/runtime';

const principals = new Map<string, Principal>();

/**
 * The request context the demo loaders act in: a system user holding one built-in role
 * (`system:seed` for admin, `system:seed-<role>` otherwise), so the audit log shows the demo
 * history as done by the roles that would do it for real.
 */
export function seedContext(role = 'admin'): RequestContext {
  let principal = principals.get(role);
  if (!principal) {
    const userId = role === 'admin' ? 'system:seed' : `system:seed-${role}`;
    principal = resolvePrincipal({ userId, username: userId, roles: [role], regions: [] }, [BUILT_IN_ROLES.get(role)!]);
    principals.set(role, principal);
  }
  const { now, newId } = runtime();
  return { principal, requestId: `seed-${newId()}`, now: now(), newId };
}
