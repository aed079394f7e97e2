import type { z } from 'zod';
import type { Permission } from '../../domain/access/permissions';
import type { Principal } from '../../domain/access/principal';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One row of the route table: everything the API Gateway routes, the local server, the OpenAPI
 * document, the authorizer and the authorization tests need to know about an operation.
 * Implementations are bound per context by operationId (see `bindContext`), so reading the
 * table (CDK synth, OpenAPI) never loads handler code.
 */
export interface RouteSpec {
  operationId: string;
  method: HttpMethod;
  /** API Gateway style path, parameters in braces: `/dealers/{dealerId}`. */
  path: string;
  summary: string;
  description?: string;
  /** Required: a route without a permission does not type-check. `public` skips the authorizer. */
  permission: Permission | 'public';
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  response?: z.ZodType;
  successStatus: 200 | 201 | 204;
  /** Creating POSTs: the `Idempotency-Key` header is required and replays return the first response. */
  idempotent?: boolean;
  /** Updates: the `If-Match` header (the ETag of the version read) is required. */
  requiresIfMatch?: boolean;
  /** Responses carry an ETag (the item version). */
  returnsETag?: boolean;
  /** The route changes state; it must write exactly one audit record per change. */
  mutates: boolean;
}

/** What a bounded context needs from the data stack, so CDK can scope its IAM to exactly that. */
export interface ContextResources {
  mainTable: 'none' | 'read' | 'readwrite';
  idempotencyTable: boolean;
  eventBus: boolean;
  /** Workflows (registry names) the context starts, stops and sends task results to. */
  workflows?: readonly string[];
  /** Generated documents: `read` signs download links (the signer needs s3:GetObject). */
  documents?: 'read';
}

export interface ContextSpec<R extends readonly RouteSpec[] = readonly RouteSpec[]> {
  /** kebab-case; also the folder functions/http/<name>/ holding index.ts, the Lambda entry. */
  name: string;
  resources: ContextResources;
  routes: R;
}

export function defineContext<const R extends readonly RouteSpec[]>(spec: ContextSpec<R>): ContextSpec<R> {
  return spec;
}

type Infer<T> = T extends z.ZodType ? z.output<T> : undefined;

export interface RouteInput<S extends RouteSpec> {
  params: Infer<S['params']>;
  query: Infer<S['query']>;
  body: Infer<S['body']>;
  /** For `public` routes an anonymous principal without permissions. */
  principal: Principal;
  requestId: string;
  /** The version from If-Match, when the route requires it. */
  expectedVersion: number | undefined;
  /** `https://host/stage` of this request, for links in responses. */
  baseUrl: string;
}

export interface RouteResult<S extends RouteSpec> {
  body: S['response'] extends z.ZodType ? z.input<S['response']> : undefined;
  /** Item version, sent back as the ETag. */
  version?: number;
  headers?: Record<string, string>;
}

export type RouteImplementation<S extends RouteSpec> = (input: RouteInput<S>) => Promise<RouteResult<S>>;

/** Exactly one implementation per operation of the context: a missing or extra one is a type error. */
export type ContextImplementations<C extends ContextSpec> = {
  [S in C['routes'][number] as S['operationId']]: RouteImplementation<S>;
};

/** The spec of one operation of a context, for typing its implementation file. */
export type RouteOf<C extends ContextSpec, Id extends C['routes'][number]['operationId']> = Extract<C['routes'][number], { operationId: Id }>;

/** Implementation type for operation `Id` of context `C`. */
export type Implementation<C extends ContextSpec, Id extends C['routes'][number]['operationId']> = RouteImplementation<RouteOf<C, Id>>;
