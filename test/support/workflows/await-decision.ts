import { EventEmitter } from 'node:events';

/**
 * Sample callback task: like a real approval step it only stores the token (here in memory) and
 * returns; the execution resumes when someone calls sendTaskSuccess/Failure with that token.
 */
export interface PendingDecision {
  reference: string;
  taskToken: string;
  executionId: string;
}

const pending = new Map<string, PendingDecision>();
const arrivals = new EventEmitter();

export async function handler(event: PendingDecision): Promise<void> {
  pending.set(event.reference, event);
  arrivals.emit(event.reference, event);
}

/** Resolves once the execution for `reference` reached the callback task. */
export function pendingDecision(reference: string): Promise<PendingDecision> {
  const known = pending.get(reference);
  if (known) return Promise.resolve(known);
  return new Promise((resolve) => arrivals.once(reference, resolve));
}
