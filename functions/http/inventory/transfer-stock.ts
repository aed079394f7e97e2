import { inventoryRuntime } from '../../adapters/inventory-runtime';
import { publishEvents, requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { inventoryContext } from './routes';

export const transferStock: Implementation<typeof inventoryContext, 'transferStock'> = async (input) => {
  const ctx = requestContext(input);
  const { levels, movements, transfer, events } = await inventoryRuntime().stock.transfer(ctx, input.body);
  await publishEvents(ctx, events);
  return {
    body: { transfer: transfer!, from: levels[0]!, to: levels[1]!, movements },
    headers: { location: `${input.baseUrl}/stock-transfers/${transfer!.id}` },
  };
};
