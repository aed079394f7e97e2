import { Entity } from 'electrodb';

/** The last number issued in one document series (type × year). */
export const DocumentCounterEntity = new Entity({
  model: { entity: 'document_counter', version: '1', service: 'dms' },
  attributes: {
    docType: { type: 'string', required: true, readOnly: true },
    year: { type: 'number', required: true, readOnly: true },
    last: { type: 'number', required: true },
  },
  indexes: {
    bySeries: {
      pk: { field: 'pk', composite: ['docType', 'year'], casing: 'none' },
      sk: { field: 'sk', composite: [] },
    },
  },
});
