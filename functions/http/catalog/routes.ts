import { defineContext } from '../route';

/** Products, price policies and price quotes. */
export const catalogContext = defineContext({
  name: 'catalog',
  resources: { mainTable: 'readwrite', idempotencyTable: true, eventBus: false },
  routes: [],
});
