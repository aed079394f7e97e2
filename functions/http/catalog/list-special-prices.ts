import { catalogRuntime } from '../../adapters/catalog-runtime';
import type { Implementation } from '../route';
import type { catalogContext } from './routes';

export const listSpecialPrices: Implementation<typeof catalogContext, 'listSpecialPrices'> = async ({ principal, query }) => {
  const { limit, cursor, ...filter } = query;
  return { body: await catalogRuntime().pricing.listSpecialPrices(principal, filter, { limit, ...(cursor ? { cursor } : {}) }) };
};
