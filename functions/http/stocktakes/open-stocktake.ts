import { stocktakes } from '../../adapters/stocktakes-runtime';
import { requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { stocktakesContext } from './routes';

export const openStocktake: Implementation<typeof stocktakesContext, 'openStocktake'> = async (input) => {
  const stocktake = await stocktakes().open(requestContext(input), input.body);
  return { body: stocktake, version: stocktake.version, headers: { location: `${input.baseUrl}/stocktakes/${stocktake.id}` } };
};
