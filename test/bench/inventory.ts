import { randomUUID } from 'node:crypto';
import { resolvePrincipal } from '../../domain/access/principal';
import { BUILT_IN_ROLES } from '../../domain/access/roles';
import type { RequestContext } from '../../domain/audit/audit-entry';
import { InsufficientStockError } from '../../domain/inventory/stock';
import { dynamoCallCounter } from '../../functions/adapters/dynamo/client';
import { StockService } from '../../domain/inventory/stock-service';
import { inventoryRuntime } from '../../functions/adapters/inventory-runtime';
import { locationRepository } from '../../functions/adapters/dynamo/location-repository';
import { stockStore } from '../../functions/adapters/dynamo/stock-store';
import { ENV } from '../../functions/adapters/dynamo/table-schema';
import { runtime } from '../../functions/adapters/runtime';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local';
import { ephemeralSigner } from '../../infra/local/jwt';
import { seedRegions } from '../../infra/local/seed';
import { startTwin } from '../../infra/local/twin';
import { ms, percentile, table } from './stats';

export interface InventoryBenchOptions {
  /** Reservations per scenario, spread over the clients. */
  reservations: number;
  /** Concurrent clients (each reserves sequentially). */
  clients: number;
  /** SKUs of the spread scenario. */
  skus: number;
  log: (line: string) => void;
}

export interface ReservationScenario {
  name: string;
  reservations: number;
  clients: number;
  perSecond: number;
  p50: number;
  p99: number;
  refused: number;
  /** Reserved quantity in the levels equals what the port granted (no oversell, nothing lost). */
  consistent: boolean;
  /** DynamoDB calls per reservation, by command (TransactionConflict retries show as extra TransactWriteItems). */
  calls: string;
}

function warehouseContext(): RequestContext {
  const { newId, now } = runtime();
  const principal = resolvePrincipal({ userId: 'bench-warehouse', username: 'bench', roles: ['warehouse'], regions: [] }, [BUILT_IN_ROLES.get('warehouse')!]);
  return { principal, requestId: `bench-${newId()}`, now: now(), newId };
}

/** Runs `task` `total` times over `clients` concurrent sequential workers; returns per-call latencies. */
async function clientsRun(total: number, clients: number, task: (i: number) => Promise<void>): Promise<{ latencies: number[]; elapsed: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (;;) {
        const i = next;
        next += 1;
        if (i >= total) return;
        const t0 = performance.now();
        await task(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies, elapsed: performance.now() - started };
}

/**
 * Reservations through the reservation port (the orders context's way in: one transaction per
 * reservation with the no-oversell condition, a movement and an audit record), in this process
 * against DynamoDB Local in memory: one hot SKU, then spread over many SKUs.
 *
 * The DynamoDB client and the single-table service are per-process singletons that keep the
 * endpoint and table name of their first use, so this section re-uses both when an earlier
 * section set them (it starts its own DynamoDB Local on the same port and the same table names).
 */
export async function benchInventory(options: InventoryBenchOptions): Promise<ReservationScenario[]> {
  const { log } = options;
  const previous = process.env[ENV.dynamoEndpoint];
  const port = previous ? Number(new URL(previous).port) : undefined;
  const dynamo = await startDynamoDbLocal(port ? { port } : {});
  const suffix = randomUUID().slice(0, 8);
  const tables = {
    main: process.env[ENV.tableName] ?? `dms-bench-inv-${suffix}`,
    idempotency: process.env[ENV.idempotencyTableName] ?? `dms-bench-inv-idem-${suffix}`,
  };
  const twin = await startTwin({ dynamoEndpoint: dynamo.endpoint, tables, signer: await ephemeralSigner() });
  const scenarios: ReservationScenario[] = [];
  try {
    await seedRegions();
    const { locations, reservations } = inventoryRuntime();
    // Setup receipts without the catalog check: the bench's SKUs are not catalog products.
    const stock = new StockService(stockStore, locationRepository);
    const code = `WH-BENCH-${suffix.toUpperCase()}`;
    await locations.create(warehouseContext(), { code, name: '基准仓 bench DC', kind: 'warehouse', region: 'CN-EAST' });

    const run = async (name: string, skuOf: (i: number) => string, skus: string[]) => {
      // Warm-up: the JVM and Node's JIT, on other reservation ids.
      await clientsRun(Math.min(200, options.reservations), options.clients, (i) => reservations.reserve(`W-${name}-${i}-${suffix}`, [{ locationCode: code, sku: skuOf(i), quantity: 1 }]).then(() => undefined));
      const before = await stockStore.getLevels(skus.map((sku) => ({ locationCode: code, sku })));
      const reservedBefore = before.reduce((s, l) => s + l.reserved, 0);
      let granted = 0;
      let refused = 0;
      dynamoCallCounter.reset();
      const { latencies, elapsed } = await clientsRun(options.reservations, options.clients, async (i) => {
        try {
          await reservations.reserve(`R-${name}-${i}-${suffix}`, [{ locationCode: code, sku: skuOf(i), quantity: 1 }]);
          granted += 1;
        } catch (error) {
          if (!(error instanceof InsufficientStockError)) throw error;
          refused += 1;
        }
      });
      const calls = [...dynamoCallCounter.counts].map(([command, n]) => `${command.replace(/Command$/, '')} ${(n / options.reservations).toFixed(2)}`).join(' + ');
      const after = await stockStore.getLevels(skus.map((sku) => ({ locationCode: code, sku })));
      const reservedAfter = after.reduce((s, l) => s + l.reserved, 0);
      scenarios.push({
        name,
        reservations: options.reservations,
        clients: options.clients,
        perSecond: options.reservations / (elapsed / 1000),
        p50: percentile(latencies, 50),
        p99: percentile(latencies, 99),
        refused,
        consistent: reservedAfter - reservedBefore === granted,
        calls,
      });
    };

    const hot = 'BENCH-HOT';
    await stock.receive(warehouseContext(), { locationCode: code, sku: hot, quantity: 1_000_000 });
    await run('one hot SKU', () => hot, [hot]);

    const spread = Array.from({ length: options.skus }, (_, i) => `BENCH-${String(i).padStart(4, '0')}`);
    const t = performance.now();
    await clientsRun(spread.length, options.clients, (i) => stock.receive(warehouseContext(), { locationCode: code, sku: spread[i]!, quantity: 100_000 }).then(() => undefined));
    log(`  ${spread.length} SKUs received in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    await run(`spread over ${spread.length} SKUs`, () => spread[Math.floor(Math.random() * spread.length)]!, spread);
  } finally {
    await twin.close();
    await dynamo.stop();
  }
  log(
    table([
      ['scenario', 'reservations', 'clients', 'per second', 'p50', 'p99', 'refused', 'reserved = granted', 'DynamoDB calls/reservation'],
      ...scenarios.map((s) => [s.name, String(s.reservations), String(s.clients), s.perSecond.toFixed(0), `${ms(s.p50)} ms`, `${ms(s.p99)} ms`, String(s.refused), s.consistent ? 'yes' : 'NO', s.calls]),
    ]),
  );
  log(
    '(each reservation: one TransactWriteItems — the reservation item, the level ADD with `available >= qty`, the movement, the audit record — then one BatchGetItem' +
      ' of the touched levels to see whether any has thresholds to settle; contention on the hot item shows as extra TransactWriteItems, the TransactionConflict retries inside writeTransaction.)',
  );
  return scenarios;
}
