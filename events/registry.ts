import type { z } from 'zod';
import { DealerCreatedV1, DealerStatusChangedV1 } from './dealers';
import type { EventEnvelope } from './envelope';
import { InvoiceIssuedV1, OrderApprovalRequestedV1, OrderApprovedV1, OrderCancelledV1, OrderRejectedV1, OrderSubmittedV1, ShipmentDispatchedV1 } from './orders';
import { StockAboveOverstockV1, StockBelowReorderPointV1 } from './stock';

/** The one list of domain events: detail-type → schema of its detail. */
export const EVENT_REGISTRY = {
  'dealer.created.v1': DealerCreatedV1,
  'dealer.status_changed.v1': DealerStatusChangedV1,
  'stock.below_reorder_point.v1': StockBelowReorderPointV1,
  'stock.above_overstock.v1': StockAboveOverstockV1,
  'order.submitted.v1': OrderSubmittedV1,
  'order.approval_requested.v1': OrderApprovalRequestedV1,
  'order.approved.v1': OrderApprovedV1,
  'order.rejected.v1': OrderRejectedV1,
  'order.cancelled.v1': OrderCancelledV1,
  'invoice.issued.v1': InvoiceIssuedV1,
  'shipment.dispatched.v1': ShipmentDispatchedV1,
} as const;

export type EventType = keyof typeof EVENT_REGISTRY;
export type EventDetail<T extends EventType> = z.infer<(typeof EVENT_REGISTRY)[T]>;

/** A domain event before it is enveloped: what the use case decided happened. */
export type DomainEvent = { [T in EventType]: { type: T; detail: EventDetail<T> } }[EventType];

/** Port: publishes events after the change that caused them has committed. */
export interface EventPublisher {
  publish(events: EventEnvelope[]): Promise<void>;
}

/** Throws if the envelope's detail does not match its registered schema. */
export function assertValidEvent(envelope: EventEnvelope): void {
  const schema = EVENT_REGISTRY[envelope.type as EventType];
  if (!schema) throw new Error(`Unregistered event type ${envelope.type}`);
  schema.parse(envelope.detail);
}
