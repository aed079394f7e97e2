import { Entity } from 'electrodb';
import { DEALER_STATUSES, DEALER_TIERS, CHANNEL_TYPES } from '../../../../domain/dealers/dealer';

/**
 * Dealer master data. Access patterns: by id (main index); all dealers ordered by name
 * (gsi1, one partition — a manufacturer has thousands of dealers, not millions); dealers of a
 * region ordered by name (gsi2). Name prefix search is a begins_with on the sort key.
 */
export const DealerEntity = new Entity({
  model: { entity: 'dealer', version: '1', service: 'dms' },
  attributes: {
    id: { type: 'string', required: true, readOnly: true },
    code: { type: 'string', required: true },
    name: { type: 'string', required: true },
    nameKey: { type: 'string', required: true },
    shortName: { type: 'string' },
    uscc: { type: 'string', required: true },
    tier: { type: DEALER_TIERS, required: true },
    channelType: { type: CHANNEL_TYPES, required: true },
    region: { type: 'string', required: true },
    status: { type: DEALER_STATUSES, required: true },
    statusReason: { type: 'string' },
    statusChangedAt: { type: 'string', required: true },
    contacts: { type: 'any', required: true },
    addresses: { type: 'any', required: true },
    internalNotes: { type: 'string' },
    riskRating: { type: ['low', 'medium', 'high'] as const },
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
    byName: {
      index: 'gsi1',
      pk: { field: 'gsi1pk', composite: [] },
      sk: { field: 'gsi1sk', composite: ['nameKey', 'id'], casing: 'none' },
    },
    byRegion: {
      index: 'gsi2',
      pk: { field: 'gsi2pk', composite: ['region'], casing: 'none' },
      sk: { field: 'gsi2sk', composite: ['nameKey', 'id'], casing: 'none' },
    },
  },
});

/** Makes dealer codes unique: written with attribute_not_exists in the dealer's transaction. */
export const DealerCodeEntity = new Entity({
  model: { entity: 'dealer_code', version: '1', service: 'dms' },
  attributes: {
    code: { type: 'string', required: true, readOnly: true },
    dealerId: { type: 'string', required: true },
  },
  indexes: {
    byCode: {
      pk: { field: 'pk', composite: ['code'], casing: 'none' },
      sk: { field: 'sk', composite: [] },
    },
  },
});
