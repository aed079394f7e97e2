import * as z from 'zod';

/**
 * Every domain event travels in this envelope, on EventBridge (Source `dms`, DetailType = the
 * `type`, Detail = the whole envelope) and on the twin's in-process bus alike.
 */
export const EVENT_SOURCE = 'dms';

export const EnvelopeSchema = z.object({
  id: z.string().min(1),
  /** `<aggregate>.<what happened>.v<major>`, e.g. `dealer.created.v1`. */
  type: z.string().regex(/^[a-z_]+\.[a-z_]+\.v[0-9]+$/),
  occurredAt: z.iso.datetime(),
  /** The request or workflow execution that caused it, for tracing across services. */
  correlationId: z.string().min(1),
  actorId: z.string().min(1),
  detail: z.unknown(),
});

export type EventEnvelope<T = unknown> = Omit<z.infer<typeof EnvelopeSchema>, 'detail'> & { detail: T };
