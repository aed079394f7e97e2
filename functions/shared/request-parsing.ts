import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { z } from 'zod';
import { DomainError, PreconditionRequiredError, ValidationError, type FieldError } from '../../domain/shared/errors';
import type { RouteSpec } from '../http/route';

export const MAX_BODY_BYTES = 256 * 1024;

export interface ParsedRequest {
  params: unknown;
  query: unknown;
  body: unknown;
  expectedVersion: number | undefined;
  idempotencyKey: string | undefined;
}

function zodFieldErrors(prefix: string, error: z.ZodError): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of error.issues) {
    const path = [prefix, ...issue.path.map(String)].join('/');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) errors.push({ path: `${path}/${key}`, message: 'unknown field', code: 'unknown_field' });
    } else {
      errors.push({ path, message: issue.message, code: issue.code });
    }
  }
  return errors;
}

function parsePart(prefix: string, schema: z.ZodType | undefined, value: unknown, errors: FieldError[]): unknown {
  if (!schema) {
    const keys = value && typeof value === 'object' ? Object.keys(value) : [];
    for (const key of keys) errors.push({ path: `${prefix}/${key}`, message: 'unknown parameter', code: 'unknown_field' });
    return undefined;
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  errors.push(...zodFieldErrors(prefix, result.error));
  return undefined;
}

function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  // API Gateway lower-cases header names in v2 events; the twin does the same.
  return event.headers?.[name];
}

function readJsonBody(event: APIGatewayProxyEventV2, errors: FieldError[]): unknown {
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) {
    throw new DomainError('payload_too_large', 'payload_too_large', `The body exceeds ${MAX_BODY_BYTES / 1024} KiB.`);
  }
  if (text.trim() === '') {
    errors.push({ path: 'body', message: 'a JSON body is required', code: 'required' });
    return undefined;
  }
  const contentType = header(event, 'content-type') ?? '';
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(contentType.trim())) {
    throw new DomainError('unsupported_media_type', 'unsupported_media_type', 'Send the body as application/json.');
  }
  try {
    return JSON.parse(text);
  } catch {
    errors.push({ path: 'body', message: 'malformed JSON', code: 'malformed_json' });
    return undefined;
  }
}

/**
 * `"7"` or `W/"7"` → 7; `"0"` → 0, the version of a resource that exists only as its default
 * (the approval policy before its first save). Anything else cannot match a version.
 */
export function versionFromETag(etag: string): number | null {
  const match = /^\s*(?:W\/)?"(0|[1-9][0-9]{0,9})"\s*$/.exec(etag);
  return match ? Number(match[1]) : null;
}

export function etagFor(version: number): string {
  return `"${version}"`;
}

/**
 * Strict parsing of everything the route declares, and nothing else: unknown path, query or
 * body fields are rejected, and all problems are reported together in one 400.
 */
export function parseRequest(route: RouteSpec, event: APIGatewayProxyEventV2): ParsedRequest {
  const errors: FieldError[] = [];
  const params = parsePart('path', route.params, event.pathParameters ?? {}, errors);
  const query = parsePart('query', route.query, event.queryStringParameters ?? {}, errors);

  let body: unknown;
  if (route.body) {
    const json = readJsonBody(event, errors);
    if (json !== undefined) body = parsePart('body', route.body, json, errors);
  } else if (event.body && event.body.trim() !== '') {
    errors.push({ path: 'body', message: 'this operation takes no body', code: 'unexpected_body' });
  }

  let idempotencyKey: string | undefined;
  if (route.idempotent) {
    idempotencyKey = header(event, 'idempotency-key');
    if (!idempotencyKey || !/^[\x21-\x7e]{1,255}$/.test(idempotencyKey)) {
      errors.push({ path: 'header/idempotency-key', message: 'required: 1–255 visible ASCII characters, unique per intended operation', code: 'idempotency_key_required' });
    }
  }

  if (errors.length > 0) {
    throw new ValidationError(`${errors.length} problem(s): ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, errors);
  }

  let expectedVersion: number | undefined;
  if (route.requiresIfMatch) {
    const ifMatch = header(event, 'if-match');
    if (!ifMatch) throw new PreconditionRequiredError();
    // A tag that is not one of ours can never match the current version.
    // -1 matches no version, so an unparseable tag is a 412 (If-Match semantics), never a match with 0.
    expectedVersion = versionFromETag(ifMatch) ?? -1;
  }
  return { params, query, body, expectedVersion, idempotencyKey };
}
