import { describe, expect, it } from 'vitest';
import { isStaleTaskToken } from '../../functions/workflows/task-token-port';
import { WorkflowRunner } from '../../infra/local/workflow-runner';
import { compensations } from '../support/workflows/prepare';
import { pendingDecision } from '../support/workflows/await-decision';
import { SAMPLE_WORKFLOW } from '../support/workflows/sample-workflow';

/* The sample definition on the local ASL interpreter: the machinery orders' approval will use. */
const runner = new WorkflowRunner({ workflows: [SAMPLE_WORKFLOW] });
let sequence = 0;
const reference = (label: string) => `${label}-${++sequence}`;

describe('workflow runner on the local interpreter', () => {
  it('runs a task chain through the lambda:invoke integration and records the transitions', async () => {
    const ref = reference('chain');
    const id = await runner.start('sample', { reference: ref, needsDecision: false });
    const result = await runner.wait(id);
    expect(result).toMatchObject({ status: 'SUCCEEDED', workflow: 'sample' });
    expect(result.output).toEqual({
      reference: ref,
      needsDecision: false,
      prepared: { preparedBy: 'prepare', reference: ref },
      flaky: { attempts: 1 },
    });
    expect(runner.transitions(id)).toEqual(['Prepare', 'Flaky step', 'Needs decision?', 'Done']);
    const types = runner.history(id).map((event) => event.type);
    expect(types[0]).toBe('ExecutionStarted');
    expect(types.at(-1)).toBe('ExecutionSucceeded');
  });

  it('resumes a callback task with sendTaskSuccess', async () => {
    const ref = reference('approve');
    const id = await runner.start('sample', { reference: ref, needsDecision: true });
    const pending = await pendingDecision(ref);
    expect(pending.executionId).toBe(id);
    expect(runner.describe(id).status).toBe('RUNNING');
    expect(runner.broker.pendingTokens(id)).toEqual([
      { token: pending.taskToken, executionId: id, stateName: 'Await decision' },
    ]);
    await runner.broker.sendTaskSuccess(pending.taskToken, { decision: 'approve', by: 'u1' });
    const result = await runner.wait(id);
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({ decision: { decision: 'approve', by: 'u1' } });
    expect(runner.transitions(id)).toEqual(['Prepare', 'Flaky step', 'Needs decision?', 'Await decision', 'Done']);
  });

  it('routes a sendTaskFailure to the Catch of the callback state', async () => {
    const ref = reference('reject');
    const id = await runner.start('sample', { reference: ref, needsDecision: true });
    const pending = await pendingDecision(ref);
    await runner.broker.sendTaskFailure(pending.taskToken, 'Sample.Rejected', 'price too low');
    const result = await runner.wait(id);
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({
      outcome: 'rejected',
      failure: { Error: 'Sample.Rejected', Cause: 'price too low' },
    });
    expect(runner.transitions(id).slice(-3)).toEqual(['Await decision', 'Rejected', 'Compensate']);
    expect(compensations).toContain(ref);
    expect(runner.history(id)).toContainEqual(
      expect.objectContaining({ type: 'StateCaught', stateName: 'Await decision' }),
    );
  });

  it('times a callback out with States.Timeout, then refuses the late decision', async () => {
    const ref = reference('timeout');
    const id = await runner.start(
      'sample',
      { reference: ref, needsDecision: true },
      { callbackTimeoutOverrides: { 'Await decision': 150 } },
    );
    const pending = await pendingDecision(ref);
    const result = await runner.wait(id);
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({ outcome: 'expired', failure: { Error: 'States.Timeout' } });
    expect(runner.transitions(id).slice(-3)).toEqual(['Await decision', 'Expired', 'Compensate']);
    const late = runner.broker.sendTaskSuccess(pending.taskToken, { decision: 'approve' });
    await expect(late).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });

  it('keeps a callback alive with heartbeats and times it out when they stop', async () => {
    const alive = reference('heartbeat');
    const id = await runner.start(
      'sample',
      { reference: alive, needsDecision: true },
      { callbackHeartbeatOverrides: { 'Await decision': 300 } },
    );
    const pending = await pendingDecision(alive);
    for (let beat = 0; beat < 4; beat += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      await runner.broker.sendTaskHeartbeat(pending.taskToken);
    }
    await runner.broker.sendTaskSuccess(pending.taskToken, { decision: 'approve' });
    expect((await runner.wait(id)).output).toMatchObject({ decision: { decision: 'approve' } });

    const silent = reference('heartbeat');
    const silentId = await runner.start(
      'sample',
      { reference: silent, needsDecision: true },
      { callbackHeartbeatOverrides: { 'Await decision': 300 } },
    );
    expect((await runner.wait(silentId)).output).toMatchObject({
      outcome: 'expired',
      failure: { Error: 'States.Timeout' },
    });
  });

  it('retries a task failing twice with exponential backoff, then succeeds', async () => {
    const ref = reference('flaky');
    const id = await runner.start('sample', { reference: ref, needsDecision: false, failTimes: 2 });
    const result = await runner.wait(id);
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({ flaky: { attempts: 3 } });
    const history = runner.history(id);
    const retries = history.filter((event) => event.type === 'StateRetried');
    expect(retries.map((event) => event.stateName)).toEqual(['Flaky step', 'Flaky step']);
    // IntervalSeconds 1, BackoffRate 2: the interpreter logs StateRetried after the pause, so the
    // gap from each StateFailed to its StateRetried is the backoff: about 1 s, then 2 s.
    const flaky = history.filter((event) => event.stateName === 'Flaky step');
    const pauses = flaky.flatMap((event, index) =>
      event.type === 'StateRetried' && flaky[index - 1]?.type === 'StateFailed'
        ? [event.timestamp - flaky[index - 1]!.timestamp]
        : [],
    );
    expect(pauses).toHaveLength(2);
    expect(pauses[0]).toBeGreaterThanOrEqual(950);
    expect(pauses[1]).toBeGreaterThanOrEqual(1950);
    expect(retries.map((event) => event.attempt)).toEqual([1, 2]);
  });

  it('fails the execution through Catch → Fail when the retries are exhausted', async () => {
    const ref = reference('broken');
    const id = await runner.start(
      'sample',
      { reference: ref, needsDecision: false, failTimes: 5 },
      { retryIntervalOverrides: { 'Flaky step': 0 } },
    );
    const result = await runner.wait(id);
    expect(result).toMatchObject({ status: 'FAILED', error: 'Sample.Failed', cause: 'The flaky step failed for good' });
    expect(runner.transitions(id)).toEqual(['Prepare', 'Flaky step', 'Failed']);
  });

  it('lets exactly one of 50 concurrent sendTaskSuccess calls on one token take effect', async () => {
    const ref = reference('race');
    const id = await runner.start('sample', { reference: ref, needsDecision: true });
    const pending = await pendingDecision(ref);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, index) => runner.broker.sendTaskSuccess(pending.taskToken, { winner: index })),
    );
    const fulfilled = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const rejected = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(49);
    expect(rejected.every((outcome) => isStaleTaskToken(outcome.reason))).toBe(true);
    expect(rejected[0]!.reason).toMatchObject({ name: 'TaskTimedOut' });
    const result = await runner.wait(id);
    expect(result.output).toMatchObject({ decision: { winner: 0 } });
    expect(runner.transitions(id).filter((state) => state === 'Await decision')).toHaveLength(1);
  });

  it('answers InvalidToken for a token it never issued, and stop() ends a waiting execution', async () => {
    await expect(runner.broker.sendTaskSuccess('not-a-token', {})).rejects.toMatchObject({ name: 'InvalidToken' });
    const ref = reference('stop');
    const id = await runner.start('sample', { reference: ref, needsDecision: true });
    const pending = await pendingDecision(ref);
    expect((await runner.stop(id)).status).toBe('ABORTED');
    await expect(runner.broker.sendTaskSuccess(pending.taskToken, {})).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });
});
