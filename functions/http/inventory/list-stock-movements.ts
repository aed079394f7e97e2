import { inventoryRuntime } from '../../adapters/inventory-runtime';
import type { Implementation } from '../route';
import type { inventoryContext } from './routes';

export const listStockMovements: Implementation<typeof inventoryContext, 'listStockMovements'> = async ({ principal, params, query }) => {
  const { limit, cursor, from, to } = query;
  return {
    body: await inventoryRuntime().stock.movements(principal, {
      ...params,
      limit,
      ...(cursor ? { cursor } : {}),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
    }),
  };
};
