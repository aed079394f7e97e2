import type { OrderDocumentKind, OrderStatus } from '../../domain/orders/order';
import { dms } from '../../functions/adapters/dynamo/service';
import { ORDER_APPROVAL_WORKFLOW } from '../../functions/workflows/registry';
import type { WorkflowRunner } from './workflow-runner';

/** Orders whose workflow still has work to do, by the status that says so. */
const OPEN_STATUSES: readonly OrderStatus[] = ['submitted', 'pending_approval', 'approved'];
/** The files an approved order's workflow stores; an approved order missing one has not finished. */
const REQUIRED_DOCUMENTS: readonly OrderDocumentKind[] = ['invoice_pdf', 'shipping_note_pdf'];

export interface ResumeReport {
  /** Orders whose approval workflow was started again. */
  resumed: string[];
  /** Orders whose execution is running in this runner already (nothing to do). */
  running: string[];
  /**
   * Orders whose execution ended in this process (stopped or failed by hand) while the order
   * still waits: the execution name (the order id) is taken, as on Step Functions, so they are
   * left alone and named here.
   */
  ended: string[];
}

interface OpenOrder {
  id: string;
  status: OrderStatus;
  documents?: { kind: OrderDocumentKind }[];
}

/**
 * The twin's Step Functions live in memory: after a restart, orders waiting for approval (or
 * approved without both documents) have no execution, and their inbox items hold task tokens of
 * the previous process. This starts the approval workflow again for each of them, under the
 * order id like the first start. The workflow's tasks are idempotent: NextStep finds the step
 * still pending, AwaitApproval replaces the inbox item (and so the dead token) with a fresh one,
 * Mark approved and the document tasks skip what was done. Not needed on AWS, where executions
 * outlive any process.
 */
export async function resumeOrderWorkflows(runner: WorkflowRunner, options: { log?: (line: string) => void } = {}): Promise<ResumeReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  const report: ResumeReport = { resumed: [], running: [], ended: [] };
  for (const status of OPEN_STATUSES) {
    for (const order of await ordersIn(status)) {
      if (order.status === 'approved' && REQUIRED_DOCUMENTS.every((kind) => order.documents?.some((d) => d.kind === kind))) continue;
      const executionId = runner.executionIdOf(ORDER_APPROVAL_WORKFLOW, order.id);
      const state = executionState(runner, executionId);
      if (state === 'RUNNING') {
        report.running.push(order.id);
      } else if (state === 'ended') {
        report.ended.push(order.id);
      } else {
        await runner.start(ORDER_APPROVAL_WORKFLOW, { orderId: order.id }, { name: order.id });
        report.resumed.push(order.id);
      }
    }
  }
  if (report.resumed.length > 0) log(`Resumed the approval workflow of ${report.resumed.length} open order(s) left by the previous run.`);
  if (report.ended.length > 0) log(`Not resumed (their execution ended in this process): ${report.ended.join(', ')}`);
  return report;
}

/** Every order in one status (the by-status index, all pages; only the fields the check reads). */
async function ordersIn(status: OrderStatus): Promise<OpenOrder[]> {
  const { data } = await dms()
    .entities.order.query.byStatus({ status })
    .go({ pages: 'all', attributes: ['id', 'status', 'documents'] });
  return data as OpenOrder[];
}

function executionState(runner: WorkflowRunner, executionId: string): 'RUNNING' | 'ended' | 'none' {
  try {
    return runner.describe(executionId).status === 'RUNNING' ? 'RUNNING' : 'ended';
  } catch (error) {
    if ((error as Error).name === 'ExecutionDoesNotExist') return 'none';
    throw error;
  }
}
