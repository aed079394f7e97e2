import { defineContext } from '../route';

/** Stocktaking: counts per location, variance reports and their approval into stock movements. */
export const stocktakesContext = defineContext({
  name: 'stocktakes',
  resources: { mainTable: 'readwrite', idempotencyTable: true, eventBus: true },
  routes: [],
});
