import { inventoryRuntime } from '../../adapters/inventory-runtime';
import type { Implementation } from '../route';
import type { inventoryContext } from './routes';

export const getLocation: Implementation<typeof inventoryContext, 'getLocation'> = async ({ principal, params }) => {
  const location = await inventoryRuntime().locations.get(principal, params.locationCode);
  return { body: location, version: location.version };
};
