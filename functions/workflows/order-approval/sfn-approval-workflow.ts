import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { ApprovalWorkflow } from '../../../domain/orders/ports';
import { logger } from '../../shared/observability';
import { SfnTaskTokenPort } from '../task-token-port';

/**
 * Environment variable through which the orders functions learn the state machine. The CDK stack
 * names it with the registry's `stateMachineArnEnv` (a test keeps the two equal); importing the
 * registry here would pull every task module into the HTTP function's bundle.
 */
export const ORDER_APPROVAL_STATE_MACHINE_ENV = 'ORDER_APPROVAL_STATE_MACHINE_ARN';

/** Executions are named after the order: a retried start finds the same execution (names are unique per machine). */
export function executionArnFor(stateMachineArn: string, orderId: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${orderId}`;
}

/** The approval workflow on Step Functions: StartExecution/StopExecution, decisions through the task-token port. */
export class SfnApprovalWorkflow implements ApprovalWorkflow {
  private readonly tokens: SfnTaskTokenPort;

  constructor(
    private readonly stateMachineArn: string,
    private readonly client: SFNClient = new SFNClient({}),
  ) {
    this.tokens = new SfnTaskTokenPort(client);
  }

  static fromEnv(): SfnApprovalWorkflow {
    const arn = process.env[ORDER_APPROVAL_STATE_MACHINE_ENV];
    if (!arn) throw new Error(`${ORDER_APPROVAL_STATE_MACHINE_ENV} is not set`);
    return new SfnApprovalWorkflow(arn);
  }

  async start(orderId: string): Promise<string> {
    try {
      const out = await this.client.send(new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name: orderId, input: JSON.stringify({ orderId }) }));
      return out.executionArn!;
    } catch (error) {
      if (error instanceof ExecutionAlreadyExists || (error as Error).name === 'ExecutionAlreadyExists') return executionArnFor(this.stateMachineArn, orderId);
      throw error;
    }
  }

  async stop(orderId: string, cause: string): Promise<void> {
    try {
      await this.client.send(new StopExecutionCommand({ executionArn: executionArnFor(this.stateMachineArn, orderId), cause: cause.slice(0, 32_000) }));
    } catch (error) {
      // Never started or already finished: nothing to stop. Anything else is logged, not thrown:
      // the cancellation has committed, and every task of a closed order does nothing.
      if ((error as Error).name !== 'ExecutionDoesNotExist') logger.warn('Stopping the approval workflow failed', { error: error as Error, orderId });
    }
  }

  async sendDecision(taskToken: string, decision: { decision: 'approve' | 'reject'; level: number; by: string }): Promise<void> {
    await this.tokens.sendTaskSuccess(taskToken, decision);
  }
}
