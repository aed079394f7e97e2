import {
  SFNClient,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
} from '@aws-sdk/client-sfn';

/**
 * How a use case (e.g. an approval decision) resumes a workflow waiting in a
 * `.waitForTaskToken` task. Step Functions on AWS; the twin's token broker locally.
 *
 * Both implementations fail the same way for a token that can no longer be used: an error named
 * `TaskTimedOut` when the task already ended (completed, failed, timed out — including a second
 * concurrent decision) and `InvalidToken` for a token never issued. Use `isStaleTaskToken`.
 */
export interface TaskTokenPort {
  sendTaskSuccess(taskToken: string, output: unknown): Promise<void>;
  sendTaskFailure(taskToken: string, error: string, cause?: string): Promise<void>;
  sendTaskHeartbeat(taskToken: string): Promise<void>;
}

export const STALE_TASK_TOKEN_ERRORS = ['TaskTimedOut', 'InvalidToken', 'TaskDoesNotExist'] as const;

/** True when the decision arrived too late or twice: the caller maps it to a conflict, not a 5xx. */
export function isStaleTaskToken(error: unknown): boolean {
  return (
    error instanceof Error && (STALE_TASK_TOKEN_ERRORS as readonly string[]).includes(error.name)
  );
}

export class SfnTaskTokenPort implements TaskTokenPort {
  constructor(private readonly client: SFNClient = new SFNClient({})) {}

  async sendTaskSuccess(taskToken: string, output: unknown): Promise<void> {
    await this.client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output ?? {}) }));
  }

  async sendTaskFailure(taskToken: string, error: string, cause?: string): Promise<void> {
    await this.client.send(new SendTaskFailureCommand({ taskToken, error, cause }));
  }

  async sendTaskHeartbeat(taskToken: string): Promise<void> {
    await this.client.send(new SendTaskHeartbeatCommand({ taskToken }));
  }
}
