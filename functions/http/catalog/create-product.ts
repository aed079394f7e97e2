import { catalogRuntime } from '../../adapters/catalog-runtime';
import { requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { catalogContext } from './routes';

export const createProduct: Implementation<typeof catalogContext, 'createProduct'> = async (input) => {
  const product = await catalogRuntime().products.create(requestContext(input), input.body);
  return { body: product, version: product.version, headers: { location: `${input.baseUrl}/products/${encodeURIComponent(product.sku)}` } };
};
