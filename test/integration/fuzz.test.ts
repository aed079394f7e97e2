import { createHash } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BUILT_IN_ROLE_NAMES, BUILT_IN_ROLES } from '../../domain/access/roles';
import { dynamoCallCounter } from '../../functions/adapters/dynamo/client';
import { ENV } from '../../functions/adapters/dynamo/table-schema';
import type { RouteSpec } from '../../functions/http/route';
import { ALL_ROUTES } from '../../functions/http/routes';
import { versionFromETag } from '../../functions/shared/request-parsing';
import { localClient } from '../../infra/local/tables';
import { createWorld, fixtureFor, scopeClaims, type PreparedRequest, type World } from '../support/route-fixtures';
import { actingRole, asyncConsequences } from '../support/fixtures/orders';
import { startTestTwin, type TestTwin } from '../support/twin';

/**
 * Property-based tests over the whole route table: random and malformed bodies, query strings,
 * path parameters, methods and headers, sent with a token that HAS the route's permission.
 * Whatever arrives, the answer is never a 5xx; every error is an `application/problem+json`
 * with a stable `code`; a request with a definite defect is a 4xx; and nothing is ever written
 * (main table, idempotency table, audit log and event bus are unchanged).
 *
 * FUZZ_RUNS scales the runs per route, FUZZ_SEED replays a failure.
 */

const RUNS_SCALE = Number(process.env.FUZZ_RUNS ?? 1);
const RUNS = { mutating: Math.round(60 * RUNS_SCALE), reading: Math.round(40 * RUNS_SCALE), auth: Math.round(80 * RUNS_SCALE) };
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const fcOptions = (numRuns: number) => ({ numRuns, ...(SEED !== undefined ? { seed: SEED } : {}), interruptAfterTimeLimit: Math.max(45_000, 45_000 * RUNS_SCALE), markInterruptAsFailure: false });


let twin: TestTwin;
let world: World;
let dynamo: DynamoDBClient;
const agent = new Agent({ keepAlive: true, maxSockets: 4 });

beforeAll(async () => {
  twin = await startTestTwin();
  world = await createWorld(twin);
  dynamo = localClient(inject('dynamoEndpoint'));
});
afterAll(async () => {
  agent.destroy();
  dynamo?.destroy();
  await twin?.close();
});

// ── the raw client: any method, any bytes, GET with a body ───────────────────

interface RawResponse {
  status: number;
  contentType: string;
  text: string;
}

interface FuzzCase {
  method: string;
  path: string;
  /** Raw query string, without `?`. */
  query: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** What makes this request certainly invalid (empty: it may be valid). */
  defects: string[];
}

function send(c: FuzzCase): Promise<RawResponse> {
  const url = new URL(twin.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: c.method,
        path: c.query ? `${c.path}?${c.query}` : c.path,
        headers: { ...c.headers, ...(c.body ? { 'content-length': String(c.body.length) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(c.body);
  });
}

/** Never 5xx; errors are problem+json with a code; definite defects are 4xx. */
function checkResponse(c: FuzzCase, response: RawResponse): void {
  const where = `${response.status} ${response.text.slice(0, 300)}`;
  expect(response.status, where).toBeGreaterThanOrEqual(200);
  expect(response.status, where).toBeLessThan(500);
  if (response.status >= 400) {
    expect(response.contentType, where).toMatch(/^application\/problem\+json/);
    const problem = JSON.parse(response.text) as { status?: unknown; code?: unknown; type?: unknown; title?: unknown };
    expect(problem.status, where).toBe(response.status);
    expect(typeof problem.code === 'string' && problem.code.length > 0, where).toBe(true);
    expect(typeof problem.type, where).toBe('string');
    expect(typeof problem.title, where).toBe('string');
  } else if (response.status !== 204) {
    expect(response.contentType, where).toMatch(/^application\/json/);
    JSON.parse(response.text);
  }
  if (c.defects.length > 0) expect(response.status, `${c.defects.join(', ')} → ${where}`).toBeGreaterThanOrEqual(400);
}

// ── "nothing written": the tables, the audit log, the bus ────────────────────

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  }
  return value;
}

async function tableFingerprint(tableName: string): Promise<string> {
  const items: string[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamo.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }));
    for (const item of page.Items ?? []) items.push(JSON.stringify(canonical(item)));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  items.sort();
  return `${items.length} items, sha256 ${createHash('sha256').update(items.join('\n')).digest('hex')}`;
}

async function stateFingerprint(): Promise<string> {
  const main = await tableFingerprint(twin.tableName);
  const idempotency = await tableFingerprint(process.env[ENV.idempotencyTableName]!);
  return `main: ${main}; idempotency: ${idempotency}; events: ${twin.bus.published.length}`;
}

async function auditRecordCount(): Promise<number> {
  let count = 0;
  let cursor: string | undefined;
  do {
    const response = await twin.request('GET', `/audit-log?limit=100${cursor ? `&cursor=${cursor}` : ''}`, { token: world.admin });
    expect(response.status).toBe(200);
    count += response.body.items.length;
    cursor = response.body.nextCursor;
  } while (cursor);
  return count;
}

// ── generators ───────────────────────────────────────────────────────────────

/** Percent-encodes the UTF-8 bytes of any string (lone surrogates become U+FFFD, like a browser). */
function pct(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9_.~-]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Characters Node lets a client put in a header value (HTTP allows latin-1 obs-text). */
const headerChar = fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c));
const headerValue = (maxLength = 100) => fc.string({ unit: headerChar, maxLength });
const anyString = (maxLength = 40) => fc.oneof(fc.string({ maxLength }), fc.string({ unit: 'binary', maxLength }), fc.string({ unit: 'grapheme', maxLength }));
const percentGarbage = fc.constantFrom('%', '%%', '%zz', '%G1', '%E0%A4%A', '%FF%FE', '%C0%80', '%00', '%ED%A0%80', '%F4%90%80%80', '%2', '%u0041', '+', '%2B%2F%3D');

/** `arb` with probability `chance`, otherwise undefined (shrinks towards undefined). */
function sometimes<T>(arb: fc.Arbitrary<T>, chance: number): fc.Arbitrary<T | undefined> {
  return fc.oneof({ arbitrary: fc.constant(undefined), weight: Math.round((1 - chance) * 100) }, { arbitrary: arb, weight: Math.round(chance * 100) });
}

const utf8 = (text: string) => Buffer.from(text, 'utf8');
/** What an HTTP parser leaves of a header value: optional whitespace (SP, HTAB) trimmed. */
const httpTrim = (value: string) => value.replace(/^[ \t]+|[ \t]+$/g, '');
const isBlank = (body: Buffer | undefined) => !body || body.toString('utf8').trim() === '';

function deepNesting(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

const MALFORMED_JSON = [
  '{',
  '}',
  '{"a":',
  '{"a":1,}',
  "{'a':1}",
  '{a:1}',
  'NaN',
  'undefined',
  '{"a":1}{"b":2}',
  '\uFEFF{"a":1}',
  '[1,2',
  '"unterminated',
  '{"a":"\\x41"}',
  '{"a":"\\ud800"',
  '/* comment */ {}',
  'true false',
  '<xml/>',
  '\u0000',
];

type Body = { bytes: Buffer; defect?: string };

/** A top-level field value of another JSON type than the valid one (never null: some fields are nullable). */
function wrongTypeFor(value: unknown): fc.Arbitrary<unknown> {
  const object = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
  const array = fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 });
  if (typeof value === 'string') return fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), object, array);
  if (typeof value === 'boolean') return fc.oneof(fc.integer(), fc.string(), object, array);
  if (typeof value === 'number') return fc.oneof(fc.string(), fc.boolean(), object, array);
  if (Array.isArray(value)) return fc.oneof(fc.integer(), fc.string(), fc.boolean(), object);
  return fc.oneof(fc.integer(), fc.string(), fc.boolean(), array);
}

/** Paths to the nested plain objects of a JSON value (contacts[0], addresses[1], …). */
function nestedObjectPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => nestedObjectPaths(v, [...path, i]));
  if (value && typeof value === 'object') {
    const own = path.length > 0 ? [path] : [];
    return [...own, ...Object.entries(value).flatMap(([k, v]) => nestedObjectPaths(v, [...path, k]))];
  }
  return [];
}

/** Adds `key: value` to a JSON object's text, even `__proto__`, as an own property of the wire JSON. */
function withExtraKey(objectText: string, key: string, value: unknown): string {
  const inner = objectText.trim().slice(1, -1).trim();
  return `{${inner}${inner ? ',' : ''}${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}}`;
}

/** Bodies a route with a body schema must refuse, each on its own. */
function invalidBodies(route: RouteSpec, valid: Record<string, unknown>): fc.Arbitrary<Body> {
  const validText = JSON.stringify(valid);
  const shape = route.body && 'shape' in route.body ? Object.keys((route.body as { shape: object }).shape) : Object.keys(valid);
  const unknownKey = fc
    .oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', '', ' ', 'id', 'version', 'createdBy', 'status ', 'NAME', '$where'), anyString(20))
    .filter((k) => !shape.includes(k));
  const validKeys = Object.keys(valid);
  const nested = nestedObjectPaths(valid);

  const arbs: fc.Arbitrary<Body>[] = [
    fc.constantFrom(...MALFORMED_JSON).map((t) => ({ bytes: utf8(t), defect: 'malformed JSON' })),
    fc.tuple(fc.constantFrom('x', '<', "'", '\u0000', '#'), anyString(200)).map(([p, s]) => ({ bytes: utf8(p + s), defect: 'not JSON' })),
    fc.uint8Array({ minLength: 1, maxLength: 200 }).map((b) => ({ bytes: Buffer.concat([Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(b)]), defect: 'invalid UTF-8' })),
    fc
      .oneof(fc.integer(), fc.double(), fc.string(), fc.boolean(), fc.constant(null), fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 5 }))
      .map((v) => ({ bytes: utf8(JSON.stringify(v) ?? 'null'), defect: 'not an object' })),
    fc
      .tuple(unknownKey, fc.jsonValue({ maxDepth: 3 }), fc.dictionary(anyString(12), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }))
      .map(([key, value, rest]) => ({ bytes: utf8(withExtraKey(JSON.stringify(rest), key, value)), defect: `random object with unknown key ${JSON.stringify(key)}` })),
    fc.tuple(unknownKey, fc.jsonValue({ maxDepth: 3 })).map(([key, value]) => ({ bytes: utf8(withExtraKey(validText, key, value)), defect: `unknown field ${JSON.stringify(key)}` })),
    fc.constantFrom('   ', '', '\n\t ', 'null', '{}', '[]', '""').map((t) => ({ bytes: utf8(t), defect: 'empty or trivial body' })),
    fc
      .tuple(fc.integer({ min: 10, max: 120_000 }), fc.constantFrom<'array' | 'object'>('array', 'object'))
      .map(([depth, kind]) => ({ bytes: utf8(deepNesting(depth, kind)), defect: `nested ${depth} deep` })),
    fc.integer({ min: 300 * 1024, max: 900 * 1024 }).map((size) => ({ bytes: utf8(withExtraKey(validText, 'padding', 'x'.repeat(size))), defect: `${size} byte body` })),
    fc.constantFrom(
      '{"__proto__":{"isAdmin":true,"permissions":["roles:manage"]}}',
      '{"constructor":{"prototype":{"polluted":true}}}',
    ).map((t) => ({ bytes: utf8(t), defect: 'prototype pollution' })),
  ];
  if (validKeys.length > 0) {
    const key = fc.constantFrom(...validKeys);
    arbs.push(
      key.chain((k) => wrongTypeFor(valid[k]).map((v) => ({ bytes: utf8(JSON.stringify({ ...valid, [k]: v })), defect: `${k} of the wrong type` }))),
      fc
        .tuple(key, fc.integer({ min: 3_000, max: 200_000 }), fc.constantFrom('x', '测', '😀', ' '))
        .map(([k, n, ch]) => ({ bytes: utf8(JSON.stringify({ ...valid, [k]: ch.repeat(n) })), defect: `${k}: ${n} × ${JSON.stringify(ch)}` })),
      fc
        .tuple(key, fc.integer({ min: 50, max: 20_000 }))
        .map(([k, depth]) => ({ bytes: utf8(validText.slice(0, -1) + `,${JSON.stringify(k)}:${deepNesting(depth, 'array')}}`), defect: `${k} nested ${depth} deep (duplicate key)` })),
      // A string field whose bytes are not UTF-8, plus an unknown field so the body is certainly invalid.
      fc.uint8Array({ minLength: 1, maxLength: 20 }).map((b) => ({
        bytes: Buffer.concat([utf8(withExtraKey(validText, 'zz_unknown', 1).slice(0, -1) + ',"zz_bytes":"'), Buffer.from([0xc3, 0x28, 0xa0, 0xa1]), Buffer.from(b.filter((x) => x !== 0x22 && x !== 0x5c)), utf8('"}')]),
        defect: 'invalid UTF-8 in a string and an unknown field',
      })),
    );
  }
  if (nested.length > 0) {
    arbs.push(
      fc.tuple(fc.constantFrom(...nested), unknownKey, fc.jsonValue({ maxDepth: 2 })).map(([path, key, value]) => {
        const copy = structuredClone(valid) as Record<string | number, unknown>;
        let target = copy as Record<string | number, unknown>;
        for (const step of path) target = target[step] as Record<string | number, unknown>;
        Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
        return { bytes: utf8(JSON.stringify(copy)), defect: `unknown field ${JSON.stringify(key)} in ${path.join('/')}` };
      }),
    );
  }
  return fc.oneof(...arbs);
}

/** Non-blank bodies for a route that takes none. */
const bodiesForBodilessRoute: fc.Arbitrary<Body> = fc
  .oneof(
    fc.jsonValue({ maxDepth: 3 }).map((v) => utf8(JSON.stringify(v) ?? 'null')),
    anyString(200).map(utf8),
    fc.uint8Array({ minLength: 1, maxLength: 100 }).map((b) => Buffer.from(b)),
    fc.integer({ min: 300 * 1024, max: 900 * 1024 }).map((n) => utf8('x'.repeat(n))),
    fc.constantFrom(...MALFORMED_JSON).map(utf8),
  )
  .filter((bytes) => !isBlank(bytes))
  .map((bytes) => ({ bytes, defect: 'a body on an operation that takes none' }));

/** Raw query strings: random keys and values, known keys with odd values, repeats, unicode, percent garbage. */
function queryStrings(route: RouteSpec): fc.Arbitrary<string> {
  const known = Object.keys(route.query?.shape ?? {});
  const oddValues = fc.constantFrom('', ' ', '0', '-1', '1', '25', '100', '101', '1.5', '1e2', '0x10', 'NaN', 'Infinity', '9'.repeat(40), 'null', '[]', 'CN-EAST', 'cn-east', 'gold', 'active', 'dealer', '2024-01-01T00:00:00Z', '2099-13-45T99:99:99Z', 'e30', 'eyJsIjoiZGVhbGVycyIsInMiOnt9fQ', '2026-01-01T00:00:00.000Z', '2025-06-30T23:59:59.999999Z', '2024-02-29T12:00:00+08:00');
  const extremeDates = ['0001-01-01T00:00:00Z', '1970-01-01T00:00:00Z', '9999-12-31T23:59:59Z'];
  const key = fc.oneof(
    ...(known.length ? [fc.constantFrom(...known)] : []),
    anyString(15).map(pct),
    fc.constantFrom('__proto__', 'constructor', 'limit[]', 'a[b]', 'LIMIT', ' limit').map(pct),
    percentGarbage,
  );
  const value = fc.oneof(
    oddValues.map(pct),
    anyString(60).map(pct),
    percentGarbage,
    fc.string({ maxLength: 300 }).map(pct),
    fc.constantFrom(...extremeDates),
  );
  const pair = fc.tuple(key, value, fc.boolean()).map(([k, v, withEquals]) => (withEquals || v ? `${k}=${v}` : k));
  return fc
    .tuple(fc.array(pair, { maxLength: 6 }), fc.boolean(), fc.constantFrom('&', '&&', ';'))
    .map(([pairs, repeat, sep]) => (repeat && pairs[0] ? [...pairs, pairs[0]] : pairs).join(sep))
    .filter((q) => q.length < 4_000);
}

/** The keys the twin (like API Gateway) would decode from a raw query string. */
function queryKeys(query: string): string[] {
  return [...new URLSearchParams(query).keys()];
}

const EXISTING_NAMES = new Set(BUILT_IN_ROLE_NAMES);

const ULID_LIKE = fc.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/);

/** Path parameter values that name nothing the caller can reach. */
const invalidSegments: fc.Arbitrary<{ segment: string; defect: string }> = fc.oneof(
  ULID_LIKE.map((s) => ({ segment: s, defect: 'a well-formed id that does not exist' })),
  ULID_LIKE.map((s) => ({ segment: s.toLowerCase(), defect: 'a lower-case id' })),
  ULID_LIKE.map((s) => ({ segment: `${s}0`, defect: 'an id one character too long' })),
  fc.constantFrom('ILOU0000000000000000000000', '0'.repeat(26), 'x', 'null', 'undefined', '-', '_', '.a', 'a'.repeat(300)).map((s) => ({ segment: s, defect: `segment ${s}` })),
  percentGarbage.map((s) => ({ segment: s, defect: `percent garbage ${s}` })),
  fc.constantFrom('%2F', '%2Fadmin', 'a%2Fb', '%5C', '%0A', '%20', '%3Cscript%3E').map((s) => ({ segment: s, defect: `encoded ${s}` })),
  anyString(40)
    .filter((s) => s.length > 0 && !EXISTING_NAMES.has(s) && !s.startsWith('world_custom') && !s.startsWith('fx_') && !/^\d+$/.test(s)) // numbers: approval policy versions exist
    .map((s) => ({ segment: pct(s), defect: 'random segment' })),
);

/** Methods the route's path does not support (→ 405). */
function otherMethods(route: RouteSpec): string[] {
  const defined = new Set(ALL_ROUTES.filter((r) => r.path === route.path).map((r) => r.method as string));
  return ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].filter((m) => !defined.has(m));
}

const CONTENT_TYPES_OK = ['application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/merge-patch+json', 'application/problem+json', 'application/json;charset=UTF-8'];
const CONTENT_TYPES_BAD = ['text/plain', '', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=xyz', 'application/jsonp', 'application/xml', 'json', 'application/', 'text/json', 'text/html; charset=utf-8', '*/*'];

/** Harmless extra headers: they must never change the outcome into a 5xx. */
const noiseHeaders: fc.Arbitrary<Record<string, string>> = fc
  .tuple(
    fc.array(fc.tuple(fc.stringMatching(/^x-fuzz-[a-z0-9-]{1,20}$/), headerValue(200)), { maxLength: 4 }),
    fc.option(fc.constantFrom('*/*', 'application/json', 'text/html', 'application/problem+json', ''), { nil: undefined }),
    fc.option(headerValue(60), { nil: undefined }),
    fc.option(headerValue(60), { nil: undefined }),
    fc.option(fc.constantFrom('http', 'https', 'ftp', '', 'javascript'), { nil: undefined }),
    fc.option(fc.constantFrom('"1"', '*', 'W/"2"', 'garbage'), { nil: undefined }),
  )
  .map(([extra, accept, agentName, forwardedHost, proto, ifNoneMatch]) => {
    const headers: Record<string, string> = Object.fromEntries(extra);
    if (accept !== undefined) headers.accept = accept;
    if (agentName !== undefined) headers['user-agent'] = agentName;
    if (forwardedHost !== undefined) headers['x-forwarded-host'] = forwardedHost;
    if (proto !== undefined) headers['x-forwarded-proto'] = proto;
    if (ifNoneMatch !== undefined) headers['if-none-match'] = ifNoneMatch;
    return headers;
  });

type HeaderEdit = { set: Record<string, string>; remove: string[]; defect?: string };

/** Header changes that make a mutating request invalid on their own. */
function invalidHeaders(route: RouteSpec, currentVersion: number | undefined, hasBody: boolean): fc.Arbitrary<HeaderEdit> | undefined {
  const arbs: fc.Arbitrary<HeaderEdit>[] = [];
  if (route.idempotent) {
    arbs.push(
      fc.constant({ set: {}, remove: ['idempotency-key'], defect: 'no Idempotency-Key' }),
      fc
        .oneof(
          fc.constantFrom('', '   ', 'a b', 'key\twith\ttabs', 'clé', '\u00a0', 'ä'.repeat(10), '\u00ff'),
          fc.integer({ min: 256, max: 4000 }).map((n) => 'k'.repeat(n)),
          fc.tuple(fc.string({ unit: 'grapheme-ascii', maxLength: 20 }), fc.constantFrom(' ', '\u0080', '\u00e9', '\t'), fc.string({ unit: 'grapheme-ascii', maxLength: 20 })).map(([a, bad, b]) => `${a}${bad}${b}`),
        )
        .filter((k) => !/^[\x21-\x7e]{1,255}$/.test(httpTrim(k)))
        .map((key) => ({ set: { 'idempotency-key': key }, remove: [], defect: `Idempotency-Key ${JSON.stringify(key.slice(0, 40))}` })),
    );
  }
  if (route.requiresIfMatch) {
    arbs.push(
      fc.constant({ set: {}, remove: ['if-match'], defect: 'no If-Match' }),
      fc
        .oneof(
          fc.constantFrom('', '*', '"0"', 'W/"0"', '"999999"', '"1", "2"', 'W/', '""', '"-1"', '"1.0"', '"01"', '"9999999999"', '"99999999999"', '1', "'1'", '"1"x', 'null'),
          headerValue(40),
        )
        .filter((value) => versionFromETag(httpTrim(value)) !== currentVersion)
        .map((value) => ({ set: { 'if-match': value }, remove: [], defect: `If-Match ${JSON.stringify(value)}` })),
    );
  }
  if (hasBody) {
    arbs.push(
      fc.constantFrom(...CONTENT_TYPES_BAD).map((ct) => ({ set: { 'content-type': ct }, remove: [], defect: `Content-Type ${JSON.stringify(ct)}` })),
      fc.constant({ set: {}, remove: ['content-type'], defect: 'no Content-Type' }),
    );
  }
  return arbs.length ? fc.oneof(...arbs) : undefined;
}

interface Baseline {
  route: RouteSpec;
  request: PreparedRequest;
  token: string;
  /** The version behind the fixture's If-Match, if any. */
  version: number | undefined;
}

function baseCase(base: Baseline): FuzzCase {
  const headers: Record<string, string> = { ...base.request.headers, authorization: `Bearer ${base.token}` };
  let body: Buffer | undefined;
  if (base.request.body !== undefined) {
    body = utf8(JSON.stringify(base.request.body));
    headers['content-type'] = 'application/json';
  }
  return { method: base.route.method, path: base.request.path, query: new URLSearchParams(base.request.query).toString(), headers, ...(body ? { body } : {}), defects: [] };
}

function withSegment(base: Baseline, segment: string): string {
  // Every parameterised path of the table has exactly one parameter, the last-but-maybe-one segment.
  const template = base.route.path.split('/');
  const actual = base.request.path.split('/');
  return template.map((part, i) => (/^\{.+\}$/.test(part) ? segment : actual[i])).join('/');
}

/**
 * Requests to a mutating route, each with at least one certain defect (so a 2xx would be a
 * bug), the other parts either valid or noise.
 */
function mutatingCases(base: Baseline): fc.Arbitrary<FuzzCase> {
  const { route } = base;
  const valid = base.request.body as Record<string, unknown> | undefined;
  const bodyArb = route.body ? invalidBodies(route, valid ?? {}) : bodiesForBodilessRoute;
  const headerArb = invalidHeaders(route, base.version, route.body !== undefined);
  const methods = otherMethods(route);
  return fc
    .record({
      body: sometimes(bodyArb, 0.5),
      query: sometimes(
        queryStrings(route).filter((q) => queryKeys(q).length > 0),
        0.2,
      ),
      header: headerArb ? sometimes(headerArb, 0.4) : fc.constant(undefined),
      segment: route.params ? sometimes(invalidSegments, 0.25) : fc.constant(undefined),
      method: methods.length ? sometimes(fc.constantFrom(...methods), 0.08) : fc.constant(undefined),
      contentType: fc.constantFrom(...CONTENT_TYPES_OK),
      noise: noiseHeaders,
    })
    .filter((p) => p.body !== undefined || p.query !== undefined || p.header !== undefined || p.segment !== undefined || p.method !== undefined)
    .map((p) => {
      const c = baseCase(base);
      Object.assign(c.headers, p.noise);
      if (route.body) c.headers['content-type'] = p.contentType;
      if (p.body) {
        c.body = p.body.bytes;
        c.defects.push(p.body.defect ?? 'body');
        if (!route.body && !c.headers['content-type']) c.headers['content-type'] = p.contentType;
      }
      if (p.query !== undefined) {
        c.query = p.query;
        c.defects.push(`query on an operation without query parameters: ${p.query.slice(0, 80)}`);
      }
      if (p.header) {
        for (const name of p.header.remove) delete c.headers[name];
        Object.assign(c.headers, p.header.set);
        if (p.header.defect) c.defects.push(p.header.defect);
      }
      if (p.segment) {
        c.path = withSegment(base, p.segment.segment);
        c.defects.push(p.segment.defect);
      }
      if (p.method) {
        c.method = p.method;
        c.defects.push(`method ${p.method}`);
      }
      return c;
    });
}

const b64json = (value: unknown) => Buffer.from(JSON.stringify(value) ?? 'null', 'utf8').toString('base64url');

function decodeB64Json(value: unknown): unknown {
  if (typeof value !== 'string') return undefined;
  try {
    return JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Cursors forged from a real one: the same list tag with its state (and any base64url JSON
 * inside it, such as the ElectroDB key) dropped, retyped or replaced, plus truncations.
 */
function forgedCursors(real: string): fc.Arbitrary<string> {
  const decoded = decodeB64Json(real) as { l?: unknown; s?: unknown } | undefined;
  const tag = decoded?.l;
  const state = decoded?.s && typeof decoded.s === 'object' ? (decoded.s as Record<string, unknown>) : {};
  const keys = Object.keys(state);
  const json = fc.jsonValue({ maxDepth: 3 });
  const randomValue = fc.oneof(json, anyString(40), json.map(b64json));
  const valueFor = (original: unknown): fc.Arbitrary<unknown> => {
    const inner = decodeB64Json(original);
    if (!inner || typeof inner !== 'object' || Array.isArray(inner)) return randomValue;
    const innerKeys = Object.keys(inner);
    return fc.oneof(
      randomValue,
      // The inner key with one attribute retyped or replaced.
      fc.tuple(fc.constantFrom(...innerKeys), fc.oneof(json, anyString(30), fc.constant({ S: 'x' }), fc.constant({ N: '1' })))
        .map(([k, v]) => b64json({ ...(inner as object), [k]: v })),
      fc.subarray(innerKeys).map((kept) => b64json(Object.fromEntries(kept.map((k) => [k, (inner as Record<string, unknown>)[k]])))),
    );
  };
  const arbs: fc.Arbitrary<string>[] = [
    json.map((s) => b64json({ l: tag, s })),
    fc.subarray(keys).map((kept) => b64json({ l: tag, s: Object.fromEntries(kept.map((k) => [k, state[k]])) })),
    fc.nat({ max: Math.max(0, real.length - 1) }).map((n) => real.slice(0, n) || 'A'),
    fc.constantFrom(`${real}A`, `${real}==`, real.replace(/[A-Za-z]/, (c) => (c === 'A' ? 'B' : 'A'))),
  ];
  if (keys.length) {
    // The most telling forgery (one piece of state changed), so it gets most of the runs.
    const oneKey = fc.constantFrom(...keys).chain((k) => valueFor(state[k]).map((v) => b64json({ l: tag, s: { ...state, [k]: v } })));
    arbs.push(oneKey, oneKey, oneKey, oneKey);
  }
  return fc.oneof(...arbs);
}

/** Requests to a reading route: anything goes; certain defects are tracked for the 4xx check. */
function readingCases(base: Baseline, realCursor?: string): fc.Arbitrary<FuzzCase> {
  const { route } = base;
  const known = new Set(Object.keys(route.query?.shape ?? {}));
  const methods = otherMethods(route);
  const cursors = realCursor ? fc.oneof(fc.constant(realCursor), forgedCursors(realCursor)) : fc.constant(undefined);
  return fc
    .record({
      query: fc.oneof(fc.constant(new URLSearchParams(base.request.query).toString()), queryStrings(route)),
      cursor: sometimes(cursors, 0.35),
      body: sometimes(fc.oneof(bodiesForBodilessRoute, fc.constantFrom(' ', '\n', '\t\r\n').map((t) => ({ bytes: utf8(t) }) as Body)), 0.25),
      segment: route.params ? sometimes(invalidSegments, 0.3) : fc.constant(undefined),
      method: methods.length ? sometimes(fc.constantFrom(...methods), 0.08) : fc.constant(undefined),
      extra: fc.record({
        'if-match': sometimes(headerValue(30), 0.3),
        'idempotency-key': sometimes(headerValue(300), 0.3),
        'content-type': sometimes(fc.constantFrom(...CONTENT_TYPES_OK, ...CONTENT_TYPES_BAD), 0.3),
      }),
      noise: noiseHeaders,
    })
    .map((p) => {
      const c = baseCase(base);
      Object.assign(c.headers, p.noise);
      for (const [name, value] of Object.entries(p.extra)) if (value !== undefined) c.headers[name] = value;
      c.query = p.cursor ? [p.query, `cursor=${pct(p.cursor)}`].filter(Boolean).join('&') : p.query;
      const unknown = queryKeys(p.query).filter((k) => !known.has(k));
      if (unknown.length) c.defects.push(`unknown query parameter(s) ${JSON.stringify(unknown)}`);
      if (p.body) {
        c.body = p.body.bytes;
        if (p.body.defect) c.defects.push(p.body.defect);
      }
      if (p.segment) {
        c.path = withSegment(base, p.segment.segment);
        c.defects.push(p.segment.defect);
      }
      if (p.method) {
        c.method = p.method;
        c.defects.push(`method ${p.method}`);
      }
      return c;
    });
}

const label = (route: RouteSpec) => `${route.method} ${route.path} (${route.operationId})`;

describe('fuzz: malformed input on every route → 4xx problem+json, never 5xx, nothing written', () => {
  it('walks a non-empty route table', () => {
    expect(ALL_ROUTES.length).toBeGreaterThan(0);
  });

  it.each(ALL_ROUTES.map((route) => ({ route, name: label(route) })))(
    '$name',
    async ({ route }) => {
      const request = await fixtureFor(route)(world, 'A');
      const ifMatch = request.headers['if-match'];
      // Admin holds every permission; a request that must come from a given role (an approver) names it.
      const sendAs = actingRole(request)?.sendAs;
      const token = sendAs ? await twin.token(sendAs, { userId: `fuzz-${sendAs}`, ...scopeClaims(world, BUILT_IN_ROLES.get(sendAs)!.scope, request) }) : world.admin;
      const base: Baseline = { route, request, token, version: ifMatch ? (versionFromETag(ifMatch) ?? undefined) : undefined };
      const before = await stateFingerprint();
      const auditBefore = await auditRecordCount();

      // A real cursor of this list (when it has more than one page), to forge others from.
      let realCursor: string | undefined;
      if (!route.mutates && route.query?.shape && 'cursor' in route.query.shape && 'limit' in route.query.shape) {
        const first = await send({ ...baseCase(base), query: new URLSearchParams({ ...request.query, limit: '1' }).toString() });
        realCursor = (JSON.parse(first.text) as { nextCursor?: string }).nextCursor;
        expect(realCursor, `${label(route)} has a second page to forge cursors from`).toBeTruthy();
      }

      const tally = new Map<string, number>();
      // A write is sticky (every later case would "fail" too, and shrinking would blame an
      // innocent one), so the first request that changed state is kept and reported.
      let firstWrite: string | undefined;
      const property = fc.asyncProperty(route.mutates ? mutatingCases(base) : readingCases(base, realCursor), async (c) => {
        const response = await send(c);
        const key = `${response.status} ${/"code":"([a-z_]+)"/.exec(response.text)?.[1] ?? ''}`.trim();
        tally.set(key, (tally.get(key) ?? 0) + 1);
        if (route.mutates && !firstWrite) {
          const now = await stateFingerprint();
          if (now !== before) firstWrite = `${fc.stringify(c)}\n→ ${response.status} ${response.text.slice(0, 300)}\nstate ${before}\n   →  ${now}`;
        }
        checkResponse(c, response);
        if (firstWrite) throw new Error(`a refused request changed stored state:\n${firstWrite}`);
      });
      try {
        await fc.assert(property, fcOptions(route.mutates ? RUNS.mutating : RUNS.reading));
      } catch (error) {
        if (firstWrite) throw new Error(`${label(route)}: the first request that wrote:\n${firstWrite}\n\n${(error as Error).message}`);
        throw error;
      }
      if (realCursor) {
        // Forged cursors on the plain list query, so that they reach the reader.
        const cursorProperty = fc.asyncProperty(forgedCursors(realCursor), async (cursor) => {
          const c = baseCase(base);
          c.query = new URLSearchParams({ ...request.query, cursor }).toString();
          const response = await send(c);
          const key = `cursor: ${response.status} ${/"code":"([a-z_]+)"/.exec(response.text)?.[1] ?? ''}`.trim();
          tally.set(key, (tally.get(key) ?? 0) + 1);
          checkResponse(c, response);
        });
        await fc.assert(cursorProperty, fcOptions(RUNS.reading));
      }
      if (process.env.FUZZ_VERBOSE) console.log(label(route), Object.fromEntries([...tally].sort()));

      expect(await stateFingerprint()).toBe(before);
      expect(await auditRecordCount()).toBe(auditBefore);
      // The fixture itself is still a valid request: the fuzzing did not break the baseline.
      const control = await send(baseCase(base));
      expect(control.status, control.text.slice(0, 300)).toBe(route.successStatus);
      // What the control set going in the background (a workflow) settles before the next route's baseline.
      await asyncConsequences(request)?.settle({ status: control.status, headers: new Headers(), body: JSON.parse(control.text), text: control.text });
    },
    90_000 * Math.max(1, RUNS_SCALE),
  );

  it('GET /audit-log with a forged cursor is a 400 invalid_cursor, with or without filters', async () => {
    const forged = [
      b64json({ l: 'audit', s: { electro: 'garbage' } }),
      b64json({ l: 'audit', s: { month: new Date().toISOString().slice(0, 7), electro: b64json({ pk: 'x' }) } }),
      b64json({ l: 'audit', s: { electro: b64json(['x']) } }),
    ];
    for (const cursor of forged) {
      for (const filter of ['', '&entityType=dealer&entityId=x', `&actorId=${world.adminUserId}`]) {
        const response = await twin.request('GET', `/audit-log?cursor=${cursor}${filter}`, { token: world.admin });
        expect(response.status, `cursor ${Buffer.from(cursor, 'base64url').toString()}${filter}: ${response.text.slice(0, 200)}`).toBe(400);
        expect(response.body.code).toBe('invalid_cursor');
      }
    }
  });

  it('GET /dealers with a forged cursor holding an out-of-range number is a 400 invalid_cursor', async () => {
    for (const electro of [{ pk: 1e300 }, { gsi1pk: '$dms', gsi1sk: -1e300, pk: 'x', sk: 'y' }, { pk: 12345678901234567890 }]) {
      const cursor = b64json({ l: 'dealers', s: { index: 'byName', electro: b64json(electro) } });
      const response = await twin.request('GET', `/dealers?cursor=${cursor}`, { token: world.admin });
      expect(response.status, `${JSON.stringify(electro)}: ${response.text.slice(0, 200)}`).toBe(400);
      expect(response.body.code).toBe('invalid_cursor');
    }
  });

  it('GET /audit-log over a very wide time range is refused (4xx) or answered with bounded work', async () => {
    dynamoCallCounter.reset();
    expect((await twin.request('GET', '/audit-log?limit=5', { token: world.admin })).status).toBe(200);
    expect(dynamoCallCounter.total(), 'the twin’s handlers share the call counter').toBeGreaterThan(0);
    for (const query of ['from=1970-01-01T00:00:00Z', 'from=2000-01-01T00:00:00Z&to=2099-12-31T23:59:59Z', 'from=0001-01-01T00:00:00Z']) {
      dynamoCallCounter.reset();
      const response = await twin.request('GET', `/audit-log?${query}&limit=10`, { token: world.admin });
      expect(response.status, `${query}: ${response.text.slice(0, 200)}`).toBeLessThan(500);
      if (response.status === 200) expect(dynamoCallCounter.total(), `${query}: DynamoDB calls for one page`).toBeLessThanOrEqual(30);
      else expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
  });

  it('a `__proto__` query parameter is an unknown parameter (400) on every route, as on API Gateway', async () => {
    for (const route of ALL_ROUTES) {
      const request = await fixtureFor(route)(world, 'A');
      const c = baseCase({ route, request, token: world.admin, version: undefined });
      const before = await stateFingerprint();
      for (const query of ['__proto__=x', '__proto__', `${c.query ? `${c.query}&` : ''}__proto__[admin]=1&__proto__=1`]) {
        const response = await send({ ...c, query, defects: ['unknown query parameter __proto__'] });
        checkResponse(c, response);
        expect(response.status, `${label(route)}?${query}`).toBe(400);
      }
      expect(await stateFingerprint(), `${label(route)} wrote`).toBe(before);
    }
  });

  it('random Authorization headers on every protected route → 401, nothing written', async () => {
    const protectedRoutes = ALL_ROUTES.filter((r) => r.permission !== 'public');
    const baselines: Baseline[] = [];
    for (const route of protectedRoutes) baselines.push({ route, request: await fixtureFor(route)(world, 'A'), token: world.admin, version: undefined });
    const valid = world.admin;
    const [h, p, s] = valid.split('.') as [string, string, string];
    const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
    // Never the signature's last character: its low bits are padding, so changing it may not change the signature.
    const flip = (text: string, at: number) => {
      const i = at % (text.length - 1);
      const ch = text[i] === 'A' ? 'B' : 'A';
      return text.slice(0, i) + ch + text.slice(i + 1);
    };
    const authorization = fc.oneof(
      headerValue(200),
      headerValue(200).map((v) => `Bearer ${v}`),
      fc.tuple(fc.base64String(), fc.base64String(), fc.base64String()).map(([a, b, c]) => `Bearer ${a}.${b}.${c}`),
      fc
        .tuple(fc.constantFrom('none', 'HS256', 'RS256', 'ES256', 'ES512', 'EdDSA', ''), fc.option(fc.string({ maxLength: 20 })), fc.jsonValue({ maxDepth: 2 }))
        .map(([alg, kid, extra]) => `Bearer ${b64({ alg, typ: 'JWT', ...(kid !== null ? { kid } : {}) })}.${b64({ sub: 'intruder', 'cognito:groups': ['admin'], extra })}.${b64('sig')}`),
      fc.nat().map((n) => `Bearer ${flip(`${h}.${p}.${s}`, n)}`).filter((v) => v !== `Bearer ${valid}`),
      fc.constant(`Bearer ${h}.${p}.`),
      fc.constant(`Bearer ${h}.${p}`),
      fc.constant(`Token ${valid}`),
      fc.constant(`Bearer ${valid} ${valid}`),
      fc.constant(`Bearer ${valid.toUpperCase()}`),
    );
    const before = await stateFingerprint();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...baselines), authorization, async (base, value) => {
        const c = baseCase(base);
        c.headers.authorization = value;
        c.defects.push('bad credentials');
        const response = await send(c);
        checkResponse(c, response);
        expect(response.status, `${value.slice(0, 80)} → ${response.text}`).toBe(401);
      }),
      fcOptions(RUNS.auth),
    );
    expect(await stateFingerprint()).toBe(before);
  }, 90_000 * Math.max(1, RUNS_SCALE));
});
