import { ordersRuntime } from '../../adapters/orders-runtime';
import { workflowTask } from './task';

/** Which step comes next. Always returns every field, so the state's ResultSelector finds each path. */
export const handler = workflowTask('next-step', async (_ctx, event: { orderId: string }) => {
  const next = await ordersRuntime().orders.nextStep(event.orderId);
  return {
    result: next.outcome === 'await' ? next : { outcome: next.outcome, level: 0, role: '', timeoutSeconds: 0 },
    events: [],
  };
});
