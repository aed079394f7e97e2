import { inventoryRuntime } from '../../adapters/inventory-runtime';
import { requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { inventoryContext } from './routes';

export const createLocation: Implementation<typeof inventoryContext, 'createLocation'> = async (input) => {
  const location = await inventoryRuntime().locations.create(requestContext(input), input.body);
  return { body: location, version: location.version, headers: { location: `${input.baseUrl}/locations/${location.code}` } };
};
