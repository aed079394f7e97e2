import { catalogRuntime } from '../../adapters/catalog-runtime';
import { requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { catalogContext } from './routes';

export const createPromotion: Implementation<typeof catalogContext, 'createPromotion'> = async (input) => {
  const promotion = await catalogRuntime().pricing.createPromotion(requestContext(input), input.body);
  return { body: promotion, version: promotion.version, headers: { location: `${input.baseUrl}/promotions/${promotion.id}` } };
};
