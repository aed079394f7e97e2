/**
 * Bench: the time to open, submit and approve a large stocktake (10,000 lines by default) on the
 * local API. `benchStocktakes()` runs it in a child process of its own — fresh DynamoDB Local,
 * fresh twin, fresh SDK clients — so it never shares the singletons of whatever ran before it in
 * the calling process (the clients and the table name are fixed at first use). Standalone:
 * `npx tsx test/bench/stocktakes.ts`. Knobs: BENCH_STOCKTAKE_LINES (10000),
 * BENCH_STOCKTAKE_BATCH (1000 lines per counts request), BENCH_STOCKTAKE_DIFFER (every 10th line).
 */
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { benchInChildProcess, intFromEnv } from './child-process';
import { ms, table } from './stats';

export interface StocktakeBenchReport {
  lines: number;
  batchSize: number;
  varianceLines: number;
  /** Milliseconds. */
  receiveMs: number;
  openMs: number;
  submitMs: number;
  batchP50Ms: number;
  batchMaxMs: number;
  varianceReportMs: number;
  approveMs: number;
  calls: { open: Record<string, number>; submit: Record<string, number>; approve: Record<string, number> };
}

const RESULT_PREFIX = '@@stocktake-bench ';

/** Runs the bench in a child process; prints its lines through `log`; resolves with the figures. */
export function benchStocktakes(options: { lines?: number; batchSize?: number; log?: (line: string) => void } = {}): Promise<StocktakeBenchReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  const env = {
    ...process.env,
    ...(options.lines ? { BENCH_STOCKTAKE_LINES: String(options.lines) } : {}),
    ...(options.batchSize ? { BENCH_STOCKTAKE_BATCH: String(options.batchSize) } : {}),
  };
  return benchInChildProcess<StocktakeBenchReport>(import.meta.url, 'stocktake', { log, env, resultPrefix: RESULT_PREFIX });
}

async function runInThisProcess(): Promise<StocktakeBenchReport> {
  await import('./env');
  await import('../../infra/local/polyfills');
  const { dynamoCallCounter } = await import('../../functions/adapters/dynamo/client');
  const { dms } = await import('../../functions/adapters/dynamo/service');
  const { stockStore } = await import('../../functions/adapters/dynamo/stock-store');
  const { startDynamoDbLocal } = await import('../../infra/local/dynamodb-local');
  const { ephemeralSigner } = await import('../../infra/local/jwt');
  const { seedRegions } = await import('../../infra/local/seed');
  const { startTwin } = await import('../../infra/local/twin');
  const { percentile } = await import('./stats');

  const lines = intFromEnv('BENCH_STOCKTAKE_LINES', 10_000);
  const batchSize = Math.min(1000, intFromEnv('BENCH_STOCKTAKE_BATCH', 1000));
  const differEvery = intFromEnv('BENCH_STOCKTAKE_DIFFER', 10);
  const log = (line = '') => console.log(line);
  const calls = () => Object.fromEntries([...dynamoCallCounter.counts].map(([name, n]) => [name.replace(/Command$/, ''), n]));

  const dynamo = await startDynamoDbLocal();
  try {
    const suffix = randomUUID().slice(0, 8);
    const signer = await ephemeralSigner();
    const twin = await startTwin({ dynamoEndpoint: dynamo.endpoint, tables: { main: `dms-bench-stk-${suffix}`, idempotency: `dms-bench-stk-idem-${suffix}` }, signer });
    try {
      await seedRegions();
      const token = await signer.sign({ userId: 'bench-admin', username: 'bench', roles: ['admin'] });
      const request = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
        const response = await fetch(`${twin.url}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
        const text = await response.text();
        if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text.slice(0, 300)}`);
        return { json: JSON.parse(text) as Record<string, any>, etag: response.headers.get('etag') ?? '' };
      };

      // A warehouse with `lines` SKUs in stock, received through the stock ledger.
      const at = new Date().toISOString();
      const code = `WH-BENCH-${suffix.toUpperCase()}`;
      await dms().entities.location.create({ code, name: '基准测试仓 bench warehouse', kind: 'warehouse', region: 'CN-EAST', status: 'active', createdAt: at, updatedAt: at, version: 1 }).go();
      const skus = Array.from({ length: lines }, (_, i) => `BENCH-${String(i).padStart(6, '0')}`);
      let t = performance.now();
      const chunks: string[][] = [];
      for (let i = 0; i < skus.length; i += 49) chunks.push(skus.slice(i, i + 49));
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          for (let part = chunks.shift(); part; part = chunks.shift()) {
            await stockStore.apply(
              part.map((sku, j) => ({ locationCode: code, sku, onHandDelta: 20 + (j % 30), reservedDelta: 0, type: 'receipt' as const })),
              { id: randomUUID(), at, actorId: 'bench', actorRoles: ['admin'], action: 'stock.received', entityType: 'location', entityId: code, changes: {}, requestId: 'bench' },
            );
          }
        }),
      );
      const receiveMs = performance.now() - t;
      log(`received ${lines} SKUs into ${code} through the ledger in ${ms(receiveMs)} ms (setup, not measured below)`);

      dynamoCallCounter.reset();
      t = performance.now();
      const opened = await request('POST', '/stocktakes', { locationCode: code, freeze: true }, { 'idempotency-key': randomUUID() });
      const openMs = performance.now() - t;
      const openCalls = calls();
      const id = String(opened.json.id);

      // Counted: the book, except every `differEvery`-th line (±1..3).
      const levels = new Map(skus.map((sku, i) => [sku, 20 + ((i % 49) % 30)]));
      const counts = skus.map((sku, i) => ({ sku, quantity: Math.max(0, levels.get(sku)! + (i % differEvery === 0 ? (i % 2 ? 3 : -1) : 0)) }));
      const varianceLines = counts.filter((c) => c.quantity !== levels.get(c.sku)).length;
      dynamoCallCounter.reset();
      const batchTimes: number[] = [];
      let etag = opened.etag;
      t = performance.now();
      for (let i = 0; i < counts.length; i += batchSize) {
        const b0 = performance.now();
        const response = await request('POST', `/stocktakes/${id}/counts`, { lines: counts.slice(i, i + batchSize) }, { 'idempotency-key': randomUUID() });
        batchTimes.push(performance.now() - b0);
        etag = response.etag;
      }
      const submitMs = performance.now() - t;
      const submitCalls = calls();

      t = performance.now();
      let cursor: string | undefined;
      let reported = 0;
      do {
        const page = await request('GET', `/stocktakes/${id}/variances?differencesOnly=true&limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
        reported += (page.json.items as unknown[]).length;
        cursor = page.json.nextCursor as string | undefined;
      } while (cursor);
      const varianceReportMs = performance.now() - t;
      if (reported !== varianceLines) throw new Error(`variance report shows ${reported} differing lines, expected ${varianceLines}`);

      dynamoCallCounter.reset();
      t = performance.now();
      const approved = await request('POST', `/stocktakes/${id}/approval`, { uncounted: 'reject' }, { 'if-match': etag });
      const approveMs = performance.now() - t;
      const approveCalls = calls();
      if (approved.json.varianceMovements !== varianceLines) throw new Error(`approval posted ${approved.json.varianceMovements}, expected ${varianceLines}`);

      const report: StocktakeBenchReport = {
        lines,
        batchSize,
        varianceLines,
        receiveMs,
        openMs,
        submitMs,
        batchP50Ms: percentile(batchTimes, 50),
        batchMaxMs: Math.max(...batchTimes),
        varianceReportMs,
        approveMs,
        calls: { open: openCalls, submit: submitCalls, approve: approveCalls },
      };
      const callText = (c: Record<string, number>) => Object.entries(c).map(([n, k]) => `${n} ${k}`).join(', ');
      log(
        table([
          ['step', 'time', 'DynamoDB calls'],
          [`open (snapshot of ${lines} lines, freeze)`, `${ms(openMs)} ms`, callText(openCalls)],
          [`submit ${lines} lines in ${batchTimes.length} batches of ${batchSize}`, `${ms(submitMs)} ms (batch p50 ${ms(report.batchP50Ms)}, max ${ms(report.batchMaxMs)})`, callText(submitCalls)],
          [`variance report, differing lines only (${varianceLines}), all pages`, `${ms(varianceReportMs)} ms`, '-'],
          [`approve: ${varianceLines} variance movements in chunks`, `${ms(approveMs)} ms`, callText(approveCalls)],
          [`submit + approve`, `${ms(submitMs + approveMs)} ms`, ''],
        ]),
      );
      return report;
    } finally {
      await twin.close().catch(() => undefined);
    }
  } finally {
    await dynamo.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const child = process.argv.includes('--child');
  runInThisProcess().then(
    (report) => {
      if (child) console.log(RESULT_PREFIX + JSON.stringify(report));
      process.exit(0);
    },
    (error: unknown) => {
      console.error('stocktake bench failed:', error);
      process.exit(1);
    },
  );
}
