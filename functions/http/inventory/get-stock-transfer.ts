import { inventoryRuntime } from '../../adapters/inventory-runtime';
import type { Implementation } from '../route';
import type { inventoryContext } from './routes';

export const getStockTransfer: Implementation<typeof inventoryContext, 'getStockTransfer'> = async ({ principal, params }) => ({
  body: await inventoryRuntime().stock.getTransfer(principal, params.transferId),
});
