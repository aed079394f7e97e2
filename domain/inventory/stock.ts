import { ConflictError } from '../shared/errors';

/**
 * Stock per (location, SKU). Quantities are integers in the product's unit of measure.
 * `available` = onHand − reserved is what can still be promised; it is never pushed below zero
 * by an ordinary movement (the only exception is a stocktake variance, which records the truth).
 */
export interface StockLevel {
  locationCode: string;
  sku: string;
  onHand: number;
  reserved: number;
  /** Replenish when available stock falls below this. */
  reorderPoint?: number;
  /** Too much stock when on-hand rises above this. */
  overstockLevel?: number;
  version: number;
  updatedAt: string;
}

export function availableOf(level: Pick<StockLevel, 'onHand' | 'reserved'>): number {
  return level.onHand - level.reserved;
}

export const MOVEMENT_TYPES = [
  'receipt',
  'adjustment',
  'transfer_out',
  'transfer_in',
  'reservation',
  'release',
  'shipment',
  'stocktake_variance',
] as const;
export type MovementType = (typeof MOVEMENT_TYPES)[number];

/** Append-only: one per change of a level, written in the same transaction as the level. */
export interface StockMovement {
  id: string;
  locationCode: string;
  sku: string;
  type: MovementType;
  onHandDelta: number;
  reservedDelta: number;
  /** Known when the change was computed from a read level (API moves); absent on the hot reservation path. */
  onHandAfter?: number;
  reason?: string;
  /** A document number the movement belongs to: receipt note, transfer id, reservation id, stocktake id. */
  reference?: string;
  actorId: string;
  at: string;
}

/** The movements of a level sum to the level: the invariant every test of the ledger checks. */
export function sumMovements(movements: Pick<StockMovement, 'onHandDelta' | 'reservedDelta'>[]): { onHand: number; reserved: number } {
  return movements.reduce((sum, m) => ({ onHand: sum.onHand + m.onHandDelta, reserved: sum.reserved + m.reservedDelta }), { onHand: 0, reserved: 0 });
}

/** 409 `insufficient_stock`: the change would promise more than is available. */
export class InsufficientStockError extends ConflictError {
  constructor(
    readonly locationCode: string,
    readonly sku: string,
    readonly requested: number,
    readonly available?: number,
  ) {
    super(
      'insufficient_stock',
      available === undefined
        ? `Not enough stock of ${sku} at ${locationCode} for ${requested}.`
        : `Not enough stock of ${sku} at ${locationCode}: ${requested} requested, ${available} available.`,
    );
  }
}

/** 409 `location_frozen`: a stocktake froze the location; movements wait until the count closes. */
export class LocationFrozenError extends ConflictError {
  constructor(readonly locationCode: string) {
    super('location_frozen', `Location ${locationCode} is frozen by a stocktake; stock cannot move there until the count closes.`);
  }
}

/**
 * 409 `stock_changed_concurrently`: a change computed from a read level lost a race (the level
 * moved on before the write). Services re-read and retry; a client only sees it when the level
 * is extremely hot.
 */
export class StaleLevelError extends ConflictError {
  constructor(locationCode: string, sku: string) {
    super('stock_changed_concurrently', `Stock of ${sku} at ${locationCode} changed while this request was being processed; try again.`);
  }
}

// ── thresholds ───────────────────────────────────────────────────────────────

export const ALERT_KINDS = ['below_reorder_point', 'above_overstock'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/**
 * Which alerts a level is in right now: available below the reorder point, or on-hand above the
 * overstock level. A threshold that is not set never alerts.
 */
export function alertStates(level: Pick<StockLevel, 'onHand' | 'reserved' | 'reorderPoint' | 'overstockLevel'>): Record<AlertKind, boolean> {
  return {
    below_reorder_point: level.reorderPoint !== undefined && availableOf(level) < level.reorderPoint,
    above_overstock: level.overstockLevel !== undefined && level.onHand > level.overstockLevel,
  };
}

/**
 * A crossing is a change of alert state. Only entering an alert is announced (an event per
 * crossing, not per movement); leaving it just re-arms the alert for the next crossing.
 */
export function crossings(raised: Record<AlertKind, boolean>, now: Record<AlertKind, boolean>): { kind: AlertKind; entering: boolean }[] {
  return ALERT_KINDS.filter((kind) => raised[kind] !== now[kind]).map((kind) => ({ kind, entering: now[kind] }));
}

/** The key of one level, as used in audit entity ids and error messages. */
export function stockKey(locationCode: string, sku: string): string {
  return `${locationCode}/${sku}`;
}
