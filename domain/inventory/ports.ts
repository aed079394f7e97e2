import type { AuditEntry, RequestContext } from '../audit/audit-entry';
import type { Page } from '../dealers/ports';
import type { Location, LocationKind } from './location';
import type { AlertKind, MovementType, StockLevel, StockMovement } from './stock';

export interface LocationListFilter {
  /** Only this dealer's locations. */
  dealerId?: string;
  region?: string;
  kind?: LocationKind;
  status?: Location['status'];
  /** Only enterprise warehouses. */
  enterpriseOnly?: boolean;
  /** Region-scoped staff: warehouses anywhere, dealer locations only in these regions. */
  visibleRegions?: string[];
}

/** Port: location persistence. Every write carries its audit entry into the same transaction. */
export interface LocationRepository {
  getMany(codes: string[]): Promise<Map<string, Location>>;
  /** Throws ConflictError `location_code_taken`. */
  create(location: Location, audit: AuditEntry): Promise<void>;
  /** Throws VersionMismatchError when the stored version is not `expectedVersion`. */
  replace(location: Location, expectedVersion: number, audit: AuditEntry): Promise<void>;
  list(filter: LocationListFilter, page: { limit: number; cursor?: string }): Promise<Page<Location>>;
  isFrozen(code: string): Promise<boolean>;
}

/** One change of one level, as the ledger applies it (see functions/adapters/dynamo/stock-ledger.ts). */
export interface LevelChange {
  locationCode: string;
  sku: string;
  onHandDelta: number;
  reservedDelta: number;
  type: MovementType;
  reason?: string;
  reference?: string;
  /** The level's version the change was computed from (0: the level does not exist yet). */
  expectedVersion?: number;
  /** On-hand after the change, when computed from the read level (kept on the movement). */
  onHandAfter?: number;
}

export interface MovementQuery {
  locationCode: string;
  sku: string;
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
}

export interface StockAlert {
  locationCode: string;
  sku: string;
  kind: AlertKind;
  region: string;
  dealerId?: string;
  since: string;
}

export interface AlertListFilter {
  dealerId?: string;
  region?: string;
  kind?: AlertKind;
}

/** A transfer document: both movements reference its id. */
export interface StockTransfer {
  id: string;
  fromLocationCode: string;
  toLocationCode: string;
  sku: string;
  quantity: number;
  reference?: string;
  note?: string;
  actorId: string;
  at: string;
}

/** Port: stock persistence. Level changes always go through the ledger, one transaction each. */
export interface StockStore {
  getLevel(locationCode: string, sku: string): Promise<StockLevel | undefined>;
  getLevels(keys: { locationCode: string; sku: string }[]): Promise<StockLevel[]>;
  listByLocation(locationCode: string, page: { limit: number; cursor?: string }): Promise<Page<StockLevel>>;
  listBySku(sku: string, page: { limit: number; cursor?: string }): Promise<Page<StockLevel>>;
  /**
   * Applies the changes (levels + movements) and the audit entry in one transaction, plus
   * `transfer` when given. A change with `expectedVersion` fails with StaleLevelError when the level moved on.
   */
  apply(changes: LevelChange[], audit: AuditEntry, extra?: { transfer?: StockTransfer }): Promise<StockMovement[]>;
  setThresholds(level: StockLevel, expectedVersion: number, audit: AuditEntry): Promise<void>;
  movements(query: MovementQuery): Promise<Page<StockMovement>>;
  getTransfer(id: string): Promise<StockTransfer | undefined>;
  listAlerts(filter: AlertListFilter, page: { limit: number; cursor?: string }): Promise<Page<StockAlert>>;
  /**
   * Brings the alert items of a level in line with its current state; returns the alerts this
   * call raised (it won the crossing) so the caller publishes exactly those.
   */
  settleAlerts(location: Location, sku: string): Promise<{ raised: StockAlert[]; level?: StockLevel }>;
}

/** Port for orders: all-or-nothing reservations against available stock. */
export interface ReservationLine {
  locationCode: string;
  sku: string;
  quantity: number;
}

export interface Reservation {
  id: string;
  status: 'active' | 'released' | 'consumed';
  lines: (ReservationLine & { remaining: number })[];
  consumedBy: string[];
  reference?: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface ReservationOptions {
  /** A document the reservation belongs to (an order number), kept on the reservation. */
  reference?: string;
  /** The request or workflow acting (the audit record's actor); a system actor otherwise. */
  ctx?: RequestContext;
}

export interface ReservationPort {
  /**
   * Reserves every line or none (409 insufficient_stock naming the first short line). Retrying
   * with the same id and lines returns the existing reservation.
   */
  reserve(reservationId: string, lines: ReservationLine[], options?: ReservationOptions): Promise<Reservation>;
  /** Gives back what is still reserved. Idempotent: releasing twice changes nothing. */
  release(reservationId: string, options?: ReservationOptions): Promise<Reservation>;
  /**
   * Ships reserved stock (on-hand and reserved both go down). `shipmentId` makes it idempotent:
   * a retry of the same shipment changes nothing.
   */
  consume(reservationId: string, shipmentId: string, lines: ReservationLine[], options?: ReservationOptions): Promise<Reservation>;
  get(reservationId: string): Promise<Reservation | undefined>;
}
