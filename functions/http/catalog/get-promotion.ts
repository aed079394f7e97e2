import { catalogRuntime } from '../../adapters/catalog-runtime';
import type { Implementation } from '../route';
import type { catalogContext } from './routes';

export const getPromotion: Implementation<typeof catalogContext, 'getPromotion'> = async ({ params }) => {
  const promotion = await catalogRuntime().pricing.getPromotion(params.promotionId);
  return { body: promotion, version: promotion.version };
};
