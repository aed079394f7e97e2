import type { RouteSpec } from '../route';

/** Placeholder: replaced by the reports routes. */
export const financeReportRoutes = [] as const satisfies readonly RouteSpec[];
