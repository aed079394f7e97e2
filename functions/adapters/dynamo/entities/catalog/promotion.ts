import { Entity } from 'electrodb';

/**
 * Promotions. Access patterns: by id; all by end date (gsi1): a quote reads the ones not ended
 * before its date — the running and upcoming campaigns, a short list.
 */
export const PromotionEntity = new Entity({
  model: { entity: 'promotion', version: '1', service: 'dms' },
  attributes: {
    id: { type: 'string', required: true, readOnly: true },
    name: { type: 'string', required: true },
    discount: { type: 'any', required: true },
    skus: { type: 'list', items: { type: 'string' }, required: true },
    categories: { type: 'list', items: { type: 'string' }, required: true },
    tiers: { type: 'list', items: { type: 'string' }, required: true },
    channelTypes: { type: 'list', items: { type: 'string' }, required: true },
    minQuantity: { type: 'number' },
    validFrom: { type: 'string', required: true },
    validTo: { type: 'string', required: true },
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
    byEnd: {
      index: 'gsi1',
      pk: { field: 'gsi1pk', composite: [] },
      sk: { field: 'gsi1sk', composite: ['validTo', 'id'], casing: 'none' },
    },
  },
});
