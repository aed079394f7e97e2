import { ordersRuntime } from '../../adapters/orders-runtime';
import { workflowTask } from './task';

/** The callback task: stores the pending approval with its task token; the workflow waits until the decision. */
export const handler = workflowTask(
  'await-approval',
  (ctx, event: { orderId: string; level: number; taskToken: string; executionId: string; timeoutSeconds: number }) => ordersRuntime().orders.awaitDecision(ctx, event),
);
