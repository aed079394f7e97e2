/**
 * The permission set. Every route names one of these (or `public`); built-in roles and
 * administrator-defined custom roles are both sets of them. Adding a feature adds its
 * permissions here, and the authorization matrix test picks them up from the route table.
 */
export const PERMISSIONS = {
  'profile:read': 'Read one’s own identity and effective permissions',
  'regions:read': 'List sales regions',
  'dealers:read': 'Read dealer profiles (dealer principals: only their own)',
  'dealers:read_internal': 'See internal dealer fields (internal notes, risk rating)',
  'dealers:create': 'Register dealers',
  'dealers:update': 'Edit dealer master data and addresses',
  'dealers:update_contacts': 'Edit dealer contacts (dealer administrators: only their own)',
  'dealers:change_status': 'Activate, suspend or terminate dealers',
  'roles:read': 'List roles and the permission set',
  'roles:manage': 'Create, edit and delete custom roles',
  'audit:read': 'Read the audit log',
} as const;

export type Permission = keyof typeof PERMISSIONS;

export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(PERMISSIONS, value);
}
