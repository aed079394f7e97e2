import { ordersRuntime } from '../../adapters/orders-runtime';
import { workflowTask } from './task';

/** A step's callback timed out: escalate to the next role, or expire the order (stock released). */
export const handler = workflowTask('step-timed-out', (ctx, event: { orderId: string; level: number }) => ordersRuntime().orders.stepTimedOut(ctx, event.orderId, event.level));
