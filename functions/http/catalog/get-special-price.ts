import { catalogRuntime } from '../../adapters/catalog-runtime';
import type { Implementation } from '../route';
import type { catalogContext } from './routes';

export const getSpecialPrice: Implementation<typeof catalogContext, 'getSpecialPrice'> = async ({ principal, params }) => {
  const special = await catalogRuntime().pricing.getSpecialPrice(principal, params.specialPriceId);
  return { body: special, version: special.version };
};
