import { inventoryRuntime } from '../../adapters/inventory-runtime';
import { publishEvents, requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { inventoryContext } from './routes';

export const setStockThresholds: Implementation<typeof inventoryContext, 'setStockThresholds'> = async (input) => {
  const ctx = requestContext(input);
  const { level, events } = await inventoryRuntime().stock.setThresholds(ctx, input.params.locationCode, input.params.sku, input.expectedVersion!, input.body);
  await publishEvents(ctx, events);
  return { body: level, version: level.version };
};
