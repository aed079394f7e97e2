import { Entity } from 'electrodb';
import { PRODUCT_STATUSES } from '../../../../../domain/catalog/product';

/**
 * Products, keyed by SKU (so a SKU is unique by construction: created with attribute_not_exists).
 * Access patterns: by SKU; all products by Chinese name (gsi1) or English name (gsi2), where a
 * name prefix is a begins_with on the sort key; products of a category by Chinese name (gsi3).
 * Status filters are FilterExpressions: a catalogue is thousands of SKUs, not millions.
 */
export const ProductEntity = new Entity({
  model: { entity: 'product', version: '1', service: 'dms' },
  attributes: {
    sku: { type: 'string', required: true, readOnly: true },
    name: { type: 'string', required: true },
    nameKey: { type: 'string', required: true },
    nameEn: { type: 'string', required: true },
    nameEnKey: { type: 'string', required: true },
    category: { type: 'string', required: true },
    unit: { type: 'string', required: true },
    barcode: { type: 'string' },
    vatRate: { type: 'number', required: true },
    status: { type: PRODUCT_STATUSES, required: true },
    orderMultiple: { type: 'number' },
    minOrderQuantity: { type: 'number' },
    listPrice: { type: 'any', required: true },
    createdAt: { type: 'string', required: true },
    createdBy: { type: 'string', required: true },
    updatedAt: { type: 'string', required: true },
    version: { type: 'number', required: true },
  },
  indexes: {
    bySku: {
      pk: { field: 'pk', composite: ['sku'], casing: 'none' },
      sk: { field: 'sk', composite: [] },
    },
    byName: {
      index: 'gsi1',
      pk: { field: 'gsi1pk', composite: [] },
      sk: { field: 'gsi1sk', composite: ['nameKey', 'sku'], casing: 'none' },
    },
    byEnglishName: {
      index: 'gsi2',
      pk: { field: 'gsi2pk', composite: [] },
      sk: { field: 'gsi2sk', composite: ['nameEnKey', 'sku'], casing: 'none' },
    },
    byCategory: {
      index: 'gsi3',
      pk: { field: 'gsi3pk', composite: ['category'], casing: 'none' },
      sk: { field: 'gsi3sk', composite: ['nameKey', 'sku'], casing: 'none' },
    },
  },
});
