import { catalogRuntime } from '../../adapters/catalog-runtime';
import { requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { catalogContext } from './routes';

export const updateProduct: Implementation<typeof catalogContext, 'updateProduct'> = async (input) => {
  const product = await catalogRuntime().products.update(requestContext(input), input.params.sku, input.expectedVersion!, input.body);
  return { body: product, version: product.version };
};
