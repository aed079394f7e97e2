import { catalogRuntime } from '../../adapters/catalog-runtime';
import { requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { catalogContext } from './routes';

export const updatePromotion: Implementation<typeof catalogContext, 'updatePromotion'> = async (input) => {
  const promotion = await catalogRuntime().pricing.updatePromotion(requestContext(input), input.params.promotionId, input.expectedVersion!, input.body);
  return { body: promotion, version: promotion.version };
};
