import { catalogRuntime } from '../../adapters/catalog-runtime';
import { requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { catalogContext } from './routes';

export const deleteSpecialPrice: Implementation<typeof catalogContext, 'deleteSpecialPrice'> = async (input) => {
  await catalogRuntime().pricing.deleteSpecialPrice(requestContext(input), input.params.specialPriceId, input.expectedVersion!);
  return { body: undefined };
};
