import { Entity } from 'electrodb';
import { STOCKTAKE_STATUSES, UNCOUNTED_POLICIES } from '../../../../../domain/stocktakes/stocktake';

/**
 * The stocktake header. Access patterns: by id (main index); a location's stocktakes, newest
 * first (gsi1); a dealer's (gsi2, sparse: only counts at dealer locations); all (gsi3, one
 * partition — stocktakes are a few per location and month). Status is a filter on these.
 */
export const StocktakeEntity = new Entity({
  model: { entity: 'stocktake', version: '1', service: 'dms' },
  attributes: {
    id: { type: 'string', required: true, readOnly: true },
    locationCode: { type: 'string', required: true, readOnly: true },
    region: { type: 'string', required: true },
    dealerId: { type: 'string', readOnly: true },
    status: { type: STOCKTAKE_STATUSES, required: true },
    freeze: { type: 'boolean', required: true },
    scope: { type: ['full', 'partial'] as const, required: true },
    lineCount: { type: 'number', required: true },
    countBatches: { type: 'number', required: true },
    linesSubmitted: { type: 'number', required: true },
    note: { type: 'string' },
    openedAt: { type: 'string', required: true },
    openedBy: { type: 'string', required: true },
    lastCountedAt: { type: 'string' },
    approvedAt: { type: 'string' },
    approvedBy: { type: 'string' },
    uncountedPolicy: { type: UNCOUNTED_POLICIES },
    varianceMovements: { type: 'number' },
    cancelledAt: { type: 'string' },
    cancelledBy: { type: 'string' },
    cancelReason: { type: 'string' },
    updatedAt: { type: 'string', required: true },
    version: { type: 'number', required: true },
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['id'], casing: 'none' },
      sk: { field: 'sk', composite: [] },
    },
    byLocation: {
      index: 'gsi1',
      pk: { field: 'gsi1pk', composite: ['locationCode'], casing: 'none' },
      sk: { field: 'gsi1sk', composite: ['id'], casing: 'none' },
    },
    byDealer: {
      index: 'gsi2',
      pk: { field: 'gsi2pk', composite: ['dealerId'], casing: 'none' },
      sk: { field: 'gsi2sk', composite: ['id'], casing: 'none' },
    },
    all: {
      index: 'gsi3',
      pk: { field: 'gsi3pk', composite: [] },
      sk: { field: 'gsi3sk', composite: ['id'], casing: 'none' },
    },
  },
});

/**
 * The book quantities at open, in sheets of up to SNAPSHOT_SHEET_LINES lines (one item each,
 * far below 400 KB), so opening even a large location is one transaction.
 */
export const StocktakeSheetEntity = new Entity({
  model: { entity: 'stocktake_sheet', version: '1', service: 'dms' },
  attributes: {
    stocktakeId: { type: 'string', required: true, readOnly: true },
    sheet: { type: 'number', required: true, readOnly: true },
    /** [[sku, book], …] */
    lines: { type: 'any', required: true, readOnly: true },
  },
  indexes: {
    byStocktake: {
      pk: { field: 'pk', composite: ['stocktakeId'], casing: 'none' },
      sk: { field: 'sk', composite: ['sheet'], casing: 'none' },
    },
  },
});

/** One counts request, stored whole, append-only; `seq` orders recounts. */
export const StocktakeCountBatchEntity = new Entity({
  model: { entity: 'stocktake_count', version: '1', service: 'dms' },
  attributes: {
    stocktakeId: { type: 'string', required: true, readOnly: true },
    seq: { type: 'number', required: true, readOnly: true },
    id: { type: 'string', required: true, readOnly: true },
    /** [[sku, counted, bookAtCount], …] */
    lines: { type: 'any', required: true, readOnly: true },
    countedAt: { type: 'string', required: true, readOnly: true },
    countedBy: { type: 'string', required: true, readOnly: true },
    requestId: { type: 'string', required: true, readOnly: true },
    note: { type: 'string', readOnly: true },
  },
  indexes: {
    byStocktake: {
      pk: { field: 'pk', composite: ['stocktakeId'], casing: 'none' },
      sk: { field: 'sk', composite: ['seq'], casing: 'none' },
    },
  },
});

/**
 * "This line's variance is posted": created (attribute_not_exists) in the same transaction as
 * the line's ledger movement, which is what makes a retried approval skip it.
 */
export const StocktakePostingEntity = new Entity({
  model: { entity: 'stocktake_posting', version: '1', service: 'dms' },
  attributes: {
    stocktakeId: { type: 'string', required: true, readOnly: true },
    sku: { type: 'string', required: true, readOnly: true },
    delta: { type: 'number', required: true, readOnly: true },
    movementId: { type: 'string', required: true, readOnly: true },
    postedAt: { type: 'string', required: true, readOnly: true },
  },
  indexes: {
    byStocktake: {
      pk: { field: 'pk', composite: ['stocktakeId'], casing: 'none' },
      sk: { field: 'sk', composite: ['sku'], casing: 'none' },
    },
  },
});

/** At most one open stocktake per location: created when a count opens, deleted when it closes. */
export const StocktakeLockEntity = new Entity({
  model: { entity: 'stocktake_lock', version: '1', service: 'dms' },
  attributes: {
    lockedLocation: { type: 'string', required: true, readOnly: true },
    stocktakeId: { type: 'string', required: true, readOnly: true },
  },
  indexes: {
    byLocation: {
      pk: { field: 'pk', composite: ['lockedLocation'], casing: 'none' },
      sk: { field: 'sk', composite: [] },
    },
  },
});
