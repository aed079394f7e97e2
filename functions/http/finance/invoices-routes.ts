import type { RouteSpec } from '../route';

/** Placeholder: replaced by the invoices routes. */
export const invoiceRoutes = [] as const satisfies readonly RouteSpec[];
