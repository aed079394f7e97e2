import type { ApprovalWorkflow } from '../../domain/orders/ports';
import { ORDER_APPROVAL_WORKFLOW } from '../../functions/workflows/registry';
import type { WorkflowRunner } from './workflow-runner';

/**
 * The approval workflow on the twin: the registry's ASL in the local runner, executions named
 * after the order like on AWS (so a second start finds the first), decisions through its broker.
 */
export class LocalApprovalWorkflow implements ApprovalWorkflow {
  constructor(private readonly runner: WorkflowRunner) {}

  async start(orderId: string): Promise<string> {
    try {
      return await this.runner.start(ORDER_APPROVAL_WORKFLOW, { orderId }, { name: orderId });
    } catch (error) {
      if ((error as Error).name === 'ExecutionAlreadyExists') return this.executionId(orderId);
      throw error;
    }
  }

  async stop(orderId: string): Promise<void> {
    try {
      await this.runner.stop(this.executionId(orderId));
    } catch (error) {
      if ((error as Error).name !== 'ExecutionDoesNotExist') throw error;
    }
  }

  async sendDecision(taskToken: string, decision: { decision: 'approve' | 'reject'; level: number; by: string }): Promise<void> {
    await this.runner.broker.sendTaskSuccess(taskToken, decision);
  }

  executionId(orderId: string): string {
    return this.runner.executionIdOf(ORDER_APPROVAL_WORKFLOW, orderId);
  }
}
