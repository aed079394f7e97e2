import { Entity } from 'electrodb';

/** An accepted sell-out batch (immutable). Access pattern: by id. */
export const ChannelSellOutBatchEntity = new Entity({
  model: { entity: 'channel_sell_out_batch', version: '1', service: 'dms' },
  attributes: {
    id: { type: 'string', required: true, readOnly: true },
    dealerId: { type: 'string', required: true, readOnly: true },
    locationCode: { type: 'string', required: true, readOnly: true },
    region: { type: 'string', required: true, readOnly: true },
    lines: { type: 'any', required: true, readOnly: true },
    lineCount: { type: 'number', required: true, readOnly: true },
    totalQuantity: { type: 'number', required: true, readOnly: true },
    firstSoldOn: { type: 'string', required: true, readOnly: true },
    lastSoldOn: { type: 'string', required: true, readOnly: true },
    contentHash: { type: 'string', required: true, readOnly: true },
    reportedAt: { type: 'string', required: true, readOnly: true },
    reportedBy: { type: 'string', required: true, readOnly: true },
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['id'], casing: 'none' },
      sk: { field: 'sk', composite: [] },
    },
  },
});

/** Makes a sell-out batch's content unique per location, so a re-sent batch is a replay. */
export const ChannelSellOutKeyEntity = new Entity({
  model: { entity: 'channel_sell_out_key', version: '1', service: 'dms' },
  attributes: {
    locationCode: { type: 'string', required: true, readOnly: true },
    contentHash: { type: 'string', required: true, readOnly: true },
    batchId: { type: 'string', required: true, readOnly: true },
  },
  indexes: {
    byContent: {
      pk: { field: 'pk', composite: ['locationCode', 'contentHash'], casing: 'none' },
      sk: { field: 'sk', composite: [] },
    },
  },
});

/**
 * One sale (a batch line), keyed by (batch, line) so re-applying a batch overwrites rather than
 * adds. Access patterns for totals over a date range: a dealer's sales by SKU then date (gsi1);
 * one SKU's sales by date (gsi2); a region's sales by SKU then date (gsi3).
 */
export const ChannelSellOutRecordEntity = new Entity({
  model: { entity: 'channel_sell_out_record', version: '1', service: 'dms' },
  attributes: {
    batchId: { type: 'string', required: true, readOnly: true },
    lineNo: { type: 'string', required: true, readOnly: true },
    dealerId: { type: 'string', required: true, readOnly: true },
    locationCode: { type: 'string', required: true, readOnly: true },
    region: { type: 'string', required: true, readOnly: true },
    sku: { type: 'string', required: true, readOnly: true },
    quantity: { type: 'number', required: true, readOnly: true },
    soldOn: { type: 'string', required: true, readOnly: true },
    customerRef: { type: 'string', readOnly: true },
  },
  indexes: {
    byBatch: {
      pk: { field: 'pk', composite: ['batchId'], casing: 'none' },
      sk: { field: 'sk', composite: ['lineNo'], casing: 'none' },
    },
    byDealer: {
      index: 'gsi1',
      pk: { field: 'gsi1pk', composite: ['dealerId'], casing: 'none' },
      sk: { field: 'gsi1sk', composite: ['sku', 'soldOn', 'batchId', 'lineNo'], casing: 'none' },
    },
    bySku: {
      index: 'gsi2',
      pk: { field: 'gsi2pk', composite: ['sku'], casing: 'none' },
      sk: { field: 'gsi2sk', composite: ['soldOn', 'batchId', 'lineNo'], casing: 'none' },
    },
    byRegion: {
      index: 'gsi3',
      pk: { field: 'gsi3pk', composite: ['region'], casing: 'none' },
      sk: { field: 'gsi3sk', composite: ['sku', 'soldOn', 'batchId', 'lineNo'], casing: 'none' },
    },
  },
});
