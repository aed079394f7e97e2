import { Entity } from 'electrodb';

/** Sales regions (reference data); listed from one partition, checked on dealer writes. */
export const RegionEntity = new Entity({
  model: { entity: 'region', version: '1', service: 'dms' },
  attributes: {
    code: { type: 'string', required: true, readOnly: true },
    name: { type: 'string', required: true },
    nameEn: { type: 'string', required: true },
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
  },
});
