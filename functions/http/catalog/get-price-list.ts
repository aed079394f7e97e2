import { catalogRuntime } from '../../adapters/catalog-runtime';
import type { Implementation } from '../route';
import type { catalogContext } from './routes';

export const getPriceList: Implementation<typeof catalogContext, 'getPriceList'> = async ({ params }) => {
  const list = await catalogRuntime().pricing.getPriceList(params.priceListId);
  return { body: list, version: list.version };
};
