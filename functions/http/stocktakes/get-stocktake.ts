import { stocktakes } from '../../adapters/stocktakes-runtime';
import type { Implementation } from '../route';
import type { stocktakesContext } from './routes';

export const getStocktake: Implementation<typeof stocktakesContext, 'getStocktake'> = async ({ principal, params }) => {
  const stocktake = await stocktakes().get(principal, params.stocktakeId);
  return { body: stocktake, version: stocktake.version };
};
