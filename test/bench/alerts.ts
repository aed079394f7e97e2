/**
 * Bench: the daily payment-alert run (issue 5) over BENCH_ALERT_RECEIVABLES (10,000) open
 * receivables of BENCH_ALERT_DEALERS (500) dealers on the twin (DynamoDB Local in memory, the
 * outbox mailer writing real .eml files): wall time and the DynamoDB calls it makes, for the
 * first run ever (catching up a week of levels), the next day, and a retried run of that day. Due
 * dates spread over 150 days around the run date, so every dunning level fires for some
 * receivables. Runs in a child process of its own, like the orders bench.
 * Standalone: `npx tsx test/bench/alerts.ts`.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchInChildProcess, intFromEnv } from './child-process';
import { ms, table } from './stats';

export function benchAlerts(options: { log?: (line: string) => void } = {}): Promise<void> {
  return benchInChildProcess(import.meta.url, 'alerts', { log: options.log ?? ((line: string) => console.log(line)) });
}

async function runInThisProcess(): Promise<void> {
  await import('./env');
  await import('../../infra/local/polyfills');
  const outbox = await mkdtemp(join(tmpdir(), 'dms-bench-outbox-'));
  process.env.DMS_OUTBOX_DIR = outbox;
  const { dynamoCallCounter } = await import('../../functions/adapters/dynamo/client');
  const { dms } = await import('../../functions/adapters/dynamo/service');
  const { startDynamoDbLocal } = await import('../../infra/local/dynamodb-local');
  const { ephemeralSigner } = await import('../../infra/local/jwt');
  const { seedRegions } = await import('../../infra/local/seed');
  const { startTwin } = await import('../../infra/local/twin');
  const { scheduleByName } = await import('../../functions/schedules/registry');
  const { addDays, businessDate } = await import('../../domain/shared/business-date');
  const { nameSearchKey } = await import('../../domain/dealers/dealer');
  const { demoUscc } = await import('../../infra/local/demo-data');

  const receivableCount = intFromEnv('BENCH_ALERT_RECEIVABLES', 10_000);
  const dealerCount = intFromEnv('BENCH_ALERT_DEALERS', 500);
  const log = (line = '') => console.log(line);
  const dynamo = await startDynamoDbLocal();
  try {
    const suffix = randomUUID().slice(0, 8);
    const twin = await startTwin({ dynamoEndpoint: dynamo.endpoint, tables: { main: `dms-bench-al-${suffix}`, idempotency: `dms-bench-al-idem-${suffix}` }, signer: await ephemeralSigner() });
    try {
      await seedRegions();
      const today = businessDate(new Date());
      const at = new Date().toISOString();
      let t = performance.now();
      const dealers = Array.from({ length: dealerCount }, (_, i) => ({
        id: `BENCHDEALER${String(i).padStart(5, '0')}`,
        code: `BA${String(i).padStart(5, '0')}`,
        name: `压测经销商${i}`,
        uscc: demoUscc('320505', Math.random),
        tier: 'gold' as const,
        channelType: 'distributor' as const,
        region: 'CN-EAST',
        status: 'active' as const,
        statusChangedAt: at,
        contacts: [{ name: '财务', email: `ap${i}@bench.example`, primary: true }],
        addresses: [],
        createdAt: at,
        createdBy: 'bench',
        updatedAt: at,
        version: 1,
      }));
      for (let i = 0; i < dealers.length; i += 25) {
        await dms().entities.dealer.put(dealers.slice(i, i + 25).map((d) => ({ ...d, nameKey: nameSearchKey(d.name) })) as never).go();
      }
      const receivables = Array.from({ length: receivableCount }, (_, i) => {
        const id = `INV-BENCH-${String(i).padStart(6, '0')}`;
        const dueDate = addDays(today, (i % 150) - 60); // −60 … +89 days
        const amount = 10_000 + ((i * 7919) % 1_000_000);
        const paid = i % 5 === 0 ? Math.floor(amount / 3) : 0;
        return {
          id,
          invoiceNumber: id,
          orderId: `order-${id}`,
          orderNumber: `SO-${id}`,
          dealerId: dealers[i % dealerCount]!.id,
          region: 'CN-EAST',
          currency: 'CNY',
          amount,
          paid,
          open: amount - paid,
          issueDate: addDays(dueDate, -30),
          dueDate,
          status: paid ? ('partially_paid' as const) : ('open' as const),
          openState: 'open' as const,
          createdAt: at,
          updatedAt: at,
          version: 1,
        };
      });
      const batches: (typeof receivables)[] = [];
      for (let i = 0; i < receivables.length; i += 25) batches.push(receivables.slice(i, i + 25));
      for (let i = 0; i < batches.length; i += 16) await Promise.all(batches.slice(i, i + 16).map((batch) => dms().entities.receivable.put(batch).go()));
      log(`Seeded ${dealerCount} dealers and ${receivableCount} open receivables (due ${addDays(today, -60)} … ${addDays(today, 89)}) in ${((performance.now() - t) / 1000).toFixed(1)} s; run date ${today}.`);

      const handler = await scheduleByName('payment-alerts').load();
      const rows: string[][] = [];
      const runs = [
        { label: `${addDays(today, -1)}: first run ever (catches up the last ${7} days of levels)`, date: addDays(today, -1) },
        { label: `${today}: the next day (steady state)`, date: today },
        { label: `${today}: retried run, same day`, date: today },
      ];
      for (const { label, date } of runs) {
        const before = new Set(await readdir(outbox));
        dynamoCallCounter.reset();
        t = performance.now();
        const result = (await handler({ date })) as { receivablesRead: number; remindersSent: number; dealerEmails: number; digest: string };
        const elapsed = performance.now() - t;
        const emails = (await readdir(outbox)).filter((f) => !before.has(f)).length;
        const calls = [...dynamoCallCounter.counts].map(([name, n]) => `${name.replace(/Command$/, '')} ${n}`).join(' + ');
        rows.push([label, `${ms(elapsed)} ms`, String(result.receivablesRead), String(result.remindersSent), String(emails), result.digest, `${dynamoCallCounter.total()} = ${calls}`]);
      }
      log(table([['payment-alerts', 'time', 'receivables read', 'dunning levels sent', '.eml written', 'finance digest', 'DynamoDB calls'], ...rows]));
      log(
        '(Receivables: Queries on gsi3, open receivables by due date across dealers, no Scan. BatchGetItem: the dunning markers of the day\'s candidates, a consistent re-read of the candidates not yet sent, the dealers by key.' +
          ' PutItem: one conditional claim per dunning level sent and one for the digest. The first run ever claims a week of levels (the catch-up window).' +
          ' The other Queries, GetItem and TransactWriteItems are the credit-hold review the run calls first (reviewCreditHolds: per dealer with debt overdue beyond the approval policy\'s days, its profile and overdue summary; a hold placed is one transaction).)',
      );
    } finally {
      await twin.close().catch(() => undefined);
    }
  } finally {
    await dynamo.stop();
    await rm(outbox, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runInThisProcess().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('alerts bench failed:', error);
      process.exit(1);
    },
  );
}
