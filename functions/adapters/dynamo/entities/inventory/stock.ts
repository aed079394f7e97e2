import { Entity } from 'electrodb';
import { ALERT_KINDS, MOVEMENT_TYPES } from '../../../../../domain/inventory/stock';

/**
 * One item per (location, SKU). Access patterns: a location's levels by SKU (main index), a
 * SKU's levels across locations (gsi1). `available` (= onHand − reserved) is stored as well,
 * maintained by the same ADD as onHand and reserved, because a DynamoDB condition cannot
 * subtract: `available >= qty` is the no-oversell condition. Only the stock ledger writes it.
 */
export const StockLevelEntity = new Entity({
  model: { entity: 'stock_level', version: '1', service: 'dms' },
  attributes: {
    locationCode: { type: 'string', required: true, readOnly: true },
    sku: { type: 'string', required: true, readOnly: true },
    onHand: { type: 'number', required: true },
    reserved: { type: 'number', required: true },
    available: { type: 'number', required: true },
    reorderPoint: { type: 'number' },
    overstockLevel: { type: 'number' },
    version: { type: 'number', required: true },
    updatedAt: { type: 'string', required: true },
  },
  indexes: {
    byLocation: {
      pk: { field: 'pk', composite: ['locationCode'], casing: 'none' },
      sk: { field: 'sk', composite: ['sku'], casing: 'none' },
    },
    bySku: {
      index: 'gsi1',
      pk: { field: 'gsi1pk', composite: ['sku'], casing: 'none' },
      sk: { field: 'gsi1sk', composite: ['locationCode'], casing: 'none' },
    },
  },
});

/** Append-only movement history of one (location, SKU), ordered by time (main index). */
export const StockMovementEntity = new Entity({
  model: { entity: 'stock_movement', version: '1', service: 'dms' },
  attributes: {
    id: { type: 'string', required: true, readOnly: true },
    locationCode: { type: 'string', required: true, readOnly: true },
    sku: { type: 'string', required: true, readOnly: true },
    type: { type: MOVEMENT_TYPES, required: true, readOnly: true },
    onHandDelta: { type: 'number', required: true, readOnly: true },
    reservedDelta: { type: 'number', required: true, readOnly: true },
    onHandAfter: { type: 'number', readOnly: true },
    reason: { type: 'string', readOnly: true },
    reference: { type: 'string', readOnly: true },
    actorId: { type: 'string', required: true, readOnly: true },
    at: { type: 'string', required: true, readOnly: true },
  },
  indexes: {
    byLevel: {
      pk: { field: 'pk', composite: ['locationCode', 'sku'], casing: 'none' },
      sk: { field: 'sk', composite: ['at', 'id'], casing: 'none' },
    },
  },
});

/**
 * A level that is currently past one of its thresholds. The item's existence IS the alert state:
 * creating it (attribute_not_exists) is how exactly one writer wins a crossing and publishes.
 * Access patterns: all alerts (gsi1, small), a dealer's (gsi2, sparse), a region's (gsi3).
 */
export const StockAlertEntity = new Entity({
  model: { entity: 'stock_alert', version: '1', service: 'dms' },
  attributes: {
    locationCode: { type: 'string', required: true, readOnly: true },
    sku: { type: 'string', required: true, readOnly: true },
    kind: { type: ALERT_KINDS, required: true, readOnly: true },
    region: { type: 'string', required: true, readOnly: true },
    dealerId: { type: 'string', readOnly: true },
    since: { type: 'string', required: true, readOnly: true },
  },
  indexes: {
    byLevel: {
      pk: { field: 'pk', composite: ['locationCode', 'sku'], casing: 'none' },
      sk: { field: 'sk', composite: ['kind'], casing: 'none' },
    },
    all: {
      index: 'gsi1',
      pk: { field: 'gsi1pk', composite: [] },
      sk: { field: 'gsi1sk', composite: ['locationCode', 'sku', 'kind'], casing: 'none' },
    },
    byDealer: {
      index: 'gsi2',
      pk: { field: 'gsi2pk', composite: ['dealerId'], casing: 'none' },
      sk: { field: 'gsi2sk', composite: ['locationCode', 'sku', 'kind'], casing: 'none' },
    },
    byRegion: {
      index: 'gsi3',
      pk: { field: 'gsi3pk', composite: ['region'], casing: 'none' },
      sk: { field: 'gsi3sk', composite: ['locationCode', 'sku', 'kind'], casing: 'none' },
    },
  },
});

/**
 * A reservation made through the reservation port: its lines, what is still reserved and which
 * shipments consumed it, so release and consume are idempotent (a retry finds its work done).
 */
export const StockReservationEntity = new Entity({
  model: { entity: 'stock_reservation', version: '1', service: 'dms' },
  attributes: {
    id: { type: 'string', required: true, readOnly: true },
    status: { type: ['active', 'released', 'consumed'] as const, required: true },
    /** [{ locationCode, sku, quantity, remaining }] */
    lines: { type: 'any', required: true },
    consumedBy: { type: 'list', items: { type: 'string' }, required: true },
    reference: { type: 'string' },
    createdAt: { type: 'string', required: true },
    updatedAt: { type: 'string', required: true },
    version: { type: 'number', required: true },
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['id'], casing: 'none' },
      sk: { field: 'sk', composite: [] },
    },
  },
});

/** A transfer between two locations: the document both movements reference. */
export const StockTransferEntity = new Entity({
  model: { entity: 'stock_transfer', version: '1', service: 'dms' },
  attributes: {
    id: { type: 'string', required: true, readOnly: true },
    fromLocationCode: { type: 'string', required: true, readOnly: true },
    toLocationCode: { type: 'string', required: true, readOnly: true },
    sku: { type: 'string', required: true, readOnly: true },
    quantity: { type: 'number', required: true, readOnly: true },
    reference: { type: 'string', readOnly: true },
    note: { type: 'string', readOnly: true },
    actorId: { type: 'string', required: true, readOnly: true },
    at: { type: 'string', required: true, readOnly: true },
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['id'], casing: 'none' },
      sk: { field: 'sk', composite: [] },
    },
  },
});
