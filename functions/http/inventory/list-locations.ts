import { inventoryRuntime } from '../../adapters/inventory-runtime';
import type { Implementation } from '../route';
import type { inventoryContext } from './routes';

export const listLocations: Implementation<typeof inventoryContext, 'listLocations'> = async ({ principal, query }) => {
  const { limit, cursor, active, ...filter } = query;
  const status = active === undefined ? {} : { status: active === 'true' ? ('active' as const) : ('inactive' as const) };
  return { body: await inventoryRuntime().locations.list(principal, { ...filter, ...status }, { limit, ...(cursor ? { cursor } : {}) }) };
};
