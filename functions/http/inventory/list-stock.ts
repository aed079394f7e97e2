import { inventoryRuntime } from '../../adapters/inventory-runtime';
import type { Implementation } from '../route';
import type { inventoryContext } from './routes';

export const listStock: Implementation<typeof inventoryContext, 'listStock'> = async ({ principal, query }) => {
  const { limit, cursor, sku, locationCode } = query;
  const page = { limit, ...(cursor ? { cursor } : {}) };
  const stock = inventoryRuntime().stock;
  return { body: sku ? await stock.listBySku(principal, sku, page) : await stock.listByLocation(principal, locationCode!, page) };
};
