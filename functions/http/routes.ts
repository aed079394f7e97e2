import { accessContext } from './access/routes';
import { auditContext } from './audit/routes';
import { dealersContext } from './dealers/routes';
import { docsContext } from './docs/routes';
import type { ContextSpec, RouteSpec } from './route';

/**
 * The route table: every HTTP operation of DMS, grouped by bounded context (one Lambda each).
 * Read by the CDK API stack, the local server, the OpenAPI generator and the authorization tests.
 */
export const HTTP_CONTEXTS: readonly ContextSpec[] = [dealersContext, accessContext, auditContext, docsContext];

export const ALL_ROUTES: readonly (RouteSpec & { context: string })[] = HTTP_CONTEXTS.flatMap((context) =>
  context.routes.map((route) => ({ ...route, context: context.name })),
);
