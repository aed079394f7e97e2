import { DEFAULT_CURRENCY } from '../../domain/shared/money';
import type { ProductReader } from '../../domain/catalog/ports';
import type { ThresholdAlerts, UnitPrices } from '../../domain/stocktakes/ports';
import type { DomainEvent } from '../../events/registry';
import { logger } from '../shared/observability';
import { inventoryRuntime } from './inventory-runtime';
import { StocktakeService } from '../../domain/stocktakes/stocktake-service';
import { productRepository } from './dynamo/catalog-product-repository';
import { locationRepository } from './dynamo/location-repository';
import { stockStore } from './dynamo/stock-store';
import { stockBook, stocktakeRepository } from './dynamo/stocktake-repository';

/** Variances are valued at the catalog's list price (products priced in another currency stay unvalued). */
export function listPrices(products: ProductReader, currency = DEFAULT_CURRENCY): UnitPrices {
  return {
    currency,
    async prices(skus) {
      const prices = new Map<string, number>();
      if (skus.length === 0) return prices;
      for (const product of await products.getMany(skus)) {
        if (product.listPrice.currency === currency) prices.set(product.sku, product.listPrice.amount);
      }
      return prices;
    },
  };
}

/** Concurrent settlements after a large approval (each is a read and maybe a conditional write). */
const SETTLE_CONCURRENCY = 8;

/**
 * Threshold alerts through the inventory's own settlement. A failure is logged, not thrown: the
 * approval has committed, and the next movement of the level settles its alerts again.
 */
export const inventoryThresholds: ThresholdAlerts = {
  async settle(locationCode, skus) {
    const events: DomainEvent[] = [];
    try {
      const location = await locationRepository.get(locationCode);
      if (!location) return events;
      // Only levels with a threshold can be (or leave) an alert: one batched read spares the rest.
      const levels = await stockStore.getLevels(skus.map((sku) => ({ locationCode, sku })));
      const queue = levels.filter((l) => l.reorderPoint !== undefined || l.overstockLevel !== undefined).map((l) => l.sku);
      await Promise.all(
        Array.from({ length: Math.min(SETTLE_CONCURRENCY, queue.length) }, async () => {
          for (let sku = queue.shift(); sku !== undefined; sku = queue.shift()) {
            events.push(...(await inventoryRuntime().stock.settle(location, sku)));
          }
        }),
      );
    } catch (error) {
      logger.error('Settling threshold alerts after a stocktake approval failed', { error: error as Error, locationCode });
    }
    return events;
  },
};

/** The stocktakes context's composition: its service over the DynamoDB adapters (see runtime.ts). */
let service: StocktakeService | undefined;

export function stocktakes(): StocktakeService {
  service ??= new StocktakeService(stocktakeRepository, locationRepository, stockBook, listPrices(productRepository), inventoryThresholds);
  return service;
}
