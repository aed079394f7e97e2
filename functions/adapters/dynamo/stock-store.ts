import { monotonicFactory } from 'ulid';
import type { Page } from '../../../domain/dealers/ports';
import type { Location } from '../../../domain/inventory/location';
import type { AlertListFilter, LevelChange, StockAlert, StockStore, StockTransfer } from '../../../domain/inventory/ports';
import { alertStates, crossings, type AlertKind, type StockLevel, type StockMovement } from '../../../domain/inventory/stock';
import { ConflictError, ValidationError, VersionMismatchError } from '../../../domain/shared/errors';
import { auditItem } from './audit-log';
import { decodeCursor, encodeCursor, withClientCursor } from './cursor';
import { dms } from './service';
import { ledgerFailure, ledgerWrites, type LedgerChange } from './stock-ledger';
import { conditionFailed, writeTransaction } from './transaction';

const newMovementId = monotonicFactory();

export function toLevel(item: Record<string, unknown>): StockLevel {
  const { available: _available, ...level } = item as unknown as StockLevel & { available: number };
  return level;
}

function toAlert(item: Record<string, unknown>): StockAlert {
  return item as unknown as StockAlert;
}

interface ListCursor {
  key: string;
  electro: string;
}

function pageOf<T>(list: string, key: string, items: T[], electro: string | null): Page<T> {
  return { items, ...(electro ? { nextCursor: encodeCursor(list, { key, electro }) } : {}) };
}

function resume(list: string, key: string, cursor: string | undefined): string | null {
  if (!cursor) return null;
  const state = decodeCursor<ListCursor>(cursor, list);
  if (state.key !== key) throw new ValidationError('The cursor belongs to a different filter.', [{ path: 'query/cursor', message: 'invalid cursor' }], 'invalid_cursor');
  return state.electro;
}

/** BatchGet takes at most 100 keys per call. */
const BATCH = 100;

type Names = (attribute: 'available' | 'onHand' | 'reorderPoint' | 'overstockLevel') => string;

/** The condition under which a level is in an alert, as a DynamoDB condition on the level item. */
function inAlertCondition(kind: AlertKind, name: Names): string {
  return kind === 'below_reorder_point' ? `${name('available')} < ${name('reorderPoint')}` : `${name('onHand')} > ${name('overstockLevel')}`;
}

function outOfAlertCondition(kind: AlertKind, name: Names): string {
  return kind === 'below_reorder_point'
    ? `(attribute_not_exists(${name('reorderPoint')}) OR ${name('available')} >= ${name('reorderPoint')})`
    : `(attribute_not_exists(${name('overstockLevel')}) OR ${name('onHand')} <= ${name('overstockLevel')})`;
}

/**
 * Lost races are expected: someone else flipped the alert, or the level moved on meanwhile.
 * (Also when contention outlasts the transaction retries: the next movement of the level
 * settles it again, so the alert state converges.)
 */
class AlertRaceLost extends ConflictError {
  constructor() {
    super('alert_race_lost', 'Another change settled this alert first.');
  }
}

export const stockStore: StockStore = {
  async getLevel(locationCode, sku) {
    const result = await dms().entities.stockLevel.get({ locationCode, sku }).go({ consistent: true });
    return result.data ? toLevel(result.data) : undefined;
  },

  async getLevels(keys) {
    const levels: StockLevel[] = [];
    for (let i = 0; i < keys.length; i += BATCH) {
      const result = await dms()
        .entities.stockLevel.get(keys.slice(i, i + BATCH))
        .go({ consistent: true, preserveBatchOrder: false });
      for (const item of result.data) if (item) levels.push(toLevel(item));
    }
    return levels;
  },

  async listByLocation(locationCode, page) {
    const electro = resume('stock_by_location', locationCode, page.cursor);
    const result = await withClientCursor(electro, () =>
      dms().entities.stockLevel.query.byLocation({ locationCode }).go({ count: page.limit, cursor: electro }),
    );
    return pageOf('stock_by_location', locationCode, result.data.map((item) => toLevel(item)), result.cursor);
  },

  async listBySku(sku, page) {
    const electro = resume('stock_by_sku', sku, page.cursor);
    const result = await withClientCursor(electro, () =>
      dms().entities.stockLevel.query.bySku({ sku }).go({ count: page.limit, cursor: electro }),
    );
    return pageOf('stock_by_sku', sku, result.data.map((item) => toLevel(item)), result.cursor);
  },

  async apply(changes: LevelChange[], audit, extra = {}) {
    const movements: StockMovement[] = [];
    const ledger: LedgerChange[] = changes;
    await writeTransaction(
      (entities) => {
        movements.length = 0;
        return [
          ...ledgerWrites(entities, ledger, { actorId: audit.actorId, at: audit.at, newId: newMovementId, onMovement: (m) => movements.push(m) }),
          entities.audit.create(auditItem(audit)).commit(),
          ...(extra.transfer ? [entities.stockTransfer.create(extra.transfer).commit()] : []),
        ];
      },
      (reasons) => ledgerFailure(reasons, ledger),
    );
    return movements;
  },

  async setThresholds(level, expectedVersion, audit) {
    const { locationCode, sku } = level;
    await writeTransaction(
      ({ stockLevel, audit: auditRecords }) => {
        let update = stockLevel
          .patch({ locationCode, sku })
          .set({ updatedAt: level.updatedAt })
          .add({ version: 1 });
        const remove: ('reorderPoint' | 'overstockLevel')[] = [];
        const set: { reorderPoint?: number; overstockLevel?: number } = {};
        for (const field of ['reorderPoint', 'overstockLevel'] as const) {
          if (level[field] === undefined) remove.push(field);
          else set[field] = level[field];
        }
        update = update.set(set);
        if (remove.length) update = update.remove(remove);
        return [update.where((attr, op) => op.eq(attr.version, expectedVersion)).commit(), auditRecords.create(auditItem(audit)).commit()];
      },
      (reasons) => (conditionFailed(reasons, 0) ? new VersionMismatchError('Stock level', `${locationCode}/${sku}`) : undefined),
    );
  },

  async movements(query) {
    const key = `${query.locationCode}/${query.sku}/${query.from ?? ''}/${query.to ?? ''}`;
    const electro = resume('stock_movements', key, query.cursor);
    const base = dms().entities.stockMovement.query.byLevel({ locationCode: query.locationCode, sku: query.sku });
    // Sort keys are `<at>#<id>`: a bound just past `to` makes the range inclusive.
    const ranged =
      query.from && query.to
        ? base.between({ at: query.from }, { at: `${query.to}~` })
        : query.from
          ? base.gte({ at: query.from })
          : query.to
            ? base.lte({ at: `${query.to}~` })
            : base;
    const result = await withClientCursor(electro, () => ranged.go({ order: 'desc', count: query.limit, cursor: electro }));
    return pageOf('stock_movements', key, result.data as unknown as StockMovement[], result.cursor);
  },

  async getTransfer(id) {
    const result = await dms().entities.stockTransfer.get({ id }).go();
    return result.data ? (result.data as unknown as StockTransfer) : undefined;
  },

  async listAlerts(filter: AlertListFilter, page) {
    const entity = dms().entities.stockAlert;
    const key = `${filter.dealerId ?? ''}/${filter.region ?? ''}/${filter.kind ?? ''}`;
    const electro = resume('stock_alerts', key, page.cursor);
    const base = filter.dealerId
      ? entity.query.byDealer({ dealerId: filter.dealerId })
      : filter.region
        ? entity.query.byRegion({ region: filter.region })
        : entity.query.all({});
    const query = base.where((attr, op) => {
      const clauses: string[] = [];
      if (filter.kind) clauses.push(op.eq(attr.kind, filter.kind));
      if (filter.dealerId && filter.region) clauses.push(op.eq(attr.region, filter.region));
      return clauses.join(' AND ');
    });
    const hasFilter = Boolean(filter.kind || (filter.dealerId && filter.region));
    const result = await withClientCursor(electro, () =>
      query.go({ count: page.limit, limit: hasFilter ? Math.min(page.limit * 4, 400) : page.limit, cursor: electro }),
    );
    return pageOf('stock_alerts', key, result.data.map((item) => toAlert(item)), result.cursor);
  },

  async settleAlerts(location: Location, sku: string) {
    const { locationCode } = { locationCode: location.code };
    const levelResult = await dms().entities.stockLevel.get({ locationCode, sku }).go({ consistent: true });
    const level = levelResult.data ? toLevel(levelResult.data) : undefined;
    if (!level) return { raised: [] };
    // Without thresholds there is no alert to raise, and none left to clear: clearing a
    // threshold settles the level itself. Most levels stop here after one read.
    if (level.reorderPoint === undefined && level.overstockLevel === undefined) return { raised: [], level };
    const alertResult = await dms().entities.stockAlert.query.byLevel({ locationCode, sku }).go({ consistent: true });
    const existing = new Set(alertResult.data.map((a) => a.kind));
    const now = alertStates(level);
    const raisedNow = { below_reorder_point: existing.has('below_reorder_point'), above_overstock: existing.has('above_overstock') };
    const raised: StockAlert[] = [];
    for (const { kind, entering } of crossings(raisedNow, now)) {
      const alert: StockAlert = {
        locationCode,
        sku,
        kind,
        region: location.region,
        ...(location.dealerId ? { dealerId: location.dealerId } : {}),
        since: new Date().toISOString(),
      };
      try {
        // The flip is conditional on the level's state at commit time, so a reader that saw a
        // stale level cannot raise (or clear) an alert the level no longer warrants; and the
        // alert item's own condition lets exactly one concurrent writer win each crossing.
        await writeTransaction(
          ({ stockAlert, stockLevel }) => [
            entering ? stockAlert.create(alert).commit() : stockAlert.delete({ locationCode, sku, kind }).where((attr, op) => op.exists(attr.kind)).commit(),
            stockLevel
              .check({ locationCode, sku })
              .where((attr, op) => {
                const name: Names = (attribute) => op.name(attr[attribute]);
                return entering ? inAlertCondition(kind, name) : outOfAlertCondition(kind, name);
              })
              .commit(),
          ],
          () => new AlertRaceLost(),
        );
        if (entering) raised.push(alert);
      } catch (error) {
        if (!(error instanceof AlertRaceLost)) throw error;
      }
    }
    return { raised, level };
  },
};
