import { productSearchKey, type Product } from '../../../domain/catalog/product';
import type { Page, PageRequest, ProductListFilter, ProductRepository } from '../../../domain/catalog/ports';
import { ConflictError, ValidationError } from '../../../domain/shared/errors';
import { createAudited, replaceAudited } from './catalog-writes';
import { decodeCursor, encodeCursor, withClientCursor } from './cursor';
import { dms } from './service';

type ProductItem = Product & { nameKey: string; nameEnKey: string };

function toItem(product: Product): ProductItem {
  return { ...product, nameKey: productSearchKey(product.name), nameEnKey: productSearchKey(product.nameEn) };
}

export function toProduct(item: Record<string, unknown>): Product {
  const { nameKey: _nameKey, nameEnKey: _nameEnKey, ...product } = item;
  return product as unknown as Product;
}

interface ProductCursor {
  index: 'byName' | 'byEnglishName' | 'byCategory';
  category?: string;
  electro: string;
}

/** BatchGetItem takes at most 100 keys per request. */
const BATCH = 100;
const MAX_BATCH_ATTEMPTS = 5;

export const productRepository: ProductRepository = {
  async get(sku) {
    const result = await dms().entities.product.get({ sku }).go();
    return result.data ? toProduct(result.data) : undefined;
  },

  async getMany(skus) {
    const unique = [...new Set(skus)];
    const found: Product[] = [];
    for (let i = 0; i < unique.length; i += BATCH) {
      let keys = unique.slice(i, i + BATCH).map((sku) => ({ sku }));
      // DynamoDB may leave keys unprocessed under load; ask again for those (bounded).
      for (let attempt = 0; keys.length > 0; attempt += 1) {
        if (attempt === MAX_BATCH_ATTEMPTS) throw new Error(`BatchGet left ${keys.length} product keys unprocessed`);
        const result = await dms().entities.product.get(keys).go();
        found.push(...result.data.map((item) => toProduct(item)));
        keys = result.unprocessed.map(({ sku }) => ({ sku }));
        if (keys.length > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
      }
    }
    return found;
  },

  async create(product, audit) {
    await createAudited('product', toItem(product), audit, () => new ConflictError('sku_taken', `SKU ${product.sku} already exists.`));
  },

  async replace(product, expectedVersion, audit) {
    await replaceAudited('product', toItem(product), expectedVersion, audit, 'Product');
  },

  async list(filter: ProductListFilter, page: PageRequest): Promise<Page<Product>> {
    const entity = dms().entities.product;
    const prefix = filter.namePrefix ? productSearchKey(filter.namePrefix) : undefined;
    // A plain-ASCII prefix searches the English name; anything else the Chinese name.
    const english = prefix !== undefined && /^[\x20-\x7e]+$/.test(prefix);
    const index: ProductCursor['index'] = english ? 'byEnglishName' : filter.category ? 'byCategory' : 'byName';
    const cursor = page.cursor ? decodeCursor<ProductCursor>(page.cursor, 'products') : undefined;
    if (cursor && (cursor.index !== index || cursor.category !== filter.category)) {
      throw new ValidationError('The cursor belongs to a different filter.', [{ path: 'query/cursor', message: 'invalid cursor' }], 'invalid_cursor');
    }
    const base =
      index === 'byEnglishName'
        ? entity.query.byEnglishName({}).begins({ nameEnKey: prefix! })
        : index === 'byCategory'
          ? prefix
            ? entity.query.byCategory({ category: filter.category! }).begins({ nameKey: prefix })
            : entity.query.byCategory({ category: filter.category! })
          : prefix
            ? entity.query.byName({}).begins({ nameKey: prefix })
            : entity.query.byName({});
    const categoryAsFilter = filter.category && index !== 'byCategory' ? filter.category : undefined;
    const query = base.where((attr, op) => {
      const clauses: string[] = [];
      if (filter.status) clauses.push(op.eq(attr.status, filter.status));
      if (categoryAsFilter) clauses.push(op.eq(attr.category, categoryAsFilter));
      return clauses.join(' AND ');
    });
    const hasFilter = Boolean(filter.status || categoryAsFilter);
    const result = await withClientCursor(cursor?.electro, () =>
      query.go({ count: page.limit, limit: hasFilter ? Math.min(page.limit * 4, 400) : page.limit, cursor: cursor?.electro ?? null }),
    );
    return {
      items: result.data.map((item) => toProduct(item)),
      ...(result.cursor
        ? { nextCursor: encodeCursor('products', { index, ...(filter.category ? { category: filter.category } : {}), electro: result.cursor }) }
        : {}),
    };
  },
};
