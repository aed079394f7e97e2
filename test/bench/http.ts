import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dynamoCallCounter, dynamoClient } from '../../functions/adapters/dynamo/client';
import { DEALER_TIERS as TIERS, type NewDealer } from '../../domain/dealers/dealer';
import { DEMO_REGIONS, demoUscc } from '../../infra/local/demo-data';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../infra/local/dynamodb-local';
import { ephemeralSigner } from '../../infra/local/jwt';
import { seedRegions } from '../../infra/local/seed';
import { startTwin, type Twin } from '../../infra/local/twin';
import { percentile } from './stats';

export interface ScenarioResult {
  name: string;
  requests: number;
  concurrency: number;
  /** Client-side round trip over HTTP (fetch → twin → handler → DynamoDB Local → back). */
  latency: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Time inside the twin's HTTP server (token check, event mapping, handler), from its onRequest hook. */
  server: { p50: number; p99: number };
  /** Time spent waiting on DynamoDB Local per request (sum of SDK calls / requests). */
  dynamoMsPerRequest: number;
  requestsPerSecond: number;
  /** DynamoDB commands per request, by command name (from `dynamoCallCounter`). */
  callsPerRequest: Map<string, number>;
  totalCallsPerRequest: number;
}

export interface HttpBenchOptions {
  /** Sequential requests per headline scenario (≥ 500). */
  requests: number;
  /** In-flight requests for the concurrent runs. */
  concurrency: number;
  /** Requests per route before measuring (JIT of Node and of DynamoDB Local's JVM). */
  warmup: number;
  /** Requests for the informational scenarios (PATCH, list, replay). */
  infoRequests: number;
  log: (line: string) => void;
}

export interface HttpBenchReport {
  scenarios: ScenarioResult[];
  dealersCreated: number;
  /** DynamoDB Local's JVM was gone after stop (checked with pgrep on its port). */
  jvmStopped: boolean;
}

/** True when no DynamoDB Local JVM listening on `port` is left (pgrep exits 1 when nothing matches). */
function jvmGone(port: number): boolean {
  const result = spawnSync('pgrep', ['-f', `DynamoDBLocal\\.jar .*-port ${port} `], { encoding: 'utf8' });
  if (result.error) return true; // no pgrep here: nothing to check with
  return result.status === 1;
}

interface Harness {
  dynamo: DynamoDbLocal;
  twin: Twin;
  token: string;
  serverTimes: number[] | undefined;
  dynamoMs: number;
}

let codeCounter = 0;
const RUN_TAG = Date.now().toString(36).toUpperCase().slice(-5);

/** A valid registration with a unique code (like test/support/twin.ts `newDealerInput`, without vitest). */
export function benchDealerInput(overrides: Partial<NewDealer> = {}): NewDealer {
  codeCounter += 1;
  return {
    code: `B${RUN_TAG}-${codeCounter}`,
    name: `基准测试经销商${codeCounter}号商贸有限公司`,
    uscc: demoUscc('310115', Math.random),
    // A realistic mix, so filtered lists read ahead as designed rather than through everything.
    tier: TIERS[codeCounter % TIERS.length]!,
    channelType: 'distributor',
    region: DEMO_REGIONS[codeCounter % DEMO_REGIONS.length]!.code,
    contacts: [{ name: '张伟', title: '总经理', mobile: '13800138000', email: 'zhang@example.cn', primary: true }],
    addresses: [{ type: 'billing', province: '上海市', city: '上海', street: '浦东新区世纪大道100号', postalCode: '200120', isDefault: true }],
    ...overrides,
  };
}

interface Sent {
  status: number;
  etag: string | null;
  body: any;
}

async function send(h: Harness, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Sent> {
  const response = await fetch(`${h.twin.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${h.token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, etag: response.headers.get('etag'), body: text ? JSON.parse(text) : undefined };
}

function expectStatus(sent: Sent, status: number, what: string): Sent {
  if (sent.status !== status) throw new Error(`${what}: expected ${status}, got ${sent.status}: ${JSON.stringify(sent.body)}`);
  return sent;
}

/**
 * Runs `count` requests with `concurrency` in flight, each made by `request(i)` (which checks its
 * own status). DynamoDB counters and timers cover exactly this window.
 */
async function scenario(h: Harness, name: string, count: number, concurrency: number, request: (i: number) => Promise<unknown>): Promise<ScenarioResult> {
  const latencies: number[] = new Array(count);
  const serverTimes: number[] = [];
  dynamoCallCounter.reset();
  h.dynamoMs = 0;
  h.serverTimes = serverTimes;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const t0 = performance.now();
      await request(i);
      latencies[i] = performance.now() - t0;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  const elapsed = performance.now() - started;
  // Anything the handlers still do after responding (none expected) would land here.
  await new Promise((resolve) => setTimeout(resolve, 50));
  h.serverTimes = undefined;
  const callsPerRequest = new Map([...dynamoCallCounter.counts].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, v / count] as const));
  return {
    name,
    requests: count,
    concurrency,
    latency: {
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      max: Math.max(...latencies),
      mean: latencies.reduce((a, b) => a + b, 0) / count,
    },
    server: { p50: percentile(serverTimes, 50), p99: percentile(serverTimes, 99) },
    dynamoMsPerRequest: h.dynamoMs / count,
    requestsPerSecond: count / (elapsed / 1000),
    callsPerRequest,
    totalCallsPerRequest: dynamoCallCounter.total() / count,
  };
}

async function startHarness(): Promise<Harness> {
  const dynamo = await startDynamoDbLocal();
  try {
    const suffix = randomUUID().slice(0, 8);
    const signer = await ephemeralSigner();
    const harness: Harness = { dynamo, twin: undefined as unknown as Twin, token: '', serverTimes: undefined, dynamoMs: 0 };
    harness.twin = await startTwin({
      dynamoEndpoint: dynamo.endpoint,
      tables: { main: `dms-bench-${suffix}`, idempotency: `dms-bench-idem-${suffix}` },
      signer,
      onRequest: ({ ms }) => harness.serverTimes?.push(ms),
    });
    await seedRegions();
    // Time every DynamoDB call on the shared client (the same one `dynamoCallCounter` counts on).
    dynamoClient().middlewareStack.add(
      (next) => async (args) => {
        const t0 = performance.now();
        try {
          return await next(args);
        } finally {
          harness.dynamoMs += performance.now() - t0;
        }
      },
      { step: 'initialize', name: 'benchDynamoTimer' },
    );
    harness.token = await signer.sign({ userId: 'bench-admin', username: 'bench', roles: ['admin'] });
    return harness;
  } catch (error) {
    await dynamo.stop();
    throw error;
  }
}

/**
 * The local API under load: DynamoDB Local in memory, the twin in this process on fresh tables,
 * real HTTP with a real token. Always stops the twin and the JVM.
 */
export async function benchHttp(options: HttpBenchOptions): Promise<HttpBenchReport> {
  const { log } = options;
  const started = performance.now();
  const h = await startHarness();
  log(`  DynamoDB Local ${h.dynamo.endpoint} (in memory), twin ${h.twin.url}  [start-up ${((performance.now() - started) / 1000).toFixed(1)} s]`);
  let created = 0;
  const scenarios: ScenarioResult[] = [];
  try {
    const dealers: { id: string; etag: string }[] = [];
    const create = async (what: string) => {
      const sent = expectStatus(await send(h, 'POST', '/dealers', benchDealerInput(), { 'idempotency-key': randomUUID() }), 201, what);
      created += 1;
      return sent;
    };
    const getDealer = async (i: number) => expectStatus(await send(h, 'GET', `/dealers/${dealers[i % dealers.length]!.id}`), 200, 'GET /dealers/{id}');

    // Warm-up: the creates also give the reads and updates their dealers.
    const t0 = performance.now();
    for (let i = 0; i < options.warmup; i += 1) {
      const sent = await create('warm-up POST /dealers');
      dealers.push({ id: sent.body.id, etag: sent.etag! });
    }
    for (let i = 0; i < options.warmup; i += 1) await getDealer(i);
    for (let i = 0; i < Math.min(options.warmup, 50); i += 1) expectStatus(await send(h, 'GET', '/dealers?limit=20'), 200, 'warm-up list');
    log(`  warm-up: ${options.warmup} creates + ${options.warmup} reads + lists in ${((performance.now() - t0) / 1000).toFixed(1)} s; measuring…`);

    const run = async (...args: Parameters<typeof scenario> extends [Harness, ...infer R] ? R : never) => {
      const result = await scenario(h, ...args);
      scenarios.push(result);
      log(`  ${result.name.padEnd(38)} ${String(result.requests).padStart(4)} req × ${String(result.concurrency).padStart(2)} in flight: p50 ${result.latency.p50.toFixed(1)} ms, p99 ${result.latency.p99.toFixed(1)} ms`);
    };
    const n = options.requests;
    const c = options.concurrency;
    await run('GET /dealers/{id}', n, 1, getDealer);
    await run('POST /dealers', n, 1, () => create('POST /dealers'));
    await run('GET /dealers/{id}', n, c, getDealer);
    await run('POST /dealers', n, c, () => create('POST /dealers (concurrent)'));

    // Informational: updates, replays, lists.
    const info = options.infoRequests;
    await run('PATCH /dealers/{id} (If-Match)', info, 1, async (i) => {
      const dealer = dealers[i % dealers.length]!;
      const sent = expectStatus(
        await send(h, 'PATCH', `/dealers/${dealer.id}`, { tier: i % 2 ? 'gold' : 'silver', shortName: `基准${i}` }, { 'if-match': dealer.etag }),
        200,
        'PATCH /dealers/{id}',
      );
      dealer.etag = sent.etag!;
    });
    const replayKey = randomUUID();
    const replayBody = benchDealerInput();
    await send(h, 'POST', '/dealers', replayBody, { 'idempotency-key': replayKey }).then((s) => expectStatus(s, 201, 'replay seed'));
    created += 1;
    await run('POST /dealers replay (same key)', info, 1, async () =>
      expectStatus(await send(h, 'POST', '/dealers', replayBody, { 'idempotency-key': replayKey }), 201, 'POST /dealers replay'),
    );
    await run('GET /dealers?limit=20', info, 1, async () => expectStatus(await send(h, 'GET', '/dealers?limit=20'), 200, 'GET /dealers'));
    await run('GET /dealers?region=CN-EAST&limit=20', info, 1, async () =>
      expectStatus(await send(h, 'GET', '/dealers?region=CN-EAST&limit=20'), 200, 'GET /dealers?region'),
    );
    await run('GET /dealers?tier=platinum&limit=20', info, 1, async () =>
      expectStatus(await send(h, 'GET', '/dealers?tier=platinum&limit=20'), 200, 'GET /dealers?tier'),
    );
    await run('GET /regions', info, 1, async () => expectStatus(await send(h, 'GET', '/regions'), 200, 'GET /regions'));
  } finally {
    await h.twin.close().catch(() => undefined);
    await h.dynamo.stop();
  }
  const jvmStopped = jvmGone(h.dynamo.port);
  if (!jvmStopped) throw new Error(`DynamoDB Local (port ${h.dynamo.port}) is still running after stop`);
  return { scenarios, dealersCreated: created, jvmStopped };
}
