import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../domain/shared/errors';
import type { RouteSpec } from '../../functions/http/route';
import { parseRequest, versionFromETag } from '../../functions/shared/request-parsing';
import type { HttpEvent } from '../../functions/shared/http-handler';

const route: RouteSpec = {
  operationId: 'x',
  method: 'POST',
  path: '/things/{id}',
  summary: 'x',
  permission: 'dealers:create',
  params: z.strictObject({ id: z.string() }),
  body: z.strictObject({ name: z.string() }),
  successStatus: 201,
  idempotent: true,
  mutates: true,
};

function event(overrides: Partial<HttpEvent>): HttpEvent {
  return {
    version: '2.0',
    routeKey: 'POST /things/{id}',
    rawPath: '/things/1',
    rawQueryString: '',
    headers: { 'content-type': 'application/json', 'idempotency-key': 'k1' },
    pathParameters: { id: '1' },
    body: '{"name":"n"}',
    isBase64Encoded: false,
    requestContext: {} as HttpEvent['requestContext'],
    ...overrides,
  };
}

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    return error as DomainError;
  }
  throw new Error('expected an error');
}

describe('strict request parsing', () => {
  it('accepts a valid request', () => {
    expect(parseRequest(route, event({}))).toMatchObject({ params: { id: '1' }, body: { name: 'n' }, idempotencyKey: 'k1' });
  });

  it('reports every problem at once: unknown body field, unknown query parameter, missing key', () => {
    const error = errorOf(() =>
      parseRequest(route, event({ body: '{"name":"n","extra":1}', queryStringParameters: { q: '1' }, headers: { 'content-type': 'application/json' } })),
    );
    expect(error.code).toBe('validation_failed');
    expect(error.fieldErrors.map((e) => e.path).sort()).toEqual(['body/extra', 'header/idempotency-key', 'query/q']);
  });

  it('malformed JSON is a 400, a non-JSON content type a 415, a huge body a 413', () => {
    expect(errorOf(() => parseRequest(route, event({ body: '{"name":' }))).fieldErrors[0]!.code).toBe('malformed_json');
    expect(errorOf(() => parseRequest(route, event({ headers: { 'content-type': 'text/plain', 'idempotency-key': 'k' } }))).kind).toBe('unsupported_media_type');
    expect(errorOf(() => parseRequest(route, event({ body: JSON.stringify({ name: 'x'.repeat(300_000) }) }))).kind).toBe('payload_too_large');
  });

  it('If-Match: strong and weak tags parse; garbage can never match', () => {
    expect(versionFromETag('"12"')).toBe(12);
    expect(versionFromETag('W/"3"')).toBe(3);
    expect(versionFromETag('*')).toBeNull();
    expect(versionFromETag('"0"')).toBe(0);
    expect(versionFromETag('"01"')).toBeNull();
    const update: RouteSpec = { ...route, idempotent: false, requiresIfMatch: true };
    expect(errorOf(() => parseRequest(update, event({}))).kind).toBe('precondition_required');
    expect(parseRequest(update, event({ headers: { 'content-type': 'application/json', 'if-match': 'nonsense' } })).expectedVersion).toBe(-1);
  });
});
