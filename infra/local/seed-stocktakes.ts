import { locationRepository } from '../../functions/adapters/dynamo/location-repository';
import { stockBook } from '../../functions/adapters/dynamo/stocktake-repository';
import { stocktakes } from '../../functions/adapters/stocktakes-runtime';
import { publishEvents } from '../../functions/shared/use-case-context';
import { seedContext } from './seed-context';
import type { DemoWorld } from './seed-contexts';

/**
 * Stocktake demo, after the inventory demo: an approved count of the Beijing warehouse (a few
 * shortages and one overage posted as variance movements) and a count of the Chengdu warehouse
 * still in progress (half its lines counted, unfrozen so the demo keeps moving stock there).
 * Skipped when those warehouses are not in the demo data.
 */
export async function seedStocktakes(_world: DemoWorld): Promise<void> {
  const service = stocktakes();

  if (await locationRepository.get('WH-BJ-01')) {
    const opened = await service.open(seedContext('warehouse'), { locationCode: 'WH-BJ-01', freeze: true, note: '2026 年第一季度全面盘点 Q1 full count' });
    const book = await stockBook.levelsAt('WH-BJ-01');
    const lines = book.map(({ sku, book: onHand }, i) => ({ sku, quantity: i % 11 === 3 ? Math.max(0, onHand - 2) : i === 5 ? onHand + 1 : onHand }));
    let version = opened.version;
    for (let i = 0; i < lines.length; i += 1000) {
      ({ stocktake: { version } } = await service.count(seedContext('warehouse'), opened.id, { lines: lines.slice(i, i + 1000), note: '初盘 first count' }));
    }
    if (lines.length > 0) {
      const ctx = seedContext('finance');
      const { events } = await service.approve(ctx, opened.id, version, { uncounted: 'reject', note: '差异已复核 variances reviewed' });
      await publishEvents(ctx, events);
    }
  }

  if (await locationRepository.get('WH-CD-01')) {
    const opened = await service.open(seedContext('warehouse'), { locationCode: 'WH-CD-01', freeze: false, note: '循环盘点 cycle count in progress' });
    const book = await stockBook.levelsAt('WH-CD-01');
    const half = book.slice(0, Math.ceil(book.length / 2)).map(({ sku, book: onHand }, i) => ({ sku, quantity: i % 7 === 2 ? onHand + 3 : onHand }));
    if (half.length > 0) await service.count(seedContext('warehouse'), opened.id, { lines: half, note: 'A 区货架 aisle A' });
  }
}
