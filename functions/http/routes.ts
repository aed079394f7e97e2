import { accessContext } from './access/routes';
import { auditContext } from './audit/routes';
import { catalogContext } from './catalog/routes';
import { channelContext } from './channel/routes';
import { dealersContext } from './dealers/routes';
import { docsContext } from './docs/routes';
import { inventoryContext } from './inventory/routes';
import { ordersContext } from './orders/routes';
import { financeContext } from './finance/routes';
import { stocktakesContext } from './stocktakes/routes';
import type { ContextSpec, RouteSpec } from './route';

/**
 * The route table: every HTTP operation of DMS, grouped by bounded context (one Lambda each).
 * Read by the CDK API stack, the local server, the OpenAPI generator and the authorization tests.
 */
export const HTTP_CONTEXTS = [
  dealersContext,
  catalogContext,
  inventoryContext,
  stocktakesContext,
  channelContext,
  ordersContext,
  financeContext,
  accessContext,
  auditContext,
  docsContext,
] as const satisfies readonly ContextSpec[];

type RoutesOf<C> = C extends { routes: readonly (infer S)[] } ? S : never;
/** Every route with its literal types, e.g. for tables that must cover each operation. */
export type KnownRoute = RoutesOf<(typeof HTTP_CONTEXTS)[number]>;
export type OperationId = KnownRoute['operationId'];

export const ALL_ROUTES: readonly (RouteSpec & { context: string })[] = HTTP_CONTEXTS.flatMap((context) =>
  context.routes.map((route) => ({ ...route, context: context.name })),
);
