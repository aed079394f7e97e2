import { catalogRuntime } from '../../adapters/catalog-runtime';
import { requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { catalogContext } from './routes';

export const updateSpecialPrice: Implementation<typeof catalogContext, 'updateSpecialPrice'> = async (input) => {
  const special = await catalogRuntime().pricing.updateSpecialPrice(requestContext(input), input.params.specialPriceId, input.expectedVersion!, input.body);
  return { body: special, version: special.version };
};
