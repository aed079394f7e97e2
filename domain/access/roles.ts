import { ALL_PERMISSIONS, type Permission } from './permissions';

/**
 * How far a role's permissions reach:
 * - `all`: every dealer and region (headquarters staff);
 * - `region`: only dealers in the principal's regions (the `regions` claim);
 * - `dealer`: only the principal's own dealer (the `dealerId` claim).
 */
export type DataScope = 'all' | 'region' | 'dealer';

export interface RoleDefinition {
  name: string;
  description: string;
  permissions: readonly Permission[];
  scope: DataScope;
  builtIn: boolean;
}

const READ_EVERYTHING: Permission[] = ALL_PERMISSIONS.filter((p) => p.endsWith(':read') || p.endsWith(':read_internal'));

const BUILT_IN: Omit<RoleDefinition, 'builtIn'>[] = [
  { name: 'admin', description: '系统管理员 Administrator', scope: 'all', permissions: ALL_PERMISSIONS },
  {
    name: 'sales_manager',
    description: '区域销售经理 Regional sales manager (approval level 1)',
    scope: 'region',
    permissions: [
      'profile:read', 'regions:read', 'dealers:read', 'dealers:read_internal', 'dealers:create',
      'dealers:update', 'dealers:update_contacts', 'catalog:read', 'prices:read', 'prices:quote',
      'locations:read', 'stock:read', 'channel_stock:read', 'orders:read', 'orders:read_internal',
      'orders:create', 'orders:cancel', 'orders:approve', 'approval_policy:read', 'credit:read', 'sales_stats:read',
      'receivables:read', 'invoices:read', 'credit:request_limit',
    ],
  },
  {
    name: 'sales_director',
    description: '销售总监 Sales director (approval level 2)',
    scope: 'all',
    permissions: [
      'profile:read', 'regions:read', 'dealers:read', 'dealers:read_internal', 'dealers:create',
      'dealers:update', 'dealers:update_contacts', 'dealers:change_status', 'catalog:read',
      'prices:read', 'prices:manage', 'prices:quote', 'locations:read', 'stock:read', 'channel_stock:read',
      'orders:read', 'orders:read_internal', 'orders:create', 'orders:cancel', 'orders:approve',
      'approval_policy:read', 'credit:read', 'sales_stats:read', 'receivables:read', 'invoices:read',
      'payments:read', 'credit:request_limit', 'finance_reports:read',
    ],
  },
  {
    name: 'finance',
    description: '财务 Finance (credit, receivables, invoices)',
    scope: 'all',
    permissions: [
      'profile:read', 'regions:read', 'dealers:read', 'dealers:read_internal', 'dealers:change_status',
      'catalog:read', 'prices:read', 'prices:quote', 'locations:read', 'stock:read', 'stocktakes:approve',
      'channel_stock:read', 'orders:read', 'orders:read_internal', 'orders:cancel', 'orders:approve',
      'approval_policy:read', 'credit:read', 'credit:manage', 'sales_stats:read', 'receivables:read',
      'payments:read', 'payments:record', 'payments:reverse', 'accounts:read', 'accounts:manage', 'payables:read',
      'payables:manage', 'payables:approve', 'invoices:read', 'invoices:void', 'credit:evaluate',
      'credit:request_limit', 'credit:approve_limit', 'finance_reports:read',
    ],
  },
  {
    name: 'warehouse',
    description: '仓库 Warehouse (stock, shipments, stocktakes)',
    scope: 'all',
    permissions: [
      'profile:read', 'regions:read', 'dealers:read', 'catalog:read', 'locations:read', 'locations:manage',
      'stock:read', 'stock:move', 'stocktakes:manage', 'orders:read', 'orders:ship',
    ],
  },
  {
    name: 'service_agent',
    description: '客服 Customer service (tickets)',
    scope: 'all',
    permissions: ['profile:read', 'regions:read', 'dealers:read', 'catalog:read', 'locations:read', 'stock:read', 'orders:read'],
  },
  {
    name: 'auditor',
    description: '审计 Auditor (read-only everything and the audit log)',
    scope: 'all',
    permissions: READ_EVERYTHING,
  },
  {
    name: 'dealer_admin',
    description: '经销商管理员 Dealer administrator (own dealer only)',
    scope: 'dealer',
    permissions: [
      'profile:read', 'dealers:read', 'dealers:update_contacts', 'catalog:read', 'prices:quote',
      'locations:read', 'locations:manage', 'stock:read', 'channel_stock:report', 'channel_stock:read',
      'orders:read', 'orders:create', 'orders:cancel', 'orders:confirm_receipt', 'credit:read',
      'receivables:read', 'payments:read', 'accounts:read', 'payables:read', 'invoices:read',
    ],
  },
  {
    name: 'dealer_user',
    description: '经销商用户 Dealer user (own dealer only)',
    scope: 'dealer',
    permissions: [
      'profile:read', 'dealers:read', 'catalog:read', 'prices:quote', 'locations:read', 'stock:read',
      'channel_stock:report', 'channel_stock:read', 'orders:read', 'orders:create', 'orders:cancel',
      'orders:confirm_receipt', 'receivables:read', 'invoices:read',
    ],
  },
];

export const BUILT_IN_ROLES: ReadonlyMap<string, RoleDefinition> = new Map(
  BUILT_IN.map((role) => [role.name, { ...role, builtIn: true }]),
);

export const BUILT_IN_ROLE_NAMES = [...BUILT_IN_ROLES.keys()];

export function isBuiltInRole(name: string): boolean {
  return BUILT_IN_ROLES.has(name);
}

/** Custom role names share the namespace of Cognito groups: lower snake case, not a built-in name. */
export const ROLE_NAME_PATTERN = /^[a-z][a-z0-9_]{2,39}$/;
