import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { requirePermission, resolvePrincipal, type Principal } from '../../domain/access/principal';
import type { RoleDefinition } from '../../domain/access/roles';
import { NotFoundError } from '../../domain/shared/errors';
import type { ContextImplementations, ContextSpec, RouteImplementation, RouteSpec } from '../http/route';
import { identityFromClaims, type JwtClaims } from './identity';
import { logger, metrics, tracer } from './observability';
import { problemFor, problemResponse } from './problem';
import type { RunOnce } from './idempotency';
import { etagFor, parseRequest, type ParsedRequest } from './request-parsing';

/**
 * What the pipeline needs beyond the route table, passed in by each context's entry so that a
 * context with only public routes (docs) bundles neither the role store nor idempotency.
 */
export interface HttpDependencies {
  /** Turns the role names of a token into definitions (custom roles come from the table). */
  roles?: () => { resolve(names: string[]): Promise<RoleDefinition[]> };
  /** Runs a creating request at most once per Idempotency-Key. */
  runOnce?: RunOnce;
}

export type HttpEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type HttpResult = APIGatewayProxyStructuredResultV2;

/** What the middlewares learn about a request, handed down to the route implementation. */
interface RequestState {
  route?: RouteSpec;
  principal?: Principal;
  parsed?: ParsedRequest;
}

/** Middlewares hand their findings to the handler on the Lambda context object. */
type DmsContext = Context & { dms: RequestState };
type Middleware = MiddlewareObj<HttpEvent, HttpResult, Error, DmsContext>;

const ANONYMOUS: Principal = { userId: 'anonymous', username: 'anonymous', roles: [], regions: [], permissions: new Set(), scope: 'dealer' };

/**
 * Errors become RFC 9457 problem responses; only unexpected ones are logged as errors. Every
 * response is counted by status class (metrics Http2xx/Http4xx/Http5xx).
 */
const problemResponses = (): Middleware => ({
  after: async (request) => {
    metrics.addMetric(`Http${String(request.response?.statusCode ?? 200)[0]}xx`, 'Count', 1);
  },
  onError: async (request) => {
    const requestId = request.event.requestContext?.requestId;
    const problem = problemFor(request.error, requestId);
    if (problem.status >= 500) {
      logger.error('Unhandled error', { error: request.error as Error, routeKey: request.event.routeKey });
    }
    metrics.addMetric(`Http${String(problem.status)[0]}xx`, 'Count', 1);
    request.response = problemResponse(problem);
  },
});

const matchRoute = (routes: Map<string, RouteSpec>): Middleware => ({
  before: async (request) => {
    request.context.dms = {};
    const route = routes.get(request.event.routeKey);
    if (!route) throw new NotFoundError('Route', request.event.routeKey);
    request.context.dms.route = route;
    logger.appendKeys({ routeKey: request.event.routeKey, requestId: request.event.requestContext.requestId });
  },
});

/**
 * The signature was verified before the event got here (API Gateway's JWT authorizer, or the
 * twin's server); this turns the claims into a principal with resolved roles.
 */
const authenticate = (dependencies: HttpDependencies): Middleware => ({
  before: async (request) => {
    if (request.context.dms.route!.permission === 'public') {
      request.context.dms.principal = ANONYMOUS;
      return;
    }
    const identity = identityFromClaims(request.event.requestContext.authorizer?.jwt?.claims as JwtClaims | undefined);
    const roles = await dependencies.roles!().resolve(identity.roles);
    request.context.dms.principal = resolvePrincipal(identity, roles);
  },
});

/** Function-level authorization from the route table. Object- and property-level rules live in the use cases. */
const authorize = (): Middleware => ({
  before: async (request) => {
    const { route, principal } = request.context.dms;
    if (route!.permission !== 'public') requirePermission(principal!, route!.permission);
  },
});

const parse = (): Middleware => ({
  before: async (request) => {
    request.context.dms.parsed = parseRequest(request.context.dms.route!, request.event);
  },
});

function baseUrl(event: HttpEvent): string {
  // The API's own domain, never a client-supplied forwarding header.
  const host = event.requestContext.domainName ?? event.headers?.host ?? 'localhost';
  const proto = event.headers?.['x-forwarded-proto'] ?? 'https';
  const stage = event.requestContext.stage && event.requestContext.stage !== '$default' ? `/${event.requestContext.stage}` : '';
  return `${proto}://${host}${stage}`;
}

async function invoke(route: RouteSpec, implementation: RouteImplementation<RouteSpec>, event: HttpEvent, state: RequestState): Promise<HttpResult> {
  const { principal, parsed } = state;
  const result = await implementation({
    params: parsed!.params as never,
    query: parsed!.query as never,
    body: parsed!.body as never,
    principal: principal!,
    requestId: event.requestContext.requestId,
    expectedVersion: parsed!.expectedVersion,
    baseUrl: baseUrl(event),
  });
  const headers: Record<string, string> = { ...result.headers };
  if (result.version !== undefined && route.returnsETag) headers.etag = etagFor(result.version);
  if (route.successStatus === 204) return { statusCode: 204, headers };
  const body = route.response ? route.response.parse(result.body) : result.body;
  return { statusCode: route.successStatus, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** The key names the request: same caller, same route and path, same Idempotency-Key. */
function idempotencyRequest(event: HttpEvent, context: DmsContext) {
  const { principal, parsed } = context.dms;
  return {
    key: `${principal!.userId}|${event.routeKey}|${JSON.stringify(parsed!.params ?? {})}|${parsed!.idempotencyKey}`,
    body: parsed!.body,
    lambdaContext: context,
  };
}

/**
 * The Lambda handler of one bounded context: dispatches on the route key to the operation's
 * implementation through the shared middleware chain (observability → problem responses →
 * route match → authentication → authorization → strict parsing → idempotency).
 */
export function httpHandler<C extends ContextSpec>(context: C, implementations: ContextImplementations<C>, dependencies: HttpDependencies = {}) {
  const routes = new Map<string, RouteSpec>(context.routes.map((route) => [`${route.method} ${route.path}`, route]));
  const byOperation = implementations as unknown as Record<string, RouteImplementation<RouteSpec>>;
  for (const route of context.routes) {
    if (typeof byOperation[route.operationId] !== 'function') throw new Error(`No implementation for ${route.operationId}`);
    if (route.permission !== 'public' && !dependencies.roles) throw new Error(`${route.operationId} needs the roles dependency`);
    if (route.idempotent && !dependencies.runOnce) throw new Error(`${route.operationId} needs the runOnce dependency`);
  }

  return middy<HttpEvent, HttpResult, Error, DmsContext>()
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .use(problemResponses())
    .use(matchRoute(routes))
    .use(authenticate(dependencies))
    .use(authorize())
    .use(parse())
    .handler(async (event, context) => {
      const route = context.dms.route!;
      const implementation = byOperation[route.operationId]!;
      return route.idempotent
        ? dependencies.runOnce!(idempotencyRequest(event, context), () => invoke(route, implementation, event, context.dms))
        : invoke(route, implementation, event, context.dms);
    });
}
