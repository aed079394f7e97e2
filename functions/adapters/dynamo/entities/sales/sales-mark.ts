import { Entity } from 'electrodb';

/**
 * Marks one chunk of an order's counter increments as applied, for one kind (booked or
 * reversed). Created with attribute_not_exists in the same transaction as the increments: a
 * retried or duplicated recording finds the mark and skips the chunk, so counters never count
 * an order twice.
 */
export const SalesMarkEntity = new Entity({
  model: { entity: 'sales_mark', version: '1', service: 'dms' },
  attributes: {
    orderId: { type: 'string', required: true, readOnly: true },
    kind: { type: ['booked', 'reversed'] as const, required: true, readOnly: true },
    chunk: { type: 'number', required: true, readOnly: true },
    orderNumber: { type: 'string', required: true, readOnly: true },
    increments: { type: 'number', required: true, readOnly: true },
    recordedAt: { type: 'string', required: true, readOnly: true },
  },
  indexes: {
    byOrder: {
      pk: { field: 'pk', composite: ['orderId', 'kind', 'chunk'], casing: 'none' },
      sk: { field: 'sk', composite: [] },
    },
  },
});
