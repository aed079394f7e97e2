import type { Principal } from '../access/principal';
import { listScope } from '../access/object-scope';
import { auditEntry, type RequestContext } from '../audit/audit-entry';
import type { Page } from '../dealers/ports';
import { ConflictError, NotFoundError, ValidationError, VersionMismatchError } from '../shared/errors';
import type { DomainEvent } from '../../events/registry';
import type { Location, LocationReader } from './location';
import { canSeeLocation } from './location-service';
import type { LevelChange, LocationRepository, StockAlert, StockStore, StockTransfer } from './ports';
import type { Adjustment, Receipt, ThresholdChanges, Transfer } from './schemas';
import {
  InsufficientStockError,
  StaleLevelError,
  availableOf,
  stockKey,
  type AlertKind,
  type MovementType,
  type StockLevel,
  type StockMovement,
} from './stock';

/** What the API shows of a level: the stored level plus the derived `available`. */
export interface StockLevelView extends StockLevel {
  available: number;
}

export function levelView(level: StockLevel): StockLevelView {
  return { ...level, available: availableOf(level) };
}

export interface StockChangeResult {
  levels: StockLevelView[];
  movements: StockMovement[];
  transfer?: StockTransfer;
  events: DomainEvent[];
}

export interface AlertView extends StockAlert {
  onHand: number;
  reserved: number;
  available: number;
  reorderPoint?: number;
  overstockLevel?: number;
}

/** What stock needs from the catalog: which SKUs exist (domain/catalog/ports.ts ProductReader fits). */
export interface SkuCatalog {
  getMany(skus: string[]): Promise<{ sku: string }[]>;
}

/** Computing from a read level and writing with its version: how often to re-read on a race. */
const MAX_STALE_RETRIES = 8;

/** The events for the alerts a change raised (only the winner of a crossing gets them). */
export function thresholdEvents(raised: StockAlert[], level: StockLevel | undefined): DomainEvent[] {
  if (!level) return [];
  const place = (alert: StockAlert) => ({
    locationCode: alert.locationCode,
    sku: alert.sku,
    region: alert.region,
    ...(alert.dealerId ? { dealerId: alert.dealerId } : {}),
    onHand: level.onHand,
    reserved: level.reserved,
    available: availableOf(level),
  });
  return raised.flatMap((alert): DomainEvent[] => {
    if (alert.kind === 'below_reorder_point' && level.reorderPoint !== undefined) {
      return [{ type: 'stock.below_reorder_point.v1', detail: { ...place(alert), reorderPoint: level.reorderPoint } }];
    }
    if (alert.kind === 'above_overstock' && level.overstockLevel !== undefined) {
      return [{ type: 'stock.above_overstock.v1', detail: { ...place(alert), overstockLevel: level.overstockLevel } }];
    }
    return [];
  });
}

interface Delta {
  onHandDelta: number;
  reservedDelta: number;
  type: MovementType;
  reason?: string;
  reference?: string;
}

function levelAfter(before: StockLevel | undefined, locationCode: string, sku: string, delta: Delta, at: string): StockLevel {
  const base: StockLevel = before ?? { locationCode, sku, onHand: 0, reserved: 0, version: 0, updatedAt: at };
  return { ...base, onHand: base.onHand + delta.onHandDelta, reserved: base.reserved + delta.reservedDelta, version: base.version + 1, updatedAt: at };
}

function plannedChange(before: StockLevel | undefined, locationCode: string, sku: string, delta: Delta, after: StockLevel): LevelChange {
  const needed = delta.reservedDelta - delta.onHandDelta;
  const available = before ? availableOf(before) : 0;
  if (needed > 0 && available < needed) throw new InsufficientStockError(locationCode, sku, needed, available);
  return {
    locationCode,
    sku,
    onHandDelta: delta.onHandDelta,
    reservedDelta: delta.reservedDelta,
    type: delta.type,
    ...(delta.reason ? { reason: delta.reason } : {}),
    ...(delta.reference ? { reference: delta.reference } : {}),
    expectedVersion: before?.version ?? 0,
    onHandAfter: after.onHand,
  };
}

/**
 * Stock use cases: receipts, adjustments, transfers, thresholds and the reads. API moves are
 * computed from the levels as read and written with their versions (so the audit record holds
 * the exact before/after); a lost race re-reads and retries. Every move then settles the
 * threshold alerts of the levels it touched and reports the crossings it won as events.
 */
export class StockService {
  /** Without `catalog`, any SKU of the right shape can hold stock (tools, benchmarks). */
  constructor(
    private readonly store: StockStore,
    private readonly locations: LocationReader & Pick<LocationRepository, 'getMany'>,
    private readonly catalog?: SkuCatalog,
  ) {}

  /** Goods the catalog does not know cannot be received, adjusted or moved: 400 `unknown_sku`. */
  private async assertKnownSku(sku: string): Promise<void> {
    if (!this.catalog) return;
    const found = await this.catalog.getMany([sku]);
    if (!found.some((p) => p.sku === sku)) {
      throw new ValidationError(`SKU ${sku} is not in the catalog.`, [{ path: 'sku', message: 'unknown SKU', code: 'unknown_sku' }], 'unknown_sku');
    }
  }

  /** A location this principal may see, else 404 — the same answer as for one that does not exist. */
  async visibleLocation(principal: Principal, code: string): Promise<Location> {
    const location = await this.locations.get(code);
    if (!location || !canSeeLocation(principal, location)) throw new NotFoundError('Location', code);
    return location;
  }

  private async movableLocation(principal: Principal, code: string): Promise<Location> {
    const location = await this.visibleLocation(principal, code);
    if (location.status !== 'active') throw new ConflictError('location_inactive', `Location ${code} is inactive; stock does not move there.`);
    return location;
  }

  async receive(ctx: RequestContext, input: Receipt): Promise<StockChangeResult> {
    const location = await this.movableLocation(ctx.principal, input.locationCode);
    await this.assertKnownSku(input.sku);
    return this.changeOne(ctx, location, input.sku, 'stock.received', {
      onHandDelta: input.quantity,
      reservedDelta: 0,
      type: 'receipt',
      ...(input.note ? { reason: input.note } : {}),
      ...(input.reference ? { reference: input.reference } : {}),
    });
  }

  async adjust(ctx: RequestContext, input: Adjustment): Promise<StockChangeResult> {
    const location = await this.movableLocation(ctx.principal, input.locationCode);
    await this.assertKnownSku(input.sku);
    return this.changeOne(ctx, location, input.sku, 'stock.adjusted', {
      onHandDelta: input.quantity,
      reservedDelta: 0,
      type: 'adjustment',
      reason: input.reason,
      ...(input.reference ? { reference: input.reference } : {}),
    });
  }

  private async changeOne(ctx: RequestContext, location: Location, sku: string, action: string, delta: Delta): Promise<StockChangeResult> {
    const at = ctx.now.toISOString();
    for (let attempt = 0; ; attempt += 1) {
      const before = await this.store.getLevel(location.code, sku);
      const after = levelAfter(before, location.code, sku, delta, at);
      const change = plannedChange(before, location.code, sku, delta, after);
      const audit = auditEntry(ctx, action, { type: 'stock_level', id: stockKey(location.code, sku) }, before && levelView(before), levelView(after));
      try {
        const movements = await this.store.apply([change], audit);
        const events = await this.settle(location, sku);
        return { levels: [levelView(after)], movements, events };
      } catch (error) {
        if (error instanceof StaleLevelError && attempt < MAX_STALE_RETRIES) continue;
        throw error;
      }
    }
  }

  /** Both sides, both movements, the transfer document and the audit record: one transaction. */
  async transfer(ctx: RequestContext, input: Transfer): Promise<StockChangeResult> {
    const from = await this.movableLocation(ctx.principal, input.fromLocationCode);
    const to = await this.movableLocation(ctx.principal, input.toLocationCode);
    await this.assertKnownSku(input.sku);
    const at = ctx.now.toISOString();
    const transfer: StockTransfer = {
      id: ctx.newId(),
      fromLocationCode: from.code,
      toLocationCode: to.code,
      sku: input.sku,
      quantity: input.quantity,
      ...(input.reference ? { reference: input.reference } : {}),
      ...(input.note ? { note: input.note } : {}),
      actorId: ctx.principal.userId,
      at,
    };
    const out: Delta = { onHandDelta: -input.quantity, reservedDelta: 0, type: 'transfer_out', reference: transfer.id };
    const into: Delta = { onHandDelta: input.quantity, reservedDelta: 0, type: 'transfer_in', reference: transfer.id };
    for (let attempt = 0; ; attempt += 1) {
      const levels = await this.store.getLevels([
        { locationCode: from.code, sku: input.sku },
        { locationCode: to.code, sku: input.sku },
      ]);
      const fromBefore = levels.find((l) => l.locationCode === from.code);
      const toBefore = levels.find((l) => l.locationCode === to.code);
      const fromAfter = levelAfter(fromBefore, from.code, input.sku, out, at);
      const toAfter = levelAfter(toBefore, to.code, input.sku, into, at);
      const changes = [plannedChange(fromBefore, from.code, input.sku, out, fromAfter), plannedChange(toBefore, to.code, input.sku, into, toAfter)];
      const audit = auditEntry(ctx, 'stock.transferred', { type: 'stock_transfer', id: transfer.id }, undefined, transfer);
      try {
        const movements = await this.store.apply(changes, audit, { transfer });
        const events = [...(await this.settle(from, input.sku)), ...(await this.settle(to, input.sku))];
        return { levels: [levelView(fromAfter), levelView(toAfter)], movements, transfer, events };
      } catch (error) {
        if (error instanceof StaleLevelError && attempt < MAX_STALE_RETRIES) continue;
        throw error;
      }
    }
  }

  async getTransfer(principal: Principal, id: string): Promise<StockTransfer> {
    const transfer = await this.store.getTransfer(id);
    if (!transfer) throw new NotFoundError('Transfer', id);
    const sides = await this.locations.getMany([transfer.fromLocationCode, transfer.toLocationCode]);
    if (![...sides.values()].some((location) => canSeeLocation(principal, location))) throw new NotFoundError('Transfer', id);
    return transfer;
  }

  async getLevel(principal: Principal, locationCode: string, sku: string): Promise<StockLevelView> {
    await this.visibleLocation(principal, locationCode);
    const level = await this.store.getLevel(locationCode, sku);
    if (!level) throw new NotFoundError('Stock level', stockKey(locationCode, sku));
    return levelView(level);
  }

  async setThresholds(ctx: RequestContext, locationCode: string, sku: string, expectedVersion: number, changes: ThresholdChanges): Promise<{ level: StockLevelView; events: DomainEvent[] }> {
    const location = await this.visibleLocation(ctx.principal, locationCode);
    const current = await this.store.getLevel(locationCode, sku);
    if (!current) throw new NotFoundError('Stock level', stockKey(locationCode, sku));
    if (current.version !== expectedVersion) throw new VersionMismatchError('Stock level', stockKey(locationCode, sku));
    const next: StockLevel = { ...current, updatedAt: ctx.now.toISOString(), version: current.version + 1 };
    for (const field of ['reorderPoint', 'overstockLevel'] as const) {
      const value = changes[field];
      if (value === null) delete next[field];
      else if (value !== undefined) next[field] = value;
    }
    if (next.reorderPoint !== undefined && next.overstockLevel !== undefined && next.overstockLevel <= next.reorderPoint) {
      throw new ValidationError('The overstock level must be above the reorder point.', [
        { path: 'overstockLevel', message: `must be greater than the reorder point ${next.reorderPoint}` },
      ]);
    }
    await this.store.setThresholds(next, expectedVersion, auditEntry(ctx, 'stock.thresholds_changed', { type: 'stock_level', id: stockKey(locationCode, sku) }, levelView(current), levelView(next)));
    const events = await this.settle(location, sku);
    return { level: levelView(next), events };
  }

  /** One location's levels (paginated). */
  async listByLocation(principal: Principal, locationCode: string, page: { limit: number; cursor?: string }): Promise<Page<StockLevelView>> {
    await this.visibleLocation(principal, locationCode);
    const result = await this.store.listByLocation(locationCode, page);
    return { ...result, items: result.items.map(levelView) };
  }

  /**
   * One SKU across the locations this principal sees. Dealers read their own locations
   * directly (a handful of keys); staff page through the SKU's index, filtered by visibility.
   */
  async listBySku(principal: Principal, sku: string, page: { limit: number; cursor?: string }): Promise<Page<StockLevelView>> {
    const scope = listScope(principal);
    if (scope.kind === 'dealer') {
      if (!scope.dealerId) return { items: [] };
      const own = await this.locations.listByDealer(scope.dealerId);
      const levels = await this.store.getLevels(own.map((l) => ({ locationCode: l.code, sku })));
      return { items: levels.sort((a, b) => a.locationCode.localeCompare(b.locationCode)).map(levelView) };
    }
    const result = await this.store.listBySku(sku, page);
    if (scope.kind === 'all') return { ...result, items: result.items.map(levelView) };
    const places = await this.locations.getMany(result.items.map((l) => l.locationCode));
    const visible = result.items.filter((level) => {
      const location = places.get(level.locationCode);
      return location !== undefined && canSeeLocation(principal, location);
    });
    return { ...result, items: visible.map(levelView) };
  }

  async movements(
    principal: Principal,
    query: { locationCode: string; sku: string; from?: string; to?: string; limit: number; cursor?: string },
  ): Promise<Page<StockMovement>> {
    await this.visibleLocation(principal, query.locationCode);
    return this.store.movements(query);
  }

  /** What is below its reorder point or above its overstock level now, within the principal's scope. */
  async listAlerts(principal: Principal, filter: { kind?: AlertKind; region?: string }, page: { limit: number; cursor?: string }): Promise<Page<AlertView>> {
    const scope = listScope(principal);
    let result: Page<StockAlert>;
    if (scope.kind === 'dealer') {
      if (!scope.dealerId) return { items: [] };
      result = await this.store.listAlerts({ ...filter, dealerId: scope.dealerId }, page);
    } else {
      result = await this.store.listAlerts(filter, page);
      if (scope.kind === 'regions') {
        result = { ...result, items: result.items.filter((a) => !a.dealerId || scope.regions.includes(a.region)) };
      }
    }
    const levels = await this.store.getLevels(result.items.map((a) => ({ locationCode: a.locationCode, sku: a.sku })));
    const byKey = new Map(levels.map((l) => [`${l.locationCode}/${l.sku}`, l]));
    const items = result.items.flatMap((alert): AlertView[] => {
      const level = byKey.get(`${alert.locationCode}/${alert.sku}`);
      if (!level) return [];
      return [
        {
          ...alert,
          onHand: level.onHand,
          reserved: level.reserved,
          available: availableOf(level),
          ...(level.reorderPoint !== undefined ? { reorderPoint: level.reorderPoint } : {}),
          ...(level.overstockLevel !== undefined ? { overstockLevel: level.overstockLevel } : {}),
        },
      ];
    });
    return { ...result, items };
  }

  /**
   * Settles the alerts of several levels after a change made elsewhere (the reservation port).
   * One batch read finds the levels that have thresholds; only those are settled.
   */
  async settleLevels(keys: { locationCode: string; sku: string }[]): Promise<DomainEvent[]> {
    const watched = (await this.store.getLevels(keys)).filter((l) => l.reorderPoint !== undefined || l.overstockLevel !== undefined);
    if (watched.length === 0) return [];
    const places = await this.locations.getMany(watched.map((l) => l.locationCode));
    const events: DomainEvent[] = [];
    for (const level of watched) {
      const location = places.get(level.locationCode);
      if (location) events.push(...(await this.settle(location, level.sku)));
    }
    return events;
  }

  /** Settles the alerts of one level after a change; the crossings this call won become events. */
  async settle(location: Location, sku: string): Promise<DomainEvent[]> {
    const { raised, level } = await this.store.settleAlerts(location, sku);
    return thresholdEvents(raised, level);
  }
}
