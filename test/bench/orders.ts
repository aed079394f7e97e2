/**
 * Bench: orders (issue 4). Submissions per second over the local API, the approval workflow's
 * state transitions per path, and the time from submission to the issued invoice. Runs in a
 * child process of its own (fresh DynamoDB Local in memory, fresh twin and SDK clients), like the
 * stocktake bench. Standalone: `npx tsx test/bench/orders.ts`. Knobs: BENCH_ORDERS (200),
 * BENCH_ORDER_CLIENTS (20), BENCH_ORDER_LINES (10), BENCH_E2E_ORDERS (50).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { benchInChildProcess, intFromEnv } from './child-process';
import { ms, table } from './stats';

/** Runs the bench in a child process and prints its lines through `log`. */
export function benchOrders(options: { log?: (line: string) => void } = {}): Promise<void> {
  return benchInChildProcess(import.meta.url, 'orders', { log: options.log ?? ((line: string) => console.log(line)) });
}

async function runInThisProcess(): Promise<void> {
  await import('./env');
  await import('../../infra/local/polyfills');
  const { dynamoCallCounter, dynamoClient } = await import('../../functions/adapters/dynamo/client');
  const { startDynamoDbLocal } = await import('../../infra/local/dynamodb-local');
  const { ephemeralSigner } = await import('../../infra/local/jwt');
  const { seedRegions } = await import('../../infra/local/seed');
  const { startTwin } = await import('../../infra/local/twin');
  const { ORDER_APPROVAL_WORKFLOW } = await import('../../functions/workflows/registry');
  const { useDocumentRenderer } = await import('../../functions/adapters/orders-runtime');
  const { orderDocumentRenderer } = await import('../../functions/adapters/documents/order-document-files');
  const world = await import('../support/orders-world');
  const { percentile } = await import('./stats');

  const orderCount = intFromEnv('BENCH_ORDERS', 200);
  const clients = intFromEnv('BENCH_ORDER_CLIENTS', 20);
  const lineCount = intFromEnv('BENCH_ORDER_LINES', 10);
  const e2eCount = intFromEnv('BENCH_E2E_ORDERS', 50);
  const log = (line = '') => console.log(line);

  const dynamo = await startDynamoDbLocal();
  try {
    const suffix = randomUUID().slice(0, 8);
    const signer = await ephemeralSigner();
    const twin = await startTwin({ dynamoEndpoint: dynamo.endpoint, tables: { main: `dms-bench-ord-${suffix}`, idempotency: `dms-bench-ord-idem-${suffix}` }, signer });
    try {
      await seedRegions();
      const runner = twin.workflows;
      // Which DynamoDB calls the workflow makes and which the HTTP request: executions started
      // inside this scope carry it through every continuation of their tasks.
      const scope = new AsyncLocalStorage<'workflow'>();
      const start = runner.start.bind(runner);
      runner.start = (...args) => scope.run('workflow', () => start(...args));
      const bySource = { http: 0, workflow: 0 };
      dynamoClient().middlewareStack.add(
        (next) => async (args) => {
          bySource[scope.getStore() === 'workflow' ? 'workflow' : 'http'] += 1;
          return next(args);
        },
        { step: 'initialize', name: 'benchOrderCallSource' },
      );

      // Preconditions straight to the entities: products, a warehouse with plenty of stock, dealers with credit.
      const warehouse = (await world.createWarehouse('CN-EAST', `WH-BO-${suffix.toUpperCase()}`)).code;
      const products = await world.createProducts(Math.max(lineCount, 4), { listPrice: 10_000 });
      for (const p of products) await world.putStock(warehouse, p.sku, 10_000_000);
      const pricey = (await world.createProducts(1, { listPrice: 2_000_000 }))[0]!;
      await world.putStock(warehouse, pricey.sku, 1_000_000);
      const dealers = [];
      for (let i = 0; i < clients; i += 1) {
        const dealer = await world.createActiveDealer('CN-EAST');
        await world.setCredit(dealer, { creditLimit: 9_000_000_000 });
        dealers.push({ dealer, token: await signer.sign({ userId: `bench-dealer-${i}`, roles: ['dealer_admin'], dealerId: dealer.id }) });
      }
      const tokens = {
        manager: await signer.sign({ userId: 'bench-mgr', roles: ['sales_manager'], regions: ['CN-EAST'] }),
        director: await signer.sign({ userId: 'bench-dir', roles: ['sales_director'] }),
        finance: await signer.sign({ userId: 'bench-fin', roles: ['finance'] }),
        warehouse: await signer.sign({ userId: 'bench-wh', roles: ['warehouse'] }),
      };
      const call = async (token: string, method: string, path: string, body?: unknown) => {
        const response = await fetch(`${twin.url}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, 'idempotency-key': randomUUID(), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
        const text = await response.text();
        return { status: response.status, body: text ? JSON.parse(text) : undefined };
      };
      const ok = async (token: string, method: string, path: string, body?: unknown) => {
        const r = await call(token, method, path, body);
        if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
        return r.body;
      };
      const executionOf = (orderId: string) => runner.executionIdOf(ORDER_APPROVAL_WORKFLOW, orderId);
      const until = async (id: string, predicate: (o: any) => boolean) => {
        const deadline = Date.now() + 20_000;
        for (;;) {
          const order = await ok(tokens.director, 'GET', `/orders/${id}`);
          if (predicate(order)) return order;
          if (Date.now() > deadline) throw new Error(`order ${id} stuck in ${order.status}`);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      };
      const pendingAt = (level: number) => (o: any) => o.status === 'pending_approval' && o.approvalSteps[level - 1]?.status === 'pending';
      const smallLines = products.slice(0, lineCount).map((p) => ({ sku: p.sku, quantity: 1 }));

      // Warm-up: JIT, the workflow definition and handlers, the PDF fonts.
      let sampleGross = 0;
      for (let i = 0; i < 10; i += 1) {
        const order = await ok(dealers[i % clients]!.token, 'POST', '/orders', { submit: true, lines: smallLines });
        sampleGross = order.totals.gross;
        await runner.wait(executionOf(order.id));
      }

      // ── 1. submissions per second ────────────────────────────────────────
      // Twice: auto-approved orders (each also renders its invoice and shipping note PDFs on the
      // same two cores) and orders that wait in the manager's inbox (the submission path alone).
      const approvalLines = smallLines.map((l, i) => (i === 0 ? { sku: pricey.sku, quantity: 3 } : l));
      const scenarios = [
        { tag: 'a', lines: smallLines, waitsForApproval: false, label: `auto-approved (gross ¥${(sampleGross / 100).toFixed(2)} < ¥50,000), so each also runs the whole workflow (approval, invoice, shipping note PDFs) in this process while the others submit` },
        { tag: 'b', lines: approvalLines, waitsForApproval: true, label: 'each ≥ ¥50,000, so the workflow only stores the pending approval (no documents): the submission path itself' },
      ];
      for (const scenario of scenarios) {
        log(`1${scenario.tag}. POST /orders {submit: true}: ${orderCount} orders × ${lineCount} lines, ${clients} clients (one dealer each) in flight; ${scenario.label}`);
        dynamoCallCounter.reset();
        bySource.http = 0;
        bySource.workflow = 0;
        const latencies: number[] = [];
        const statuses = new Map<number, number>();
        const ids: string[] = [];
        let nextIndex = 0;
        const t0 = performance.now();
        await Promise.all(
          dealers.map(async ({ token }) => {
            while (nextIndex < orderCount) {
              nextIndex += 1;
              const s = performance.now();
              const r = await call(token, 'POST', '/orders', { submit: true, lines: scenario.lines });
              latencies.push(performance.now() - s);
              statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
              if (r.status === 201) ids.push(r.body.id);
            }
          }),
        );
        const elapsed = performance.now() - t0;
        const httpCalls = bySource.http;
        const countsAtResponse = new Map(dynamoCallCounter.counts);
        // The workflows still running finish before their calls are counted.
        const results = scenario.waitsForApproval
          ? await Promise.all(ids.map(async (id) => ({ status: (await until(id, pendingAt(1))).status as string })))
          : await Promise.all(ids.map((id) => runner.wait(executionOf(id))));
        const byCommand = [...dynamoCallCounter.counts].map(([name, n]) => `${name.replace(/Command$/, '')} ${(n / orderCount).toFixed(2)}`).join(', ');
        const atResponse = [...countsAtResponse.values()].reduce((a, b) => a + b, 0);
        log(
          table([
            ['orders', 'responses', 'p50', 'p90', 'p99', 'max', 'orders/s', 'DynamoDB calls/order: HTTP request', 'workflow', 'all'],
            [
              String(orderCount),
              [...statuses].map(([s, n]) => `${s}×${n}`).join(' '),
              `${ms(percentile(latencies, 50))} ms`,
              `${ms(percentile(latencies, 90))} ms`,
              `${ms(percentile(latencies, 99))} ms`,
              `${ms(Math.max(...latencies))} ms`,
              (orderCount / (elapsed / 1000)).toFixed(1),
              (httpCalls / orderCount).toFixed(2),
              (bySource.workflow / orderCount).toFixed(2),
              (dynamoCallCounter.total() / orderCount).toFixed(2),
            ],
          ]),
        );
        log(`   executions: ${[...new Set(results.map((r) => r.status))].map((s) => `${s}×${results.filter((r) => r.status === s).length}`).join(' ')}; calls by command per order (HTTP + workflow): ${byCommand}; ${(atResponse / orderCount).toFixed(2)}/order had been made when the last response arrived`);
        log();
      }

      // ── 2. state transitions per path ────────────────────────────────────
      const defaults = runner.startDefaults[ORDER_APPROVAL_WORKFLOW] ?? (runner.startDefaults[ORDER_APPROVAL_WORKFLOW] = {});
      const worth = (yuan: number) => [{ sku: pricey.sku, quantity: Math.max(1, Math.round((yuan * 100) / (pricey.listPrice * 0.88 * 1.13))) }];
      const smallCredit = await world.createActiveDealer('CN-EAST');
      await world.setCredit(smallCredit, { creditLimit: 100_000 });
      const smallCreditToken = await signer.sign({ userId: 'bench-small-credit', roles: ['dealer_admin'], dealerId: smallCredit.id });
      const dealerToken = dealers[0]!.token;
      const decide = (token: string, id: string, decision: 'approve' | 'reject') => ok(token, 'POST', `/orders/${id}/approvals`, { decision });
      const paths: { name: string; run: () => Promise<string> }[] = [
        { name: 'auto-approve', run: async () => (await ok(dealerToken, 'POST', '/orders', { submit: true, lines: smallLines })).id },
        {
          name: 'one level (manager)',
          run: async () => {
            const { id } = await ok(dealerToken, 'POST', '/orders', { submit: true, lines: worth(60_000) });
            await until(id, pendingAt(1));
            await decide(tokens.manager, id, 'approve');
            return id;
          },
        },
        {
          name: 'two levels (manager, director)',
          run: async () => {
            const { id } = await ok(dealerToken, 'POST', '/orders', { submit: true, lines: worth(250_000) });
            await until(id, pendingAt(1));
            await decide(tokens.manager, id, 'approve');
            await until(id, pendingAt(2));
            await decide(tokens.director, id, 'approve');
            return id;
          },
        },
        {
          name: 'credit override (finance)',
          run: async () => {
            const { id } = await ok(smallCreditToken, 'POST', '/orders', { submit: true, lines: smallLines });
            await until(id, pendingAt(1));
            await decide(tokens.finance, id, 'approve');
            return id;
          },
        },
        {
          name: 'rejection at level 2',
          run: async () => {
            const { id } = await ok(dealerToken, 'POST', '/orders', { submit: true, lines: worth(250_000) });
            await until(id, pendingAt(1));
            await decide(tokens.manager, id, 'approve');
            await until(id, pendingAt(2));
            await decide(tokens.director, id, 'reject');
            return id;
          },
        },
        {
          name: 'timeout → escalation → expiry',
          run: async () => {
            defaults.callbackTimeoutOverrides = { 'Await approval': 200 };
            try {
              return (await ok(dealerToken, 'POST', '/orders', { submit: true, lines: worth(60_000) })).id;
            } finally {
              delete defaults.callbackTimeoutOverrides;
            }
          },
        },
        {
          name: 'cancellation while pending',
          run: async () => {
            const { id } = await ok(dealerToken, 'POST', '/orders', { submit: true, lines: worth(60_000) });
            await until(id, pendingAt(1));
            await ok(dealerToken, 'POST', `/orders/${id}/cancel`, { reason: 'bench' });
            return id;
          },
        },
        {
          name: 'partial → full shipment',
          run: async () => {
            const { id } = await ok(dealerToken, 'POST', '/orders', { submit: true, lines: smallLines.slice(0, 2).map((l) => ({ ...l, quantity: 4 })) });
            await runner.wait(executionOf(id));
            await ok(tokens.warehouse, 'POST', `/orders/${id}/shipments`, { lines: [{ sku: smallLines[0]!.sku, quantity: 2 }], carrier: '顺丰', trackingNumber: 'SF-B1' });
            await ok(tokens.warehouse, 'POST', `/orders/${id}/shipments`, { lines: [{ sku: smallLines[0]!.sku, quantity: 2 }, { sku: smallLines[1]!.sku, quantity: 4 }], carrier: '顺丰', trackingNumber: 'SF-B2' });
            return id;
          },
        },
        {
          name: 'documents failing for good',
          run: async () => {
            const real = orderDocumentRenderer();
            useDocumentRenderer({ ...real, store: async (document, createdAt) => (document.kind === 'invoice' ? Promise.reject(new Error('bench: storage down')) : real.store(document, createdAt)) });
            defaults.retryIntervalOverrides = { 'Issue invoice': 5, 'Issue shipping note': 5 };
            try {
              const { id } = await ok(dealerToken, 'POST', '/orders', { submit: true, lines: smallLines });
              await runner.wait(executionOf(id));
              return id;
            } finally {
              delete defaults.retryIntervalOverrides;
              useDocumentRenderer(real);
            }
          },
        },
      ];
      log(`2. State transitions of the order-approval workflow per path (StateEntered events of one execution, as Step Functions bills them; Parallel branches included)`);
      const rows: string[][] = [['path', 'execution', 'order status', 'transitions', 'timeline events', 'states entered']];
      for (const path of paths) {
        const id = await path.run();
        const done = await runner.wait(executionOf(id));
        const transitions = runner.transitions(done.executionId);
        const order = await ok(tokens.director, 'GET', `/orders/${id}`);
        const timeline = await ok(tokens.director, 'GET', `/orders/${id}/timeline?limit=100`);
        rows.push([path.name, done.status, order.status, String(transitions.length), String(timeline.items.length), transitions.join(' → ')]);
      }
      log(table(rows));
      log(`   (shipments and receipt are API calls outside the workflow: the shipment path's execution is the auto-approval one)`);
      log();

      // ── 3. submit → invoice issued ───────────────────────────────────────
      const invoiced = new Map<string, number>();
      twin.bus.subscribe('invoice.issued.v1', (event) => {
        invoiced.set((event.detail as { orderId: string }).orderId, performance.now());
      });
      const toInvoice: number[] = [];
      const toDone: number[] = [];
      const toResponse: number[] = [];
      for (let i = 0; i < e2eCount; i += 1) {
        const s = performance.now();
        const { id } = await ok(dealerToken, 'POST', '/orders', { submit: true, lines: smallLines });
        toResponse.push(performance.now() - s);
        const done = await runner.wait(executionOf(id));
        toDone.push(performance.now() - s);
        // Events are delivered in a microtask after publishing: give it a tick.
        for (let k = 0; k < 100 && !invoiced.has(id); k += 1) await new Promise((resolve) => setTimeout(resolve, 1));
        if (!invoiced.has(id) || done.status !== 'SUCCEEDED') throw new Error(`order ${id}: no invoice (${done.status})`);
        toInvoice.push(invoiced.get(id)! - s);
      }
      log(`3. Submit → invoice issued, auto-approved ${lineCount}-line orders, ${e2eCount} one after another (invoice issued = its number, receivable and PDF/XML/JSON stored; the invoice.issued.v1 event)`);
      log(
        table([
          ['measure', 'p50', 'p99', 'max'],
          ['POST /orders response', `${ms(percentile(toResponse, 50))} ms`, `${ms(percentile(toResponse, 99))} ms`, `${ms(Math.max(...toResponse))} ms`],
          ['submit → invoice issued', `${ms(percentile(toInvoice, 50))} ms`, `${ms(percentile(toInvoice, 99))} ms`, `${ms(Math.max(...toInvoice))} ms`],
          ['submit → workflow done (both documents)', `${ms(percentile(toDone, 50))} ms`, `${ms(percentile(toDone, 99))} ms`, `${ms(Math.max(...toDone))} ms`],
        ]),
      );
    } finally {
      await twin.close().catch(() => undefined);
    }
  } finally {
    await dynamo.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  runInThisProcess().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('orders bench failed:', error);
      process.exit(1);
    },
  );
}
