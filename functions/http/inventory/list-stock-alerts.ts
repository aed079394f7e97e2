import { inventoryRuntime } from '../../adapters/inventory-runtime';
import type { Implementation } from '../route';
import type { inventoryContext } from './routes';

export const listStockAlerts: Implementation<typeof inventoryContext, 'listStockAlerts'> = async ({ principal, query }) => {
  const { limit, cursor, ...filter } = query;
  return { body: await inventoryRuntime().stock.listAlerts(principal, filter, { limit, ...(cursor ? { cursor } : {}) }) };
};
