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
  'catalog:read': 'Read products and categories',
  'catalog:manage': 'Create and change products',
  'prices:read': 'Read price lists, special prices and promotions',
  'prices:manage': 'Maintain price lists, special prices and promotions',
  'prices:quote': 'Quote a dealer’s price for a SKU (dealer principals: only their own)',
  'locations:read': 'Read warehouses and dealer locations (dealer principals: only their own)',
  'locations:manage': 'Create and change locations (dealer administrators: only their own)',
  'stock:read': 'Read stock levels, movements and alerts (dealer principals: only their locations)',
  'stock:move': 'Receive, adjust and transfer stock',
  'stocktakes:manage': 'Open, count and cancel stocktakes',
  'stocktakes:approve': 'Approve stocktake variances (posts the variance movements)',
  'channel_stock:report': 'Report a dealer’s own stock levels and sell-out',
  'channel_stock:read': 'Read channel stock and sell-out (dealer principals: only their own)',
  'roles:read': 'List roles and the permission set',
  'roles:manage': 'Create, edit and delete custom roles',
  'audit:read': 'Read the audit log',
} as const;

export type Permission = keyof typeof PERMISSIONS;

export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(PERMISSIONS, value);
}
