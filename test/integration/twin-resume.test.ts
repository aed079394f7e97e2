import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '../../domain/orders/order';
import { configureOrdersRuntime } from '../../functions/adapters/orders-runtime';
import { ORDER_APPROVAL_WORKFLOW } from '../../functions/workflows/registry';
import { LocalApprovalWorkflow } from '../../infra/local/local-approval-workflow';
import { resumeOrderWorkflows } from '../../infra/local/resume-workflows';
import { WorkflowRunner } from '../../infra/local/workflow-runner';
import { createActiveDealer, createProducts, createWarehouse, putOrder, putStock, setCredit, type TestProduct } from '../support/orders-world';
import { readOrder, waitForOrder } from '../support/order-api';
import { idempotencyKey, startTestTwin, type TestTwin } from '../support/twin';

/**
 * `npm start` after a stop: the twin's executions lived in the previous process. A restart is
 * simulated faithfully — the old execution is stopped (its tokens die, DynamoDB keeps the
 * pending inbox item with its dead token) and a fresh runner takes over the orders runtime, as
 * a new process would have — then `resumeOrderWorkflows` must bring every open order home.
 */

let twin: TestTwin;
let admin: string;
let manager: string;
let warehouse: string;
let products: TestProduct[];
const quiet = () => undefined;

beforeAll(async () => {
  twin = await startTestTwin();
  admin = await twin.token('admin');
  manager = await twin.token('sales_manager', { userId: 'mgr-resume', regions: ['CN-EAST'] });
  warehouse = (await createWarehouse('CN-EAST', 'WH-R-01')).code;
  products = await createProducts(2);
  for (const product of products) await putStock(warehouse, product.sku, 10_000);
}, 60_000);

afterAll(async () => {
  await twin?.close();
});

const orderOf = (id: string): Promise<Order> => readOrder(twin, admin, id);
const until = (id: string, predicate: (order: Order) => boolean, timeoutMs?: number): Promise<Order> => waitForOrder(twin, admin, id, predicate, timeoutMs);

/** What a new `npm start` process has: a runner with nothing in memory behind the orders runtime. */
function restartedRunner(): WorkflowRunner {
  const runner = new WorkflowRunner({ startDefaults: structuredClone(twin.workflows.startDefaults) });
  configureOrdersRuntime({ workflow: new LocalApprovalWorkflow(runner) });
  return runner;
}

const kinds = (order: Order) => order.documents.map((d) => d.kind).sort();

describe('twin restart: open orders get their workflow back', () => {
  it('a pending approval, an approved order without documents and a submitted order without execution all finish after resume', async () => {
    const dealer = await createActiveDealer('CN-EAST');
    await setCredit(dealer, { creditLimit: 100_000_000 });
    const dealerToken = await twin.token('dealer_admin', { userId: `dealer-user-${dealer.id}`, dealerId: dealer.id });

    // 1. Waiting for the regional manager (gross ≥ ¥50,000), in the first process.
    const quantity = Math.ceil(6_000_000 / (products[0]!.listPrice * 1.13));
    const created = await twin.request('POST', '/orders', { token: dealerToken, body: { submit: true, lines: [{ sku: products[0]!.sku, quantity }] }, headers: { 'idempotency-key': idempotencyKey() } });
    expect(created.status, created.text).toBe(201);
    const pendingId = (created.body as Order).id;
    await until(pendingId, (o) => o.status === 'pending_approval' && o.approvalSteps[0]?.status === 'pending');
    const oldExecution = twin.workflows.executionIdOf(ORDER_APPROVAL_WORKFLOW, pendingId);
    const [oldToken] = twin.workflows.broker.pendingTokens(oldExecution);
    expect(oldToken).toBeDefined();

    // The process ends: its execution and tokens are gone; DynamoDB still holds the inbox item.
    await twin.workflows.stop(oldExecution);
    await expect(twin.workflows.broker.sendTaskSuccess(oldToken!.token, {})).rejects.toMatchObject({ name: 'TaskTimedOut' });
    // Within one process a stopped execution's name stays taken (as on Step Functions): named, not restarted.
    expect(await resumeOrderWorkflows(twin.workflows, { log: quiet })).toMatchObject({ resumed: [], ended: [pendingId] });

    // 2. and 3. What a crash leaves behind: approved before its documents, submitted before its start.
    const approved = await putOrder({ dealer, location: warehouse, lines: [{ sku: products[1]!.sku, quantity: 2 }], status: 'approved' });
    const submitted = await putOrder({ dealer, location: warehouse, lines: [{ sku: products[1]!.sku, quantity: 1 }], status: 'submitted' });
    // Neither open nor resumable: left alone.
    const draft = await putOrder({ dealer, location: warehouse, lines: [{ sku: products[1]!.sku, quantity: 1 }], status: 'draft' });

    const runner = restartedRunner();
    const report = await resumeOrderWorkflows(runner, { log: quiet });
    expect(new Set(report.resumed)).toEqual(new Set([pendingId, approved.id, submitted.id]));
    expect(report.resumed).not.toContain(draft.id);

    // A second call (a second start of the same process) finds them running and starts nothing.
    const again = await resumeOrderWorkflows(runner, { log: quiet });
    expect(again.resumed.filter((id) => [pendingId, approved.id, submitted.id].includes(id))).toEqual([]);

    // The approved and the submitted (auto-approved) orders finish with their documents.
    for (const id of [approved.id, submitted.id]) {
      const done = await runner.wait(runner.executionIdOf(ORDER_APPROVAL_WORKFLOW, id));
      expect(done.status, JSON.stringify(done)).toBe('SUCCEEDED');
      const order = await orderOf(id);
      expect(order.status).toBe('approved');
      expect(order.invoiceNumber).toMatch(/^INV-\d{4}-\d{6}$/);
      expect(kinds(order)).toEqual(['invoice_json', 'invoice_pdf', 'invoice_xml', 'shipping_note_pdf']);
    }

    // The pending step waits again, with a fresh token in its inbox item.
    const newExecution = runner.executionIdOf(ORDER_APPROVAL_WORKFLOW, pendingId);
    const deadline = Date.now() + 10_000;
    while (runner.broker.pendingTokens(newExecution).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(runner.broker.pendingTokens(newExecution)).toHaveLength(1);
    const inbox = await twin.request('GET', '/approvals/pending', { token: manager });
    expect(inbox.body.items.filter((i: { orderId: string }) => i.orderId === pendingId)).toHaveLength(1);

    const decided = await twin.request('POST', `/orders/${pendingId}/approvals`, { token: manager, body: { decision: 'approve', comment: '重启后审批' }, headers: { 'idempotency-key': idempotencyKey() } });
    expect(decided.status, decided.text).toBe(200);
    const done = await runner.wait(newExecution);
    expect(done.status, JSON.stringify(done)).toBe('SUCCEEDED');
    const order = await orderOf(pendingId);
    expect(order.status).toBe('approved');
    expect(order.approvalSteps[0]).toMatchObject({ status: 'approved', decidedBy: 'mgr-resume' });
    expect(kinds(order)).toEqual(['invoice_json', 'invoice_pdf', 'invoice_xml', 'shipping_note_pdf']);
    const link = await twin.request('GET', `/orders/${pendingId}/documents/invoice_pdf`, { token: admin });
    expect(link.status, link.text).toBe(200);
    expect((await fetch(link.body.url)).headers.get('content-type')).toBe('application/pdf');
    // One request, one approval: the resumed wait wrote no second "approval requested".
    const types = (await twin.request('GET', `/orders/${pendingId}/timeline`, { token: admin })).body.items.map((e: { type: string }) => e.type);
    expect(types.filter((t: string) => t === 'approval_requested')).toHaveLength(1);

    // Everything finished: nothing is left to resume.
    const after = await resumeOrderWorkflows(restartedRunner(), { log: quiet });
    expect(after.resumed.filter((id) => [pendingId, approved.id, submitted.id].includes(id))).toEqual([]);
    expect((await orderOf(draft.id)).status).toBe('draft');
  }, 60_000);
});
