import { catalogRuntime } from '../../adapters/catalog-runtime';
import { requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { catalogContext } from './routes';

export const deletePromotion: Implementation<typeof catalogContext, 'deletePromotion'> = async (input) => {
  await catalogRuntime().pricing.deletePromotion(requestContext(input), input.params.promotionId, input.expectedVersion!);
  return { body: undefined };
};
