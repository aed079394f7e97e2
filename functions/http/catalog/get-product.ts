import { catalogRuntime } from '../../adapters/catalog-runtime';
import type { Implementation } from '../route';
import type { catalogContext } from './routes';

export const getProduct: Implementation<typeof catalogContext, 'getProduct'> = async ({ params }) => {
  const product = await catalogRuntime().products.get(params.sku);
  return { body: product, version: product.version };
};
