import './polyfills';
import { randomUUID } from 'node:crypto';
import {
  ExecutionAbortedError,
  StateMachine,
  type RunOptions,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';
import { ulid } from 'ulid';
import {
  WORKFLOWS,
  readDefinitionText,
  substitute,
  workflowByName,
  type WorkflowSpec,
  type WorkflowTaskHandler,
} from '../../functions/workflows/registry';
import type { TaskTokenPort } from '../../functions/workflows/task-token-port';

/*
 * The twin's Step Functions: the registry's ASL run by aws-local-stepfunctions, Task states
 * mapped (by state name, the interpreter's only hook) to the same handler modules CDK deploys.
 *
 * What the interpreter lacks and this file emulates:
 * - Optimised `arn:aws:states:::lambda:invoke` integrations: the local handler receives the
 *   processed Parameters; we unwrap `Payload` and wrap the result as `{ Payload, StatusCode }`
 *   like the Lambda integration does, so ResultSelector paths such as `$.Payload.x` work on both.
 * - `.waitForTaskToken`: the interpreter has no task tokens, `$$.Task` is absent from its
 *   context object. We put a sentinel in `$$.Task.Token`, replace it with a fresh token per
 *   attempt, invoke the handler, then wait on the token broker.
 * - Callback timeouts: the interpreter enforces a Task's TimeoutSeconds by itself (default 60 s,
 *   unlike AWS), with no HeartbeatSeconds and no way to scale 48 h down for tests. For callback
 *   states the runner lifts the interpreter's timer and the broker enforces TimeoutSeconds and
 *   HeartbeatSeconds, failing the task with `States.Timeout` (overridable per state in ms).
 *   TimeoutSecondsPath on a callback state is evaluated like on AWS, against the state's input:
 *   the runner adds it to the state's Parameters (which see the same input) under a private
 *   field and takes it out again before the handler runs. HeartbeatSecondsPath is rejected.
 */

/** `setTimeout` overflows above 2^31-1 ms; this keeps the interpreter's own timer out of the way. */
const INTERPRETER_TIMEOUT_LIFTED_SECONDS = 2_000_000;
const TOKEN_SENTINEL = '__TWIN_TASK_TOKEN__';
const LOCAL_REGION = 'local';
const LOCAL_ACCOUNT = '000000000000';

type TaskMode = 'direct' | 'invoke' | 'callback';

/** Private Parameters field carrying a callback state's TimeoutSecondsPath value to the runner. */
const TIMEOUT_FROM_PATH = '__twinTimeoutSeconds';

interface TaskBinding {
  key: string;
  mode: TaskMode;
  timeoutSeconds?: number;
  timeoutFromPath?: boolean;
  heartbeatSeconds?: number;
}

/* ---------------------------------------------------------------- token broker */

class TaskTokenError extends Error {
  constructor(name: 'TaskTimedOut' | 'InvalidToken', message: string) {
    super(message);
    this.name = name;
  }
}

/** An error the interpreter matches by `name` in Retry/Catch `ErrorEquals`. */
function workflowError(name: string, cause: string): Error {
  const error = new Error(cause);
  error.name = name;
  return error;
}

interface PendingTask {
  executionId: string;
  stateName: string;
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
  timeoutTimer?: NodeJS.Timeout;
  heartbeatTimer?: NodeJS.Timeout;
  heartbeatMs?: number;
}

/**
 * Issues task tokens and resumes the waiting task. A token is used at most once: the first
 * success/failure/timeout settles it (synchronously, so concurrent calls cannot both win), later
 * calls get `TaskTimedOut` exactly as Step Functions answers for a task that no longer exists.
 */
export class TaskTokenBroker implements TaskTokenPort {
  private readonly pending = new Map<string, PendingTask>();
  /** Settled tokens, so a late call says TaskTimedOut rather than InvalidToken (as on AWS). */
  private readonly settled = new Set<string>();

  issue(
    executionId: string,
    stateName: string,
    limits: { timeoutMs?: number; heartbeatMs?: number },
  ): { token: string; result: Promise<unknown> } {
    const token = Buffer.from(`${executionId}#${stateName}#${randomUUID()}`).toString('base64url');
    const result = new Promise<unknown>((resolve, reject) => {
      const task: PendingTask = { executionId, stateName, resolve, reject, heartbeatMs: limits.heartbeatMs };
      if (limits.timeoutMs !== undefined) {
        task.timeoutTimer = setTimeout(
          () => this.settle(token, { error: workflowError('States.Timeout', `Task ${stateName} timed out`) }),
          limits.timeoutMs,
        );
      }
      this.pending.set(token, task);
      this.armHeartbeat(token, task);
    });
    // The execution may be stopped before anyone awaits the result; never an unhandled rejection.
    result.catch(() => undefined);
    return { token, result };
  }

  async sendTaskSuccess(taskToken: string, output: unknown): Promise<void> {
    // Step Functions carries the output as JSON: a copy keeps the caller's object out of the execution.
    this.settle(taskToken, { output: JSON.parse(JSON.stringify(output ?? {})) });
  }

  async sendTaskFailure(taskToken: string, error: string, cause = ''): Promise<void> {
    this.settle(taskToken, { error: workflowError(error, cause) });
  }

  async sendTaskHeartbeat(taskToken: string): Promise<void> {
    const task = this.lookup(taskToken);
    this.armHeartbeat(taskToken, task);
  }

  /** Tokens still waiting, e.g. for the demo or for a test to pick up. */
  pendingTokens(executionId?: string): { token: string; executionId: string; stateName: string }[] {
    return [...this.pending.entries()]
      .filter(([, task]) => executionId === undefined || task.executionId === executionId)
      .map(([token, task]) => ({ token, executionId: task.executionId, stateName: task.stateName }));
  }

  /** Drops the tokens of a stopped execution (StopExecution also invalidates them on AWS). */
  discardExecution(executionId: string): void {
    for (const [token, task] of this.pending) {
      if (task.executionId === executionId) {
        this.settle(token, { error: workflowError('States.Aborted', 'Execution stopped') });
      }
    }
  }

  /** Fails one token without a caller-visible error (the handler that should have stored it threw). */
  discard(token: string): void {
    if (this.pending.has(token)) this.settle(token, { error: workflowError('States.Aborted', 'Task ended') });
  }

  private armHeartbeat(token: string, task: PendingTask): void {
    if (task.heartbeatMs === undefined) return;
    clearTimeout(task.heartbeatTimer);
    task.heartbeatTimer = setTimeout(
      () => this.settle(token, { error: workflowError('States.Timeout', `Task ${task.stateName} missed its heartbeat`) }),
      task.heartbeatMs,
    );
  }

  private lookup(token: string): PendingTask {
    const task = this.pending.get(token);
    if (task) return task;
    if (this.settled.has(token)) {
      throw new TaskTokenError('TaskTimedOut', 'Task Timed Out: Provided task does not exist anymore');
    }
    throw new TaskTokenError('InvalidToken', 'Invalid Token: the task token was not issued by this broker');
  }

  private settle(token: string, outcome: { output: unknown } | { error: Error }): void {
    const task = this.lookup(token);
    this.pending.delete(token);
    this.settled.add(token);
    clearTimeout(task.timeoutTimer);
    clearTimeout(task.heartbeatTimer);
    if ('error' in outcome) task.reject(outcome.error);
    else task.resolve(outcome.output);
  }
}

/* ---------------------------------------------------------------- executions */

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionDescription {
  executionId: string;
  workflow: string;
  status: ExecutionStatus;
  input: unknown;
  output?: unknown;
  error?: string;
  cause?: string;
  startDate: Date;
  stopDate?: Date;
}

/** One entry of an execution's history, after the interpreter's event log. */
export interface WorkflowHistoryEvent {
  type: string;
  timestamp: number;
  stateName?: string;
  stateType?: string;
  error?: string;
  cause?: string;
  /** For StateRetried: the retry attempt (1-based). */
  attempt?: number;
}

export interface StartOptions {
  /** Execution name (unique per workflow on AWS); a ULID when omitted. */
  name?: string;
  /** Callback timeouts in ms per state name, replacing TimeoutSeconds (tests, demo). */
  callbackTimeoutOverrides?: Record<string, number>;
  /** Callback heartbeat intervals in ms per state name, replacing HeartbeatSeconds. */
  callbackHeartbeatOverrides?: Record<string, number>;
  /** Passed to the interpreter: retry pauses in ms per state name. */
  retryIntervalOverrides?: NonNullable<RunOptions['overrides']>['retryIntervalOverrides'];
  /** Passed to the interpreter: Wait durations in ms per state name. */
  waitTimeOverrides?: NonNullable<RunOptions['overrides']>['waitTimeOverrides'];
}

interface Execution extends ExecutionDescription {
  history: WorkflowHistoryEvent[];
  done: Promise<void>;
  abort: () => void;
}

interface LoadedWorkflow {
  spec: WorkflowSpec;
  machine: StateMachine;
  bindings: Map<string, TaskBinding>;
  handlers: Map<string, WorkflowTaskHandler>;
}

export interface WorkflowRunnerOptions {
  /** @default the registry's WORKFLOWS */
  workflows?: readonly WorkflowSpec[];
  /** Values of non-task placeholders (table names…). */
  substitutions?: Record<string, string>;
  broker?: TaskTokenBroker;
  /** Start options applied to every execution of a workflow (tests and the demo shorten timeouts and retry pauses). */
  startDefaults?: Record<string, StartOptions>;
}

export class WorkflowRunner {
  readonly broker: TaskTokenBroker;
  private readonly workflows: readonly WorkflowSpec[];
  private readonly substitutions: Record<string, string>;
  private readonly loaded = new Map<string, Promise<LoadedWorkflow>>();
  private readonly executions = new Map<string, Execution>();
  /** Per workflow name; an execution's own options win field by field. */
  readonly startDefaults: Record<string, StartOptions>;

  constructor(options: WorkflowRunnerOptions = {}) {
    this.startDefaults = { ...options.startDefaults };
    this.workflows = options.workflows ?? WORKFLOWS;
    this.substitutions = options.substitutions ?? {};
    this.broker = options.broker ?? new TaskTokenBroker();
  }

  /** The id `start` gives an execution of this name (shaped like an execution ARN). */
  executionIdOf(workflowName: string, name: string): string {
    return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:execution:${workflowName}:${name}`;
  }

  /** Executions of a workflow, newest first (the demo and the bench read them). */
  executionsOf(workflowName: string): ExecutionDescription[] {
    return [...this.executions.values()].filter((e) => e.workflow === workflowName).map((e) => this.describe(e.executionId)).reverse();
  }

  /** Starts an execution and returns its id (shaped like an execution ARN) without waiting. */
  async start(workflowName: string, input: unknown, startOptions: StartOptions = {}): Promise<string> {
    const options: StartOptions = { ...this.startDefaults[workflowName], ...startOptions };
    const workflow = await this.load(workflowName);
    const name = options.name ?? ulid();
    const executionId = this.executionIdOf(workflowName, name);
    if (this.executions.has(executionId)) {
      throw workflowError('ExecutionAlreadyExists', `Execution ${executionId} already exists`);
    }
    const jsonInput = JSON.parse(JSON.stringify(input ?? {}));
    const startDate = new Date();
    const run = workflow.machine.run(jsonInput, {
      overrides: {
        taskResourceLocalHandlers: this.localHandlers(workflow, executionId, options),
        retryIntervalOverrides: options.retryIntervalOverrides,
        waitTimeOverrides: options.waitTimeOverrides,
      },
      context: {
        Execution: { Id: executionId, Name: name, Input: jsonInput, StartTime: startDate.toISOString() },
        StateMachine: {
          Id: `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${workflowName}`,
          Name: workflowName,
        },
        Task: { Token: TOKEN_SENTINEL },
      },
    });

    const execution: Execution = {
      executionId,
      workflow: workflowName,
      status: 'RUNNING',
      input: jsonInput,
      startDate,
      history: [],
      abort: run.abort,
      done: Promise.resolve(),
    };
    this.executions.set(executionId, execution);

    const recording = (async () => {
      for await (const event of run.eventLogs) execution.history.push(toHistoryEvent(event));
    })().catch(() => undefined);

    execution.done = run.result.then(
      async (output) => {
        await recording;
        Object.assign(execution, { status: 'SUCCEEDED', output, stopDate: new Date() });
      },
      async (error: unknown) => {
        await recording;
        this.broker.discardExecution(executionId);
        const failure = describeFailure(error);
        Object.assign(execution, { ...failure, stopDate: new Date() });
      },
    );
    return executionId;
  }

  describe(executionId: string): ExecutionDescription {
    const { history: _history, done: _done, abort: _abort, ...description } = this.execution(executionId);
    return { ...description };
  }

  history(executionId: string): WorkflowHistoryEvent[] {
    return [...this.execution(executionId).history];
  }

  /** State names entered, in order: the "state transitions" of tracking and the bench. */
  transitions(executionId: string): string[] {
    return this.execution(executionId)
      .history.filter((event) => event.type === 'StateEntered')
      .map((event) => event.stateName!);
  }

  /** Resolves with the final description once the execution stopped. */
  async wait(executionId: string): Promise<ExecutionDescription> {
    await this.execution(executionId).done;
    return this.describe(executionId);
  }

  /** Like StopExecution: ends a running execution and invalidates its task tokens. */
  async stop(executionId: string): Promise<ExecutionDescription> {
    const execution = this.execution(executionId);
    if (execution.status === 'RUNNING') {
      execution.abort();
      this.broker.discardExecution(executionId);
    }
    return this.wait(executionId);
  }

  private execution(executionId: string): Execution {
    const execution = this.executions.get(executionId);
    if (!execution) throw workflowError('ExecutionDoesNotExist', `Execution ${executionId} does not exist`);
    return execution;
  }

  private load(workflowName: string): Promise<LoadedWorkflow> {
    let loaded = this.loaded.get(workflowName);
    if (!loaded) {
      loaded = loadWorkflow(workflowByName(workflowName, this.workflows), this.substitutions);
      this.loaded.set(workflowName, loaded);
      loaded.catch(() => this.loaded.delete(workflowName));
    }
    return loaded;
  }

  private localHandlers(
    workflow: LoadedWorkflow,
    executionId: string,
    options: StartOptions,
  ): Record<string, (input: any) => Promise<any>> {
    const handlers: Record<string, (input: any) => Promise<any>> = {};
    for (const [stateName, binding] of workflow.bindings) {
      const handler = workflow.handlers.get(binding.key)!;
      handlers[stateName] = async (input: any) => {
        switch (binding.mode) {
          case 'direct':
            return asJson(await handler(input));
          case 'invoke':
            return { StatusCode: 200, Payload: asJson(await handler(payloadOf(input))) };
          case 'callback': {
            const overrideMs = options.callbackTimeoutOverrides?.[stateName];
            const fromPath = binding.timeoutFromPath ? Number(input?.[TIMEOUT_FROM_PATH]) : undefined;
            if (fromPath !== undefined && !(Number.isInteger(fromPath) && fromPath > 0)) {
              throw workflowError('States.Runtime', `State ${stateName}: TimeoutSecondsPath did not give a positive integer`);
            }
            const { token, result } = this.broker.issue(executionId, stateName, {
              timeoutMs: overrideMs ?? secondsToMs(fromPath ?? binding.timeoutSeconds),
              heartbeatMs: options.callbackHeartbeatOverrides?.[stateName] ?? secondsToMs(binding.heartbeatSeconds),
            });
            try {
              await handler(replaceSentinel(payloadOf(input), token));
            } catch (error) {
              // The Lambda invocation itself failed: the task fails with that error, as on AWS.
              this.broker.discard(token);
              throw error;
            }
            return asJson(await result);
          }
        }
      };
    }
    return handlers;
  }
}

async function loadWorkflow(spec: WorkflowSpec, substitutions: Record<string, string>): Promise<LoadedWorkflow> {
  const text = readDefinitionText(spec);
  const values: Record<string, string> = { ...substitutions };
  for (const key of Object.keys(spec.tasks)) {
    values[key] = `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${spec.name}-${key}`;
  }
  const definition = JSON.parse(substitute(text, values)) as StateMachineDefinition;
  const keysByArn = new Map(Object.keys(spec.tasks).map((key) => [values[key]!, key]));
  const bindings = new Map<string, TaskBinding>();
  bindTaskStates(definition, keysByArn, bindings);

  const handlers = new Map<string, WorkflowTaskHandler>();
  await Promise.all(
    Object.entries(spec.tasks).map(async ([key, task]) => handlers.set(key, await task.load())),
  );
  return { spec, machine: new StateMachine(definition), bindings, handlers };
}

/**
 * Finds the task key of every Task state (nested Parallel branches and Map processors too: the
 * interpreter hands the same overrides down) and lifts the interpreter's timer on callback states.
 */
function bindTaskStates(
  definition: { States: Record<string, any> },
  keysByArn: Map<string, string>,
  bindings: Map<string, TaskBinding>,
): void {
  for (const [stateName, state] of Object.entries(definition.States)) {
    for (const nested of [...(state.Branches ?? []), state.Iterator, state.ItemProcessor]) {
      if (nested) bindTaskStates(nested, keysByArn, bindings);
    }
    if (state.Type !== 'Task') continue;
    const resource: string = state.Resource;
    let mode: TaskMode;
    let arn: string | undefined;
    if (resource.startsWith('arn:aws:states:::lambda:invoke')) {
      mode = resource.endsWith('.waitForTaskToken') ? 'callback' : 'invoke';
      arn = state.Parameters?.FunctionName;
    } else {
      mode = 'direct';
      arn = resource;
    }
    const key = arn === undefined ? undefined : keysByArn.get(arn);
    if (key === undefined) {
      throw new Error(`Task state "${stateName}" (${resource}) does not call a task of the registry entry`);
    }
    if (bindings.has(stateName)) {
      throw new Error(`Task state name "${stateName}" is used twice; the interpreter maps handlers by state name`);
    }
    const binding: TaskBinding = { key, mode };
    if (mode === 'callback') {
      if (state.HeartbeatSecondsPath) {
        throw new Error(`Callback state "${stateName}": the twin supports HeartbeatSeconds, not HeartbeatSecondsPath`);
      }
      if (state.TimeoutSecondsPath) {
        if (state.InputPath !== undefined) throw new Error(`Callback state "${stateName}": TimeoutSecondsPath with InputPath is not emulated`);
        binding.timeoutFromPath = true;
        state.Parameters = { ...state.Parameters, [`${TIMEOUT_FROM_PATH}.$`]: state.TimeoutSecondsPath };
        delete state.TimeoutSecondsPath;
      }
      binding.timeoutSeconds = state.TimeoutSeconds;
      binding.heartbeatSeconds = state.HeartbeatSeconds;
      state.TimeoutSeconds = INTERPRETER_TIMEOUT_LIFTED_SECONDS;
      delete state.HeartbeatSeconds;
    }
    bindings.set(stateName, binding);
  }
}

function secondsToMs(seconds: number | undefined): number | undefined {
  return seconds === undefined ? undefined : seconds * 1000;
}

function payloadOf(input: any): unknown {
  return input && typeof input === 'object' && 'Payload' in input ? input.Payload : {};
}

function replaceSentinel(value: unknown, token: string): unknown {
  if (value === TOKEN_SENTINEL) return token;
  if (Array.isArray(value)) return value.map((item) => replaceSentinel(item, token));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaceSentinel(item, token)]));
  }
  return value;
}

/** Lambda returns JSON: `undefined` becomes null, dates become strings. */
function asJson(value: unknown): any {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

function toHistoryEvent(event: any): WorkflowHistoryEvent {
  const record: WorkflowHistoryEvent = { type: event.type, timestamp: event.timestamp };
  if (event.state) {
    record.stateName = event.state.name;
    record.stateType = event.state.type;
  }
  if (event.Error !== undefined) record.error = String(event.Error);
  if (event.Cause !== undefined) record.cause = typeof event.Cause === 'string' ? event.Cause : JSON.stringify(event.Cause);
  if (event.retry) record.attempt = event.retry.attempt;
  return record;
}

function describeFailure(error: unknown): Pick<ExecutionDescription, 'status' | 'error' | 'cause'> {
  if (error instanceof ExecutionAbortedError) return { status: 'ABORTED' };
  if (error instanceof Error && error.name === 'ExecutionTimeoutError') {
    return { status: 'TIMED_OUT', error: 'States.Timeout' };
  }
  // ExecutionError wraps the runtime error that ended the execution.
  const inner = (error as { cause?: unknown })?.cause;
  const source = inner instanceof Error ? inner : error instanceof Error ? error : undefined;
  return {
    status: 'FAILED',
    error: source?.name ?? 'States.Runtime',
    cause: source?.message ?? String(error),
  };
}
