import { auditEntry, type RequestContext } from '../audit/audit-entry';
import { NotFoundError, ValidationError, VersionMismatchError } from '../shared/errors';
import type { Page, PageRequest, ProductListFilter, ProductRepository } from './ports';
import { CATEGORIES, type NewProduct, type Product, type ProductChanges } from './product';
import { withoutEmpty } from '../shared/objects';

const ENTITY = 'product';

export class ProductService {
  constructor(private readonly products: ProductRepository) {}

  categories() {
    return CATEGORIES.map((c) => ({ ...c }));
  }

  async create(ctx: RequestContext, input: NewProduct): Promise<Product> {
    const at = ctx.now.toISOString();
    const product: Product = withoutEmpty({ ...input, createdAt: at, createdBy: ctx.principal.userId, updatedAt: at, version: 1 });
    await this.products.create(product, auditEntry(ctx, 'product.created', { type: ENTITY, id: product.sku }, undefined, product));
    return product;
  }

  /** Products are catalogue data every role may read; no object-level scope applies. */
  async get(sku: string): Promise<Product> {
    const product = await this.products.get(sku);
    if (!product) throw new NotFoundError('Product', sku);
    return product;
  }

  list(filter: ProductListFilter, page: PageRequest): Promise<Page<Product>> {
    return this.products.list(filter, page);
  }

  async update(ctx: RequestContext, sku: string, expectedVersion: number, changes: ProductChanges): Promise<Product> {
    const current = await this.get(sku);
    if (current.version !== expectedVersion) throw new VersionMismatchError('Product', sku);
    const next = withoutEmpty({ ...current, ...changes, updatedAt: ctx.now.toISOString(), version: current.version + 1 }) as Product;
    if (next.orderMultiple && next.minOrderQuantity && next.minOrderQuantity % next.orderMultiple !== 0) {
      throw new ValidationError('The minimum order quantity must be a multiple of the order multiple.', [
        { path: 'body/minOrderQuantity', message: `not a multiple of the order multiple ${next.orderMultiple}` },
      ]);
    }
    const action = changes.status && changes.status !== current.status ? `product.${changes.status === 'discontinued' ? 'discontinued' : 'reactivated'}` : 'product.updated';
    await this.products.replace(next, expectedVersion, auditEntry(ctx, action, { type: ENTITY, id: sku }, current, next));
    return next;
  }
}
