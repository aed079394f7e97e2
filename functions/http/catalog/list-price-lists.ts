import { catalogRuntime } from '../../adapters/catalog-runtime';
import type { Implementation } from '../route';
import type { catalogContext } from './routes';

export const listPriceLists: Implementation<typeof catalogContext, 'listPriceLists'> = async ({ query }) => {
  const { limit, cursor, ...filter } = query;
  const page = await catalogRuntime().pricing.listPriceLists(filter, { limit, ...(cursor ? { cursor } : {}) });
  return { body: { ...page, items: page.items.map(({ lines, ...header }) => ({ ...header, lineCount: lines.length })) } };
};
