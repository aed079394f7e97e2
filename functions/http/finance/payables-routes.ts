import type { RouteSpec } from '../route';

/** Placeholder: replaced by the payables routes. */
export const payableRoutes = [] as const satisfies readonly RouteSpec[];
