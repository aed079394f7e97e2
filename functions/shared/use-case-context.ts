import type { Principal } from '../../domain/access/principal';
import type { RequestContext } from '../../domain/audit/audit-entry';
import type { EventEnvelope } from '../../events/envelope';
import type { DomainEvent } from '../../events/registry';
import { runtime } from '../adapters/runtime';
import { logger, metrics } from './observability';

export function requestContext(input: { principal: Principal; requestId: string }): RequestContext {
  const { now, newId } = runtime();
  return { principal: input.principal, requestId: input.requestId, now: now(), newId };
}

/**
 * Publishes what a use case reported, after its transaction committed. A publishing failure
 * does not undo the committed change or fail the request: it is logged and counted
 * (metric EventPublishFailed) so operators can replay from the audit trail.
 */
export async function publishEvents(ctx: RequestContext, events: DomainEvent[]): Promise<void> {
  if (events.length === 0) return;
  const envelopes: EventEnvelope[] = events.map((event) => ({
    id: ctx.newId(),
    type: event.type,
    occurredAt: ctx.now.toISOString(),
    correlationId: ctx.requestId,
    actorId: ctx.principal.userId,
    detail: event.detail,
  }));
  try {
    await runtime().publisher.publish(envelopes);
  } catch (error) {
    logger.error('Publishing events failed after commit', { error: error as Error, types: envelopes.map((e) => e.type) });
    metrics.addMetric('EventPublishFailed', 'Count', envelopes.length);
  }
}
