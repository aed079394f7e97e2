import { PRODUCT_STATUSES, type ProductStatus } from '../../../domain/catalog/product';
import { catalogRuntime } from '../../adapters/catalog-runtime';
import type { Implementation } from '../route';
import type { catalogContext } from './routes';

export const listProducts: Implementation<typeof catalogContext, 'listProducts'> = async ({ query }) => {
  const { limit, cursor, status, ...filter } = query;
  // A status no product can have matches nothing (the parameter is a filter, not a command).
  if (status !== undefined && !PRODUCT_STATUSES.includes(status as ProductStatus)) return { body: { items: [] } };
  const page = await catalogRuntime().products.list({ ...filter, ...(status ? { status: status as ProductStatus } : {}) }, { limit, ...(cursor ? { cursor } : {}) });
  return { body: page };
};
