import { stocktakes } from '../../adapters/stocktakes-runtime';
import { requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { stocktakesContext } from './routes';

export const cancelStocktake: Implementation<typeof stocktakesContext, 'cancelStocktake'> = async (input) => {
  const stocktake = await stocktakes().cancel(requestContext(input), input.params.stocktakeId, input.expectedVersion!, input.body.reason);
  return { body: stocktake, version: stocktake.version };
};
