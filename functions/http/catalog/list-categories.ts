import { catalogRuntime } from '../../adapters/catalog-runtime';
import type { Implementation } from '../route';
import type { catalogContext } from './routes';

export const listCategories: Implementation<typeof catalogContext, 'listCategories'> = async () => ({
  body: { items: catalogRuntime().products.categories() },
});
