import { Entity } from 'electrodb';
import { SALES_DIMENSIONS, SALES_GRANULARITIES } from '../../../../../domain/orders/sales-statistics';

/**
 * One sales counter (domain/orders/sales-statistics.ts): the sums of one dimension key in one
 * period, moved only by ADD. The partition is (currency, granularity, region, dimension), so a
 * statistics request is one key-range Query per region over `period` (then `groupKey`); no
 * Scan, and region-scoped staff read only their regions' partitions.
 */
export const SalesCounterEntity = new Entity({
  model: { entity: 'sales_counter', version: '1', service: 'dms' },
  attributes: {
    currency: { type: 'string', required: true, readOnly: true },
    granularity: { type: SALES_GRANULARITIES, required: true, readOnly: true },
    region: { type: 'string', required: true, readOnly: true },
    dimension: { type: SALES_DIMENSIONS, required: true, readOnly: true },
    /** YYYY-MM-DD or YYYY-MM. */
    period: { type: 'string', required: true, readOnly: true },
    /** `total`, a dealer id, a region code, a SKU or a channel. */
    groupKey: { type: 'string', required: true, readOnly: true },
    /** Display name (dealer or product name), as of the latest booking. */
    label: { type: 'string' },
    orders: { type: 'number', required: true },
    quantity: { type: 'number', required: true },
    net: { type: 'number', required: true },
    vat: { type: 'number', required: true },
    gross: { type: 'number', required: true },
  },
  indexes: {
    byPeriod: {
      pk: { field: 'pk', composite: ['currency', 'granularity', 'region', 'dimension'], casing: 'none' },
      sk: { field: 'sk', composite: ['period', 'groupKey'], casing: 'none' },
    },
  },
});
