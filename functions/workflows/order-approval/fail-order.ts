import { ordersRuntime } from '../../adapters/orders-runtime';
import { workflowTask } from './task';

/** Compensation: the chain failed for good; the order ends `failed`, its stock released. */
export const handler = workflowTask('fail-order', (ctx, event: { orderId: string; failure?: { Error?: string; Cause?: string } }) =>
  ordersRuntime().orders.fail(ctx, event.orderId, [event.failure?.Error, event.failure?.Cause].filter(Boolean).join(': ') || 'unknown error'),
);
