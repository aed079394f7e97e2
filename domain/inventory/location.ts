import type { DealerOwned } from '../access/object-scope';

/**
 * Where stock is held: the enterprise's warehouses, and dealers' own stores and warehouses
 * (channel inventory). A dealer location carries its dealer and that dealer's region, so
 * object-level rules (domain/access/object-scope.ts) apply to it like to the dealer itself.
 */
export const LOCATION_KINDS = ['warehouse', 'dealer_store', 'dealer_warehouse'] as const;
export type LocationKind = (typeof LOCATION_KINDS)[number];

export interface Location {
  /** Unique, upper case, e.g. `WH-SH-01` or `D-0012-STORE1`. */
  code: string;
  name: string;
  kind: LocationKind;
  /** Set for dealer locations (kind dealer_*), absent for enterprise warehouses. */
  dealerId?: string;
  region: string;
  province?: string;
  city?: string;
  street?: string;
  status: 'active' | 'inactive';
  createdAt: string;
  updatedAt: string;
  version: number;
}

export function isDealerLocation(location: Location): boolean {
  return location.kind !== 'warehouse';
}

/** The object-level view of a location: enterprise warehouses belong to no dealer. */
export function locationOwnership(location: Location): DealerOwned | undefined {
  return location.dealerId ? { dealerId: location.dealerId, region: location.region } : undefined;
}

/** Port: location lookups other contexts (channel inventory, orders) rely on. */
export interface LocationReader {
  get(code: string): Promise<Location | undefined>;
  /** All locations of one dealer. */
  listByDealer(dealerId: string): Promise<Location[]>;
}
