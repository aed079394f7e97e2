import { defineContext } from '../route';

/** Locations, stock levels and movements, threshold alerts and stocktakes. */
export const inventoryContext = defineContext({
  name: 'inventory',
  resources: { mainTable: 'readwrite', idempotencyTable: true, eventBus: true },
  routes: [],
});
