import type { DomainError } from '../../../domain/shared/errors';
import type { LevelChange } from '../../../domain/inventory/ports';
import { InsufficientStockError, LocationFrozenError, StaleLevelError, type StockMovement } from '../../../domain/inventory/stock';

export { InsufficientStockError, LocationFrozenError, StaleLevelError };
import type { DmsService } from './service';
import type { CancellationReason } from './transaction';

/**
 * THE way to change stock. Every change of a (location, SKU) level is, in one DynamoDB
 * transaction, an atomic ADD on the level item (created when missing) and an append-only
 * movement record; the caller adds its own items (audit record, document, reservation) to the
 * same transaction:
 *
 *   await writeTransaction(
 *     (entities) => [...ledgerWrites(entities, changes, ctx), entities.audit.create(...).commit()],
 *     (reasons) => ledgerFailure(reasons, changes, ctx),
 *   );
 *
 * Items per call: LEDGER_ITEMS_PER_CHANGE (2) per change, plus one condition check per distinct
 * location unless `ignoreFreeze` — see `ledgerItemCount`. DynamoDB allows 100 items per
 * transaction, and one item may appear only once: changes must name distinct (location, SKU).
 * The item order is fixed (level, movement per change; then the location checks), which is how
 * `ledgerFailure` maps cancellation reasons back to changes; pass `offset` when the ledger items
 * do not come first in the transaction.
 */
export interface LedgerChange extends LevelChange {
  /**
   * Default true: the change may not take available (onHand − reserved) below zero — the
   * no-oversell condition `available >= reservedDelta − onHandDelta`, checked only when the
   * change lowers availability. False for postings that record the truth (stocktake variances).
   */
  requireAvailable?: boolean;
}

export interface LedgerContext {
  actorId: string;
  /** ISO instant of the movements. */
  at: string;
  newId(): string;
  /** Skip the "location not frozen" checks: only for the stocktake's own variance postings. */
  ignoreFreeze?: boolean;
  /** Receives each movement record as it is built (the caller's copy of what will be written). */
  onMovement?(movement: StockMovement): void;
}

type WriteBuilder = Parameters<DmsService['transaction']['write']>[0];
/** The entities a transaction builder receives. */
export type TransactionEntities = Parameters<WriteBuilder>[0];
export type TransactionItem = ReturnType<WriteBuilder>[number];

export const LEDGER_ITEMS_PER_CHANGE = 2;

/** How many transaction items `ledgerWrites` produces for these changes. */
export function ledgerItemCount(changes: Pick<LedgerChange, 'locationCode'>[], options: { ignoreFreeze?: boolean } = {}): number {
  const checks = options.ignoreFreeze ? 0 : new Set(changes.map((c) => c.locationCode)).size;
  return changes.length * LEDGER_ITEMS_PER_CHANGE + checks;
}

/** How much availability a change consumes (positive) or adds (negative or zero). */
export function availabilityNeeded(change: Pick<LedgerChange, 'onHandDelta' | 'reservedDelta'>): number {
  return change.reservedDelta - change.onHandDelta;
}

function assertDistinct(changes: LedgerChange[]): void {
  const seen = new Set<string>();
  for (const change of changes) {
    const key = `${change.locationCode}\u0000${change.sku}`;
    if (seen.has(key)) throw new Error(`ledgerWrites: ${change.locationCode}/${change.sku} appears twice; merge the changes first`);
    seen.add(key);
    if (!Number.isInteger(change.onHandDelta) || !Number.isInteger(change.reservedDelta)) {
      throw new Error(`ledgerWrites: quantities are integers (${change.locationCode}/${change.sku})`);
    }
  }
}

function distinctLocations(changes: Pick<LedgerChange, 'locationCode'>[]): string[] {
  return [...new Set(changes.map((c) => c.locationCode))];
}

/** The transaction items for `changes`, in the documented order. */
export function ledgerWrites(entities: TransactionEntities, changes: LedgerChange[], ctx: LedgerContext): TransactionItem[] {
  assertDistinct(changes);
  const items: TransactionItem[] = [];
  for (const change of changes) {
    const needed = availabilityNeeded(change);
    const guardAvailability = change.requireAvailable !== false && needed > 0;
    const level = entities.stockLevel
      .upsert({ locationCode: change.locationCode, sku: change.sku, updatedAt: ctx.at })
      .add({
        onHand: change.onHandDelta,
        reserved: change.reservedDelta,
        available: change.onHandDelta - change.reservedDelta,
        version: 1,
      })
      .where((attr, op) => {
        const clauses: string[] = [];
        if (change.expectedVersion !== undefined) {
          clauses.push(change.expectedVersion === 0 ? op.notExists(attr.version) : op.eq(attr.version, change.expectedVersion));
        }
        // A missing level has nothing available, so the comparison (false on a missing attribute) is right.
        if (guardAvailability) clauses.push(op.gte(attr.available, needed));
        return clauses.join(' AND ');
      })
      .commit();
    const movement: StockMovement = {
      id: ctx.newId(),
      locationCode: change.locationCode,
      sku: change.sku,
      type: change.type,
      onHandDelta: change.onHandDelta,
      reservedDelta: change.reservedDelta,
      ...(change.onHandAfter !== undefined ? { onHandAfter: change.onHandAfter } : {}),
      ...(change.reason ? { reason: change.reason } : {}),
      ...(change.reference ? { reference: change.reference } : {}),
      actorId: ctx.actorId,
      at: ctx.at,
    };
    ctx.onMovement?.(movement);
    items.push(level, entities.stockMovement.create(movement).commit());
  }
  if (!ctx.ignoreFreeze) {
    for (const code of distinctLocations(changes)) {
      items.push(
        entities.location
          .check({ code })
          .where((attr, op) => `${op.exists(attr.code)} AND ${op.notExists(attr.frozenByStocktake)}`)
          .commit(),
      );
    }
  }
  return items;
}

/**
 * Maps the cancellation reasons of a transaction holding `ledgerWrites(…, changes, ctx)` (at
 * `offset`) to the domain error the caller should see: InsufficientStockError (409
 * `insufficient_stock`), StaleLevelError (409 `stock_changed_concurrently`, for changes with
 * `expectedVersion`) or LocationFrozenError (409 `location_frozen`; also a location that does
 * not exist — callers check existence before, so that only happens if it vanished). Undefined
 * when no ledger item failed its condition (the caller explains its own items).
 */
export function ledgerFailure(
  reasons: CancellationReason[],
  changes: LedgerChange[],
  options: { ignoreFreeze?: boolean; offset?: number } = {},
): DomainError | undefined {
  const offset = options.offset ?? 0;
  const failed = (index: number) => reasons[offset + index]?.code === 'ConditionalCheckFailed';
  for (const [i, change] of changes.entries()) {
    if (!failed(i * LEDGER_ITEMS_PER_CHANGE)) continue;
    if (change.expectedVersion !== undefined) return new StaleLevelError(change.locationCode, change.sku);
    return new InsufficientStockError(change.locationCode, change.sku, availabilityNeeded(change));
  }
  if (!options.ignoreFreeze) {
    const base = changes.length * LEDGER_ITEMS_PER_CHANGE;
    for (const [j, code] of distinctLocations(changes).entries()) {
      if (failed(base + j)) return new LocationFrozenError(code);
    }
  }
  return undefined;
}
