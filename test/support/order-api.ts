import { expect } from 'vitest';
import type { Order } from '../../domain/orders/order';
import type { TestTwin } from './twin';

/** An order through the API (GET /orders/{id}); anything but 200 fails the test. */
export async function readOrder(twin: TestTwin, token: string, id: string): Promise<Order> {
  const response = await twin.request('GET', `/orders/${id}`, { token });
  expect(response.status, response.text).toBe(200);
  return response.body;
}

/** Waits until the order reaches a state the workflow moves it to asynchronously. */
export async function waitForOrder(twin: TestTwin, token: string, id: string, predicate: (order: Order) => boolean, timeoutMs = 15_000): Promise<Order> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const order = await readOrder(twin, token, id);
    if (predicate(order)) return order;
    if (Date.now() > deadline) throw new Error(`order ${id} stuck in ${order.status}: ${JSON.stringify(order.approvalSteps)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
