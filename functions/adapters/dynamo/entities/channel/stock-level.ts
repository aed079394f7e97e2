import { Entity } from 'electrodb';

/**
 * The current channel stock of one SKU at one dealer location, as last reported. Access
 * patterns: a location's levels by SKU (main index); a dealer's levels by SKU (gsi1); one SKU
 * across dealers, grouped by region then dealer (gsi2, so a region filter is a key prefix); a
 * region's levels by SKU (gsi3).
 */
export const ChannelStockLevelEntity = new Entity({
  model: { entity: 'channel_stock_level', version: '1', service: 'dms' },
  attributes: {
    locationCode: { type: 'string', required: true, readOnly: true },
    sku: { type: 'string', required: true, readOnly: true },
    dealerId: { type: 'string', required: true, readOnly: true },
    region: { type: 'string', required: true },
    quantity: { type: 'number', required: true },
    asOf: { type: 'string', required: true },
    reportId: { type: 'string', required: true },
    reportedAt: { type: 'string', required: true },
  },
  indexes: {
    byLocation: {
      pk: { field: 'pk', composite: ['locationCode'], casing: 'none' },
      sk: { field: 'sk', composite: ['sku'], casing: 'none' },
    },
    byDealer: {
      index: 'gsi1',
      pk: { field: 'gsi1pk', composite: ['dealerId'], casing: 'none' },
      sk: { field: 'gsi1sk', composite: ['sku', 'locationCode'], casing: 'none' },
    },
    bySku: {
      index: 'gsi2',
      pk: { field: 'gsi2pk', composite: ['sku'], casing: 'none' },
      sk: { field: 'gsi2sk', composite: ['region', 'dealerId', 'locationCode'], casing: 'none' },
    },
    byRegion: {
      index: 'gsi3',
      pk: { field: 'gsi3pk', composite: ['region'], casing: 'none' },
      sk: { field: 'gsi3sk', composite: ['sku', 'locationCode'], casing: 'none' },
    },
  },
});
