import { defineContext } from '../route';

/** Channel inventory: stock levels and sell-out reported by dealers for their own locations. */
export const channelContext = defineContext({
  name: 'channel',
  resources: { mainTable: 'readwrite', idempotencyTable: true, eventBus: false },
  routes: [],
});
