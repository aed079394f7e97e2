import { Entity } from 'electrodb';

/** An accepted dealer stock report (immutable). Access pattern: by id. */
export const ChannelStockReportEntity = new Entity({
  model: { entity: 'channel_stock_report', version: '1', service: 'dms' },
  attributes: {
    id: { type: 'string', required: true, readOnly: true },
    dealerId: { type: 'string', required: true, readOnly: true },
    locationCode: { type: 'string', required: true, readOnly: true },
    region: { type: 'string', required: true, readOnly: true },
    asOf: { type: 'string', required: true, readOnly: true },
    lines: { type: 'any', required: true, readOnly: true },
    lineCount: { type: 'number', required: true, readOnly: true },
    totalQuantity: { type: 'number', required: true, readOnly: true },
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

/**
 * Makes a report's content (location, date, lines) unique: created with attribute_not_exists in
 * the report's transaction, so the same report sent twice is recognised as a replay.
 */
export const ChannelStockReportKeyEntity = new Entity({
  model: { entity: 'channel_stock_report_key', version: '1', service: 'dms' },
  attributes: {
    locationCode: { type: 'string', required: true, readOnly: true },
    contentHash: { type: 'string', required: true, readOnly: true },
    reportId: { type: 'string', required: true, readOnly: true },
  },
  indexes: {
    byContent: {
      pk: { field: 'pk', composite: ['locationCode', 'contentHash'], casing: 'none' },
      sk: { field: 'sk', composite: [] },
    },
  },
});
