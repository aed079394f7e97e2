import type { RouteSpec } from '../route';

/** Placeholder: replaced by the payments routes. */
export const paymentRoutes = [] as const satisfies readonly RouteSpec[];
