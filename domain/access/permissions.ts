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
  'orders:read': 'Read orders, their timeline, documents and shipments (dealer principals: only their own)',
  'orders:read_internal': 'See internal order notes',
  'orders:create': 'Create, edit and submit orders (dealer principals: only for their own dealer)',
  'orders:cancel': 'Cancel orders (dealers: only their own, while not yet approved; staff: until shipment)',
  'orders:approve': 'Decide order approvals at one’s own level (approval inbox)',
  'orders:ship': 'Record shipments against approved orders',
  'orders:confirm_receipt': 'Confirm receipt of a shipped order (dealer principals: only their own)',
  'approval_policy:read': 'Read the order approval policy',
  'approval_policy:manage': 'Change the order approval policy',
  'credit:read': 'Read dealer credit profiles: limit, payment terms, prepayment, exposure (dealers: only their own)',
  'credit:manage': 'Set dealer credit limits, payment terms and prepayment balances',
  'sales_stats:read': 'Read sales statistics (region-scoped staff: only their regions)',
  'receivables:read': 'Read receivables and their aging (dealer principals: only their own)',
  'payments:read': 'Read payments and their allocations (dealer principals: only their own)',
  'payments:record': 'Record incoming payments and allocate them to invoices',
  'payments:reverse': 'Reverse a recorded payment',
  'accounts:read': 'Read dealer account balances and ledgers: prepayment, deposit, rebate (dealer principals: only their own)',
  'accounts:manage': 'Post deposits and rebates to dealer accounts',
  'payables:read': 'Read payables owed to dealers (dealer principals: only their own)',
  'payables:manage': 'Create payables (rebates, refunds, commissions)',
  'payables:approve': 'Approve and settle payables',
  'invoices:read': 'Read invoices and download their documents (dealer principals: only their own)',
  'invoices:void': 'Void invoices (issues a credit note, reverses the receivable)',
  'credit:evaluate': 'Run the credit scoring of a dealer',
  'credit:request_limit': 'Request a credit limit change',
  'credit:approve_limit': 'Approve or reject credit limit change requests; lift credit holds',
  'finance_reports:read': 'Read financial reports: collections, revenue, DSO, open receivables',
  'roles:read': 'List roles and the permission set',
  'roles:manage': 'Create, edit and delete custom roles',
  'audit:read': 'Read the audit log',
} as const;

export type Permission = keyof typeof PERMISSIONS;

export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(PERMISSIONS, value);
}
