import { Entity } from 'electrodb';
import { LOCATION_KINDS } from '../../../../../domain/inventory/location';

/**
 * Warehouses and dealer locations. Access patterns: by code (main index; `create` makes codes
 * unique); all locations by code (gsi1, one small partition — thousands of locations at most);
 * a dealer's locations (gsi2, sparse: warehouses have no dealer); a region's locations (gsi3).
 *
 * `frozenByStocktake` holds the id of the stocktake that froze the location; while it is set the
 * stock ledger refuses ordinary movements there (a condition check in every ledger transaction).
 */
export const LocationEntity = new Entity({
  model: { entity: 'location', version: '1', service: 'dms' },
  attributes: {
    code: { type: 'string', required: true, readOnly: true },
    name: { type: 'string', required: true },
    kind: { type: LOCATION_KINDS, required: true, readOnly: true },
    dealerId: { type: 'string', readOnly: true },
    region: { type: 'string', required: true },
    province: { type: 'string' },
    city: { type: 'string' },
    street: { type: 'string' },
    status: { type: ['active', 'inactive'] as const, required: true },
    frozenByStocktake: { type: 'string' },
    createdAt: { type: 'string', required: true },
    updatedAt: { type: 'string', required: true },
    version: { type: 'number', required: true },
  },
  indexes: {
    byCode: {
      pk: { field: 'pk', composite: ['code'], casing: 'none' },
      sk: { field: 'sk', composite: [] },
    },
    all: {
      index: 'gsi1',
      pk: { field: 'gsi1pk', composite: [] },
      sk: { field: 'gsi1sk', composite: ['code'], casing: 'none' },
    },
    byDealer: {
      index: 'gsi2',
      pk: { field: 'gsi2pk', composite: ['dealerId'], casing: 'none' },
      sk: { field: 'gsi2sk', composite: ['code'], casing: 'none' },
    },
    byRegion: {
      index: 'gsi3',
      pk: { field: 'gsi3pk', composite: ['region'], casing: 'none' },
      sk: { field: 'gsi3sk', composite: ['code'], casing: 'none' },
    },
  },
});
