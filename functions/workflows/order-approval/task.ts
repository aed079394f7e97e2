import { monotonicFactory } from 'ulid';
import type { Principal } from '../../../domain/access/principal';
import type { RequestContext } from '../../../domain/audit/audit-entry';
import type { Outcome } from '../../../domain/orders/order-service';
import { runtime } from '../../adapters/runtime';
import { logger } from '../../shared/observability';
import { publishEvents } from '../../shared/use-case-context';

const newId = monotonicFactory();

/** The workflow acts as this principal: audit records and timelines name it as the actor. */
export const WORKFLOW_PRINCIPAL: Principal = {
  userId: 'workflow:order-approval',
  username: 'order-approval workflow',
  roles: ['system'],
  regions: [],
  permissions: new Set(),
  scope: 'all',
};

/**
 * A task of the order-approval workflow as a Lambda handler: one use case with the workflow as
 * actor, its events published after it committed. A thrown error fails the task, and the
 * state's Retry/Catch decide what happens next.
 */
export function workflowTask<E extends { orderId: string }, R>(name: string, run: (ctx: RequestContext, event: E) => Promise<Outcome<R>>) {
  return async (event: E): Promise<R> => {
    const ctx: RequestContext = { principal: WORKFLOW_PRINCIPAL, requestId: `${name}:${event.orderId}:${newId()}`, now: runtime().now(), newId: () => newId() };
    try {
      const { result, events } = await run(ctx, event);
      await publishEvents(ctx, events);
      return result;
    } catch (error) {
      logger.error(`Workflow task ${name} failed`, { error: error as Error, orderId: event.orderId });
      throw error;
    }
  };
}
