import { seedCatalog } from './seed-catalog';
import { seedChannel } from './seed-channel';
import { seedFinance } from './seed-finance';
import { seedInventory } from './seed-inventory';
import { seedOrders } from './seed-orders';
import { seedStocktakes } from './seed-stocktakes';

/**
 * Demo data of the catalog, inventory, stocktakes and channel contexts, loaded by seed.ts after
 * the dealers on a fresh twin. Each context adds its own loader here.
 */
export interface DemoWorld {
  /** Demo dealers by code, with their ids and regions. */
  dealers: { id: string; code: string; region: string; status: string }[];
}

export const CONTEXT_SEEDS: ((world: DemoWorld) => Promise<void>)[] = [
  // The catalogue first: the other contexts' demo data refers to its SKUs.
  seedCatalog,
  // Warehouses and dealer stores with stock of the catalogue's SKUs.
  seedInventory,
  // After the inventory demo: counts of its warehouses.
  seedStocktakes,
  // After the catalogue (its SKUs) and the inventory context's dealer locations, when present.
  seedChannel,
  // After the catalogue, the warehouses' stock and the dealers: orders in every status.
  seedOrders,
  // After the orders demo (its invoices are `current`): overdue receivables, payments, wallets,
  // payables, credit evaluations and a credit hold.
  seedFinance,
];
