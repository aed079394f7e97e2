import * as z from 'zod';
import { PERMISSIONS } from '../../domain/access/permissions';
import type { RouteSpec } from './route';
import { HTTP_CONTEXTS } from './routes';

type JsonSchema = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  delete json.$schema;
  return json;
}

const PROBLEM_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string', description: 'Relative URI identifying the problem type, /problems/<code>' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', description: 'Stable machine-readable code' },
    requestId: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: { path: { type: 'string' }, message: { type: 'string' }, code: { type: 'string' } },
      },
    },
  },
};

function problem(description: string) {
  return { description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
}

function parameters(route: RouteSpec): JsonSchema[] {
  const result: JsonSchema[] = [];
  for (const [location, schema] of [['path', route.params], ['query', route.query]] as const) {
    if (!schema) continue;
    const json = schemaOf(schema, 'input');
    const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((json.required as string[] | undefined) ?? []);
    for (const [name, property] of Object.entries(properties)) {
      result.push({ name, in: location, required: location === 'path' || required.has(name), schema: property, ...(property.description ? { description: property.description } : {}) });
    }
  }
  if (route.idempotent) {
    result.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: true,
      description: 'Unique per intended operation; a retry with the same key returns the first response, a different body is a 422.',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    });
  }
  if (route.requiresIfMatch) {
    result.push({ name: 'If-Match', in: 'header', required: true, description: 'The ETag of the version you read.', schema: { type: 'string' } });
  }
  return result;
}

function operation(route: RouteSpec, context: string): JsonSchema {
  const responses: Record<string, unknown> = {};
  const success: JsonSchema = { description: route.successStatus === 201 ? 'Created' : route.successStatus === 204 ? 'No content' : 'OK' };
  if (route.response && route.successStatus !== 204) success.content = { 'application/json': { schema: schemaOf(route.response, 'output') } };
  if (route.returnsETag) success.headers = { ETag: { description: 'The version, for If-Match', schema: { type: 'string' } } };
  responses[String(route.successStatus)] = success;
  responses['400'] = problem('Invalid request: see `errors` for each field (unknown fields are rejected)');
  if (route.permission !== 'public') {
    responses['401'] = problem('Missing, expired or invalid token');
    responses['403'] = problem('Your roles lack the permission');
  }
  if (route.params) responses['404'] = problem('Not found (or not yours)');
  if (route.mutates) responses['409'] = problem('Conflicts with the current state');
  if (route.requiresIfMatch) {
    responses['412'] = problem('Changed since you read it');
    responses['428'] = problem('If-Match missing');
  }
  if (route.body) responses['415'] = problem('Body is not application/json');
  if (route.idempotent) responses['422'] = problem('Idempotency-Key reused with another body');
  const op: JsonSchema = {
    operationId: route.operationId,
    summary: route.summary,
    tags: [context],
    parameters: parameters(route),
    responses,
    'x-permission': route.permission,
  };
  if (route.description) op.description = route.description;
  if (route.permission === 'public') op.security = [];
  else op.description = `${route.description ? `${route.description}\n\n` : ''}Permission: \`${route.permission}\` — ${PERMISSIONS[route.permission]}.`;
  if (route.body) op.requestBody = { required: true, content: { 'application/json': { schema: schemaOf(route.body, 'input') } } };
  return op;
}

/** The OpenAPI 3.1 document, generated from the route table and its zod schemas. */
export function openApiDocument(serverUrl?: string): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const context of HTTP_CONTEXTS) {
    for (const route of context.routes) {
      paths[route.path] ??= {};
      paths[route.path]![route.method.toLowerCase()] = operation(route, context.name);
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'DMS — dealer management system API (经销商管理系统)',
      version: '1.0.0',
      description:
        'Money is in integer minor units (分) with an ISO 4217 currency; instants are ISO 8601 UTC; ' +
        'errors are application/problem+json (RFC 9457). Lists use cursor pagination (`limit`, `cursor` → `nextCursor`).',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    security: [{ bearer: [] }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Cognito ID token (locally: `npm run token`)' },
      },
      schemas: { Problem: PROBLEM_SCHEMA },
    },
    paths,
  };
}
