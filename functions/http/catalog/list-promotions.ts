import { catalogRuntime } from '../../adapters/catalog-runtime';
import type { Implementation } from '../route';
import type { catalogContext } from './routes';

export const listPromotions: Implementation<typeof catalogContext, 'listPromotions'> = async ({ query }) => {
  const { limit, cursor, ...filter } = query;
  return { body: await catalogRuntime().pricing.listPromotions(filter, { limit, ...(cursor ? { cursor } : {}) }) };
};
