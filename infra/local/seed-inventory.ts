import { inventoryRuntime } from '../../functions/adapters/inventory-runtime';
import { publishEvents } from '../../functions/shared/use-case-context';
import { demoProducts } from './seed-catalog';
import { seedContext } from './seed-context';
import type { DemoWorld } from './seed-contexts';

/** The enterprise's distribution centres; the first two carry the full range. */
const WAREHOUSES = [
  { code: 'WH-SH-01', name: '上海中心仓 Shanghai DC', region: 'CN-EAST', province: '上海市', city: '上海', street: '嘉定区安亭镇墨玉路 888 号', fullRange: true },
  { code: 'WH-GZ-01', name: '广州中心仓 Guangzhou DC', region: 'CN-SOUTH', province: '广东省', city: '广州', street: '黄埔区开创大道 2 号', fullRange: true },
  { code: 'WH-BJ-01', name: '北京区域仓 Beijing RDC', region: 'CN-NORTH', province: '北京市', city: '北京', street: '大兴区京开路 66 号', fullRange: false },
  { code: 'WH-CD-01', name: '成都区域仓 Chengdu RDC', region: 'CN-WEST', province: '四川省', city: '成都', street: '双流区物联大道 9 号', fullRange: false },
] as const;

/** A fixed pseudo-random sequence, so every fresh twin shows the same demo stock. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * Inventory demo: four warehouses with stock of the catalogue (receipts through the ledger, so
 * every level has its movements), reorder points and overstock levels, a few SKUs already below
 * their reorder point (and one above its overstock level), and the first active dealers' own
 * stores, stocked by transfers from their region's warehouse.
 */
export async function seedInventory(world: DemoWorld): Promise<void> {
  const { locations, stock } = inventoryRuntime();
  const random = seeded(20_260_303);
  const skus = demoProducts()
    .filter((p) => p.status === 'active')
    .map((p) => p.sku);

  for (const { fullRange, ...warehouse } of WAREHOUSES) {
    await locations.create(seedContext('warehouse'), { ...warehouse, kind: 'warehouse' });
    const range = fullRange ? skus : skus.filter((_, i) => i % 4 === 0);
    for (const [i, sku] of range.entries()) {
      const quantity = 20 + Math.floor(random() * 300);
      const { levels } = await stock.receive(seedContext('warehouse'), { locationCode: warehouse.code, sku, quantity, reference: `PO-2026-${String(i + 1).padStart(5, '0')}` });
      const level = levels[0]!;
      // Roughly every ninth SKU is short: its reorder point sits above what is on hand.
      const short = i % 9 === 4;
      const reorderPoint = short ? quantity + 10 + Math.floor(random() * 40) : Math.max(10, Math.floor(quantity * 0.2));
      const overstockLevel = i === 7 ? quantity - 5 : Math.max(reorderPoint + 50, quantity * 2);
      const ctx = seedContext('warehouse');
      const { events } = await stock.setThresholds(ctx, warehouse.code, sku, level.version, { reorderPoint, overstockLevel });
      await publishEvents(ctx, events);
    }
  }

  // Dealer stores, stocked from their region's warehouse (or the Shanghai DC).
  const dealers = world.dealers.filter((d) => d.status === 'active').slice(0, 6);
  for (const dealer of dealers) {
    const store = await locations.create(seedContext('warehouse'), {
      code: `${dealer.code}-MD01`,
      name: `${dealer.code} 旗舰门店 flagship store`,
      kind: 'dealer_store',
      dealerId: dealer.id,
    });
    const source = WAREHOUSES.find((w) => w.region === dealer.region && w.fullRange)?.code ?? 'WH-SH-01';
    for (let k = 0; k < 6; k += 1) {
      const sku = skus[Math.floor(random() * skus.length)]!;
      const ctx = seedContext('warehouse');
      try {
        const { events } = await stock.transfer(ctx, { fromLocationCode: source, toLocationCode: store.code, sku, quantity: 1 + Math.floor(random() * 5), reference: `TR-DEMO-${dealer.code}-${k + 1}` });
        await publishEvents(ctx, events);
      } catch {
        // The same SKU drawn twice with too little left: the demo simply skips it.
      }
    }
  }
}
