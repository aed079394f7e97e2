import { ordersRuntime } from '../../adapters/orders-runtime';
import { workflowTask } from './task';

/** Every step approved (or none needed): the order is approved, its sales booked. */
export const handler = workflowTask('mark-approved', (ctx, event: { orderId: string; executionId: string }) => ordersRuntime().orders.markApproved(ctx, event.orderId, event.executionId));
