import { LocationService } from '../../domain/inventory/location-service';
import type { ReservationPort } from '../../domain/inventory/ports';
import { StockService } from '../../domain/inventory/stock-service';
import { productRepository } from './dynamo/catalog-product-repository';
import { dealerRepository } from './dynamo/dealer-repository';
import { locationRepository } from './dynamo/location-repository';
import { createStockReservations } from './dynamo/stock-reservations';
import { publishEvents } from '../shared/use-case-context';
import { stockStore } from './dynamo/stock-store';

/**
 * The inventory context's composition: which adapter implements each of its ports. Shared
 * services (clock, ids, event publisher) come from runtime(); built on first use.
 */
export interface InventoryRuntime {
  locations: LocationService;
  stock: StockService;
  /** For the orders context: all-or-nothing reservations on the stock ledger. */
  reservations: ReservationPort;
}

let current: InventoryRuntime | undefined;

export function inventoryRuntime(): InventoryRuntime {
  if (current) return current;
  const stock = new StockService(stockStore, locationRepository, productRepository);
  current = {
    locations: new LocationService(locationRepository, dealerRepository),
    stock,
    // Reservations move available stock too: after each one the touched levels' thresholds are
    // settled and the crossings it won are published, like after any other movement.
    reservations: createStockReservations(async (ctx, levels) => publishEvents(ctx, await stock.settleLevels(levels))),
  };
  return current;
}
