import { inventoryRuntime } from '../../adapters/inventory-runtime';
import { requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { inventoryContext } from './routes';

export const updateLocation: Implementation<typeof inventoryContext, 'updateLocation'> = async (input) => {
  const location = await inventoryRuntime().locations.update(requestContext(input), input.params.locationCode, input.expectedVersion!, input.body);
  return { body: location, version: location.version };
};
