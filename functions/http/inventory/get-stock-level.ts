import { inventoryRuntime } from '../../adapters/inventory-runtime';
import type { Implementation } from '../route';
import type { inventoryContext } from './routes';

export const getStockLevel: Implementation<typeof inventoryContext, 'getStockLevel'> = async ({ principal, params }) => {
  const level = await inventoryRuntime().stock.getLevel(principal, params.locationCode, params.sku);
  return { body: level, version: level.version };
};
