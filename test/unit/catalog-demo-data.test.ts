import { describe, expect, it } from 'vitest';
import { CATEGORY_CODES, NewProductSchema } from '../../domain/catalog/product';
import { demoProducts } from '../../infra/local/seed-catalog';

describe('demo catalogue', () => {
  it('has at least 100 valid products with unique SKUs across several categories', () => {
    const products = demoProducts();
    expect(products.length).toBeGreaterThanOrEqual(100);
    expect(new Set(products.map((p) => p.sku)).size).toBe(products.length);
    for (const product of products) expect(NewProductSchema.safeParse(product).error, product.sku).toBeUndefined();
    expect(new Set(products.map((p) => p.category))).toEqual(new Set(CATEGORY_CODES));
    expect(new Set(products.map((p) => p.barcode)).size).toBe(products.length);
  });
});
