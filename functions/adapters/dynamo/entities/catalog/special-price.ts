import { Entity } from 'electrodb';

/**
 * A unit price agreed with one dealer for one SKU. Access patterns: by id; a dealer's prices
 * for a SKU by end date (gsi1, the quote's read); by SKU across dealers (gsi2); all (gsi3).
 */
export const SpecialPriceEntity = new Entity({
  model: { entity: 'special_price', version: '1', service: 'dms' },
  attributes: {
    id: { type: 'string', required: true, readOnly: true },
    dealerId: { type: 'string', required: true, readOnly: true },
    sku: { type: 'string', required: true, readOnly: true },
    amount: { type: 'number', required: true },
    currency: { type: 'string', required: true },
    validFrom: { type: 'string', required: true },
    validTo: { type: 'string' },
    validToKey: { type: 'string', required: true },
    allowAboveListPrice: { type: 'boolean', required: true },
    note: { type: 'string' },
    createdAt: { type: 'string', required: true },
    createdBy: { type: 'string', required: true },
    updatedAt: { type: 'string', required: true },
    version: { type: 'number', required: true },
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['id'], casing: 'none' },
      sk: { field: 'sk', composite: [] },
    },
    byDealer: {
      index: 'gsi1',
      pk: { field: 'gsi1pk', composite: ['dealerId'], casing: 'none' },
      sk: { field: 'gsi1sk', composite: ['sku', 'validToKey', 'id'], casing: 'none' },
    },
    bySku: {
      index: 'gsi2',
      pk: { field: 'gsi2pk', composite: ['sku'], casing: 'none' },
      sk: { field: 'gsi2sk', composite: ['dealerId', 'id'], casing: 'none' },
    },
    all: {
      index: 'gsi3',
      pk: { field: 'gsi3pk', composite: [] },
      sk: { field: 'gsi3sk', composite: ['id'], casing: 'none' },
    },
  },
});
