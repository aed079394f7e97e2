import { Entity } from 'electrodb';

/**
 * A tier or channel price list with its lines in one item (≤ 1,500 lines), so a change and its
 * audit record are one transaction and a quote reads a list in one go. Access patterns: by id;
 * the lists of one target (`tier:gold`, `channel:retailer`) by end date (gsi1: "not ended before
 * D" is a range on the sort key; open-ended lists sort last); all lists newest first (gsi2).
 */
export const PriceListEntity = new Entity({
  model: { entity: 'price_list', version: '1', service: 'dms' },
  attributes: {
    id: { type: 'string', required: true, readOnly: true },
    name: { type: 'string', required: true },
    tier: { type: 'string' },
    channelType: { type: 'string' },
    target: { type: 'string', required: true },
    currency: { type: 'string', required: true },
    validFrom: { type: 'string', required: true },
    validTo: { type: 'string' },
    validToKey: { type: 'string', required: true },
    allowAboveListPrice: { type: 'boolean', required: true },
    lines: { type: 'any', required: true },
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
    byTarget: {
      index: 'gsi1',
      pk: { field: 'gsi1pk', composite: ['target'], casing: 'none' },
      sk: { field: 'gsi1sk', composite: ['validToKey', 'id'], casing: 'none' },
    },
    all: {
      index: 'gsi2',
      pk: { field: 'gsi2pk', composite: [] },
      sk: { field: 'gsi2sk', composite: ['id'], casing: 'none' },
    },
  },
});
