import type { Page, PostingContext, StockBook, StocktakeListFilter, StocktakeRepository } from '../../../domain/stocktakes/ports';
import type { CountBatch, SnapshotLine, Stocktake } from '../../../domain/stocktakes/stocktake';
import { postingsPerTransaction, type Posting } from '../../../domain/stocktakes/variance';
import { ConflictError, DomainError, NotFoundError, ValidationError, VersionMismatchError } from '../../../domain/shared/errors';
import { LocationFrozenError } from '../../../domain/inventory/stock';
import { auditItem } from './audit-log';
import { decodeCursor, encodeCursor, withClientCursor } from './cursor';
import { dms } from './service';
import { LEDGER_ITEMS_PER_CHANGE, ledgerWrites, type LedgerChange } from './stock-ledger';
import { conditionFailed, writeTransaction } from './transaction';

/** Lines per snapshot sheet item (~30 KB each). */
export const SNAPSHOT_SHEET_LINES = 1_000;
/** Items of the open transaction besides the sheets: stocktake, lock, location, audit. */
const OPEN_FIXED_ITEMS = 4;
const MAX_SNAPSHOT_LINES = (100 - OPEN_FIXED_ITEMS) * SNAPSHOT_SHEET_LINES;
/** BatchGet takes at most 100 keys per call. */
const BATCH_GET = 100;

/** A chunk of postings that met a line already posted: nothing of it was written. */
class AlreadyPosted extends DomainError {
  constructor() {
    super('conflict', 'already_posted', 'A line of this chunk is already posted.');
  }
}

function toStocktake(item: Record<string, unknown>): Stocktake {
  return Object.fromEntries(Object.entries(item).filter(([, v]) => v !== undefined && v !== null)) as unknown as Stocktake;
}

function closedOrChanged(id: string): DomainError {
  return new VersionMismatchError('Stocktake', id);
}

/** Sheets of the snapshot: compact tuples keep the items small. */
function sheetsOf(stocktakeId: string, snapshot: SnapshotLine[]) {
  const sheets: { stocktakeId: string; sheet: number; lines: [string, number][] }[] = [];
  for (let i = 0; i < snapshot.length; i += SNAPSHOT_SHEET_LINES) {
    sheets.push({ stocktakeId, sheet: sheets.length + 1, lines: snapshot.slice(i, i + SNAPSHOT_SHEET_LINES).map((l) => [l.sku, l.book]) });
  }
  return sheets;
}

interface StocktakeCursor {
  index: 'byLocation' | 'byDealer' | 'all';
  key?: string;
  status?: string;
  regions?: string;
  electro: string;
}

export const stocktakeRepository: StocktakeRepository = {
  async get(id) {
    const result = await dms().entities.stocktake.get({ id }).go({ consistent: true });
    return result.data ? toStocktake(result.data) : undefined;
  },

  async open(stocktake, snapshot, audit) {
    if (snapshot.length > MAX_SNAPSHOT_LINES) {
      throw new ConflictError('stocktake_too_large', `A stocktake holds at most ${MAX_SNAPSHOT_LINES} lines; count this location in parts (skus).`);
    }
    const sheets = sheetsOf(stocktake.id, snapshot);
    await writeTransaction(
      ({ stocktake: stocktakes, stocktakeLock, stocktakeSheet, location, audit: auditRecords }) => [
        stocktakes.create(stocktake).commit(),
        stocktakeLock.create({ lockedLocation: stocktake.locationCode, stocktakeId: stocktake.id }).commit(),
        stocktake.freeze
          ? location
              .patch({ code: stocktake.locationCode })
              .set({ frozenByStocktake: stocktake.id })
              .where((attr, op) => op.notExists(attr.frozenByStocktake))
              .commit()
          : location
              .check({ code: stocktake.locationCode })
              .where((attr, op) => op.exists(attr.code))
              .commit(),
        auditRecords.create(auditItem(audit)).commit(),
        ...sheets.map((sheet) => stocktakeSheet.create(sheet).commit()),
      ],
      (reasons) => {
        if (conditionFailed(reasons, 1)) {
          return new ConflictError('stocktake_already_open', `Location ${stocktake.locationCode} already has an open stocktake; approve or cancel it first.`);
        }
        if (conditionFailed(reasons, 2)) return stocktake.freeze ? new LocationFrozenError(stocktake.locationCode) : new NotFoundError('Location', stocktake.locationCode);
        return undefined;
      },
    );
  },

  async snapshot(id) {
    const result = await dms().entities.stocktakeSheet.query.byStocktake({ stocktakeId: id }).go({ pages: 'all', consistent: true });
    return result.data
      .sort((a, b) => a.sheet - b.sheet)
      .flatMap((sheet) => (sheet.lines as [string, number][]).map(([sku, book]) => ({ sku, book })));
  },

  async batches(id) {
    const result = await dms().entities.stocktakeCount.query.byStocktake({ stocktakeId: id }).go({ pages: 'all', consistent: true });
    return result.data
      .map((item): CountBatch => ({
        seq: item.seq,
        id: item.id,
        lines: (item.lines as [string, number, number][]).map(([sku, counted, bookAtCount]) => ({ sku, counted, bookAtCount })),
        countedAt: item.countedAt,
        countedBy: item.countedBy,
        requestId: item.requestId,
        ...(item.note ? { note: item.note } : {}),
      }))
      .sort((a, b) => a.seq - b.seq);
  },

  async addBatch(next, expectedVersion, batch, audit) {
    await writeTransaction(
      ({ stocktake: stocktakes, stocktakeCount, audit: auditRecords }) => [
        stocktakes
          .put(next)
          .where((attr, op) => `${op.eq(attr.version, expectedVersion)} AND (${op.eq(attr.status, 'open')} OR ${op.eq(attr.status, 'counting')})`)
          .commit(),
        stocktakeCount
          .create({
            stocktakeId: next.id,
            seq: batch.seq,
            id: batch.id,
            lines: batch.lines.map((l) => [l.sku, l.counted, l.bookAtCount]),
            countedAt: batch.countedAt,
            countedBy: batch.countedBy,
            requestId: batch.requestId,
            ...(batch.note ? { note: batch.note } : {}),
          })
          .commit(),
        auditRecords.create(auditItem(audit)).commit(),
      ],
      (reasons) => (conditionFailed(reasons, 0) || conditionFailed(reasons, 1) ? closedOrChanged(next.id) : undefined),
    );
  },

  async beginApproval(id, expectedVersion, uncounted) {
    await writeTransaction(
      ({ stocktake: stocktakes }) => [
        stocktakes
          .patch({ id })
          .set({ status: 'approving', uncountedPolicy: uncounted })
          .where((attr, op) => `${op.eq(attr.version, expectedVersion)} AND ${op.eq(attr.status, 'counting')}`)
          .commit(),
      ],
      (reasons) => (conditionFailed(reasons, 0) ? closedOrChanged(id) : undefined),
    );
  },

  async postedSkus(id) {
    const result = await dms()
      .entities.stocktakePosting.query.byStocktake({ stocktakeId: id })
      .go({ pages: 'all', consistent: true, attributes: ['sku'] });
    return new Set(result.data.map((item) => item.sku));
  },

  postingsPerChunk: postingsPerTransaction(LEDGER_ITEMS_PER_CHANGE, 0),

  async postChunk(stocktake: Stocktake, postings: Posting[], ctx: PostingContext) {
    const changes: LedgerChange[] = postings.map((p) => ({
      locationCode: stocktake.locationCode,
      sku: p.sku,
      onHandDelta: p.delta,
      reservedDelta: 0,
      type: 'stocktake_variance',
      reason: `stocktake: counted ${p.counted}, book ${p.bookAtCount}`,
      reference: stocktake.id,
      // A variance records the truth, even when it leaves less available than is reserved.
      requireAvailable: false,
    }));
    const ledgerItems = changes.length * LEDGER_ITEMS_PER_CHANGE;
    try {
      await writeTransaction(
        (entities) => {
          const movementIds: string[] = [];
          const ledger = ledgerWrites(entities, changes, {
            actorId: ctx.actorId,
            at: ctx.at,
            newId: ctx.newId,
            ignoreFreeze: true,
            onMovement: (movement) => movementIds.push(movement.id),
          });
          return [
            ...ledger,
            ...postings.map((p, i) =>
              entities.stocktakePosting.create({ stocktakeId: stocktake.id, sku: p.sku, delta: p.delta, movementId: movementIds[i]!, postedAt: ctx.at }).commit(),
            ),
            entities.stocktake
              .check({ id: stocktake.id })
              .where((attr, op) => op.eq(attr.status, 'approving'))
              .commit(),
          ];
        },
        (reasons) => {
          if (postings.some((_, i) => conditionFailed(reasons, ledgerItems + i))) return new AlreadyPosted();
          if (conditionFailed(reasons, ledgerItems + postings.length)) {
            return new ConflictError('stocktake_not_approving', `Stocktake ${stocktake.id} is no longer being approved.`);
          }
          return undefined;
        },
      );
      return true;
    } catch (error) {
      if (error instanceof AlreadyPosted) return false;
      throw error;
    }
  },

  async finishApproval(next, audit) {
    await writeTransaction(
      (entities) => [
        entities.stocktake
          .put(next)
          .where((attr, op) => `${op.eq(attr.version, next.version - 1)} AND ${op.eq(attr.status, 'approving')}`)
          .commit(),
        ...closeWrites(entities, next),
        entities.audit.create(auditItem(audit)).commit(),
      ],
      (reasons) => (conditionFailed(reasons, 0) ? closedOrChanged(next.id) : undefined),
    );
  },

  async cancel(next, expectedVersion, audit) {
    await writeTransaction(
      (entities) => [
        entities.stocktake
          .put(next)
          .where((attr, op) => `${op.eq(attr.version, expectedVersion)} AND (${op.eq(attr.status, 'open')} OR ${op.eq(attr.status, 'counting')})`)
          .commit(),
        ...closeWrites(entities, next),
        entities.audit.create(auditItem(audit)).commit(),
      ],
      (reasons) => (conditionFailed(reasons, 0) ? closedOrChanged(next.id) : undefined),
    );
  },

  async list(filter: StocktakeListFilter, page: { limit: number; cursor?: string }): Promise<Page<Stocktake>> {
    const entity = dms().entities.stocktake;
    const index: StocktakeCursor['index'] = filter.locationCode ? 'byLocation' : filter.dealerId ? 'byDealer' : 'all';
    const key = filter.locationCode ?? filter.dealerId;
    const cursor = page.cursor ? decodeCursor<StocktakeCursor>(page.cursor, 'stocktakes') : undefined;
    const regions = filter.visibleRegions?.join(',');
    if (cursor && (cursor.index !== index || cursor.key !== key || cursor.status !== filter.status || cursor.regions !== regions || typeof cursor.electro !== 'string')) {
      throw new ValidationError('The cursor belongs to a different filter.', [{ path: 'query/cursor', message: 'invalid cursor' }], 'invalid_cursor');
    }
    const base =
      index === 'byLocation'
        ? entity.query.byLocation({ locationCode: filter.locationCode! })
        : index === 'byDealer'
          ? entity.query.byDealer({ dealerId: filter.dealerId! })
          : entity.query.all({});
    const hasFilter = Boolean(filter.status || (filter.locationCode && filter.dealerId) || filter.visibleRegions);
    const query = base.where((attr, op) => {
      const clauses: string[] = [];
      if (filter.status) clauses.push(op.eq(attr.status, filter.status));
      if (filter.locationCode && filter.dealerId) clauses.push(op.eq(attr.dealerId, filter.dealerId));
      if (filter.visibleRegions) {
        clauses.push(`(${[op.notExists(attr.dealerId), ...filter.visibleRegions.map((r) => op.eq(attr.region, r))].join(' OR ')})`);
      }
      return clauses.join(' AND ');
    });
    const result = await withClientCursor(cursor?.electro, () =>
      query.go({ order: 'desc', count: page.limit, limit: hasFilter ? Math.min(page.limit * 4, 400) : page.limit, cursor: cursor?.electro ?? null }),
    );
    return {
      items: result.data.map((item) => toStocktake(item)),
      ...(result.cursor
        ? {
            nextCursor: encodeCursor('stocktakes', {
              index,
              ...(key ? { key } : {}),
              ...(filter.status ? { status: filter.status } : {}),
              ...(regions !== undefined ? { regions } : {}),
              electro: result.cursor,
            }),
          }
        : {}),
    };
  },
};

type Entities = Parameters<Parameters<ReturnType<typeof dms>['transaction']['write']>[0]>[0];

/** Closing a count: the location's lock goes, and its freeze if this count set it. */
function closeWrites(entities: Entities, stocktake: Stocktake) {
  return [
    entities.stocktakeLock
      .delete({ lockedLocation: stocktake.locationCode })
      .where((attr, op) => op.eq(attr.stocktakeId, stocktake.id))
      .commit(),
    ...(stocktake.freeze
      ? [
          entities.location
            .patch({ code: stocktake.locationCode })
            .remove(['frozenByStocktake'])
            .where((attr, op) => op.eq(attr.frozenByStocktake, stocktake.id))
            .commit(),
        ]
      : []),
  ];
}

/** The ledger's book quantities, read strongly consistent. */
export const stockBook: StockBook = {
  async levelsAt(locationCode) {
    const result = await dms()
      .entities.stockLevel.query.byLocation({ locationCode })
      .go({ pages: 'all', consistent: true, attributes: ['sku', 'onHand'] });
    return result.data.map((item) => ({ sku: item.sku, book: item.onHand }));
  },

  async onHand(locationCode, skus) {
    const found = new Map<string, number>();
    let pending = [...new Set(skus)].map((sku) => ({ locationCode, sku }));
    while (pending.length > 0) {
      const keys = pending;
      pending = [];
      for (let i = 0; i < keys.length; i += BATCH_GET) {
        const result = await dms()
          .entities.stockLevel.get(keys.slice(i, i + BATCH_GET))
          .go({ consistent: true, preserveBatchOrder: false, attributes: ['sku', 'onHand'] });
        for (const item of result.data) if (item) found.set(item.sku, item.onHand);
        pending.push(...(result.unprocessed as { locationCode: string; sku: string }[]));
      }
    }
    return found;
  },
};
