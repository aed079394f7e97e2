import { inventoryRuntime } from '../../adapters/inventory-runtime';
import { publishEvents, requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { inventoryContext } from './routes';

export const adjustStock: Implementation<typeof inventoryContext, 'adjustStock'> = async (input) => {
  const ctx = requestContext(input);
  const { levels, movements, events } = await inventoryRuntime().stock.adjust(ctx, input.body);
  await publishEvents(ctx, events);
  const level = levels[0]!;
  return { body: { level, movement: movements[0]! }, version: level.version };
};
