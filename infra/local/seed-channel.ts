import { resolvePrincipal } from '../../domain/access/principal';
import { BUILT_IN_ROLES } from '../../domain/access/roles';
import type { RequestContext } from '../../domain/audit/audit-entry';
import { addDays, businessDate } from '../../domain/shared/business-date';
import { isDealerLocation, type Location } from '../../domain/inventory/location';
import { channelStock } from '../../functions/adapters/channel-runtime';
import { productRepository } from '../../functions/adapters/dynamo/catalog-product-repository';
import { locationRepository } from '../../functions/adapters/dynamo/location-repository';
import { inventoryRuntime } from '../../functions/adapters/inventory-runtime';
import { runtime } from '../../functions/adapters/runtime';
import type { DemoWorld } from './seed-contexts';

const DEALERS_REPORTING = 8;
const SKUS_PER_STORE = 12;

/** A small deterministic generator, so every fresh twin shows the same demo figures. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** The dealer's own administrator, as the demo's reports come from the dealers themselves. */
function dealerContext(dealerId: string, at: Date): RequestContext {
  const { newId } = runtime();
  const principal = resolvePrincipal(
    { userId: `demo-dealer-admin-${dealerId}`, username: 'demo dealer admin', roles: ['dealer_admin'], regions: [], dealerId },
    [BUILT_IN_ROLES.get('dealer_admin')!],
  );
  return { principal, requestId: `seed-${newId()}`, now: at, newId };
}

/** Reports only take catalog SKUs: the demo uses the catalogue's active products. */
async function demoSkus(): Promise<string[]> {
  const page = await productRepository.list({ status: 'active' }, { limit: 40 });
  return page.items.map((p) => p.sku);
}

/** The dealer's active stores and warehouses; a store is opened for it when it has none. */
async function storesOf(dealer: DemoWorld['dealers'][number], at: Date): Promise<Location[]> {
  const own = (await locationRepository.listByDealer(dealer.id)).filter((l) => isDealerLocation(l) && l.status === 'active');
  if (own.length > 0) return own;
  const store = await inventoryRuntime().locations.create(dealerContext(dealer.id, at), {
    code: `${dealer.code}-MD01`,
    name: `${dealer.code} 旗舰门店`,
    kind: 'dealer_store',
    dealerId: dealer.id,
  });
  return [store];
}

/**
 * Channel inventory demo: the first active dealers report their stores' stock for the last
 * two weeks (each report replacing the previous levels) and a month of sell-out.
 */
export async function seedChannel(world: DemoWorld): Promise<void> {
  const now = runtime().now();
  const today = businessDate(now, process.env.ENTERPRISE_TIME_ZONE ?? 'Asia/Shanghai');
  const skus = await demoSkus();
  if (skus.length === 0) return;
  const random = seeded(20_260_101);
  const dealers = world.dealers.filter((d) => d.status === 'active').slice(0, DEALERS_REPORTING);
  const service = channelStock();
  for (const dealer of dealers) {
    for (const store of (await storesOf(dealer, now)).slice(0, 2)) {
      const assortment = [...skus].sort(() => random() - 0.5).slice(0, SKUS_PER_STORE);
      for (const daysAgo of [14, 7, 1]) {
        const lines = assortment.map((sku) => ({ sku, quantity: Math.floor(random() * 60) + (daysAgo === 1 && random() < 0.15 ? 0 : 2) }));
        await service.report(dealerContext(dealer.id, now), { locationCode: store.code, asOf: addDays(today, -daysAgo), lines });
      }
      const sales = Array.from({ length: 40 }, () => ({
        sku: assortment[Math.floor(random() * assortment.length)]!,
        quantity: Math.floor(random() * 4) + 1,
        soldOn: addDays(today, -Math.floor(random() * 30)),
        customerRef: `RC-${String(Math.floor(random() * 1e6)).padStart(6, '0')}`,
      }));
      await service.recordSellOut(dealerContext(dealer.id, now), { locationCode: store.code, lines: sales });
    }
  }
}
