/**
 * Rules every deployed workflow definition must follow, as functions returning findings so the
 * tests can show each rule catching a broken definition (test/infra/stacks.test.ts).
 */

export type States = Record<string, any>;

export interface TaskState {
  name: string;
  state: Record<string, any>;
  /** A Parallel (or Map) around the state catches States.ALL: a failure inside is caught there. */
  caughtByParent: boolean;
}

function catchesAll(state: Record<string, any>): boolean {
  return (state.Catch ?? []).some((catcher: any) => catcher.ErrorEquals.includes('States.ALL'));
}

/** Every Task state, including those inside Parallel branches and Map processors. */
export function taskStates(states: States, caughtByParent = false): TaskState[] {
  return Object.entries(states).flatMap(([name, state]) => {
    const caught = caughtByParent || catchesAll(state);
    const nested = [...(state.Branches ?? []), state.Iterator, state.ItemProcessor]
      .filter(Boolean)
      .flatMap((child: { States: States }) => taskStates(child.States, caught));
    return [...(state.Type === 'Task' ? [{ name, state, caughtByParent }] : []), ...nested];
  });
}

/** A callback without a timeout waits a year (the Standard maximum) when its token is lost. */
export function callbackTimeoutFindings(definition: { States: States }): string[] {
  return taskStates(definition.States)
    .filter(({ state }) => String(state.Resource).endsWith('.waitForTaskToken'))
    .flatMap(({ name, state }) => {
      const fixed = state.TimeoutSeconds;
      const computed = state.TimeoutSecondsPath;
      if (fixed === undefined && computed === undefined) return [`${name}: callback without TimeoutSeconds or TimeoutSecondsPath`];
      if (fixed !== undefined && !(Number.isInteger(fixed) && fixed > 0)) return [`${name}: TimeoutSeconds ${fixed}`];
      if (computed !== undefined && !/^\$\./.test(String(computed))) return [`${name}: TimeoutSecondsPath ${computed}`];
      return [];
    });
}

/**
 * Every Task retries with backoff and has its failures caught — by itself or by a Parallel/Map
 * around it — so an order never stays half-processed: even the failure handler catches, so its
 * own failure ends in a Fail state that names it.
 */
export function retryCatchFindings(definition: { States: States }): string[] {
  return taskStates(definition.States).flatMap(({ name, state, caughtByParent }) => {
    const findings: string[] = [];
    if (!(state.Retry?.length > 0)) findings.push(`${name}: no Retry`);
    for (const retrier of state.Retry ?? []) {
      if (!(retrier.IntervalSeconds > 0)) findings.push(`${name}: Retry ${retrier.ErrorEquals} without IntervalSeconds`);
      if (!(retrier.BackoffRate >= 1)) findings.push(`${name}: Retry ${retrier.ErrorEquals} without BackoffRate >= 1`);
    }
    if (!catchesAll(state) && !caughtByParent) findings.push(`${name}: no Catch of States.ALL, neither on the state nor on a Parallel around it`);
    return findings;
  });
}
