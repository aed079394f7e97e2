import { stocktakes } from '../../adapters/stocktakes-runtime';
import { publishEvents, requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { stocktakesContext } from './routes';

export const approveStocktake: Implementation<typeof stocktakesContext, 'approveStocktake'> = async (input) => {
  const ctx = requestContext(input);
  const { stocktake, events } = await stocktakes().approve(ctx, input.params.stocktakeId, input.expectedVersion!, input.body);
  await publishEvents(ctx, events);
  return { body: stocktake, version: stocktake.version };
};
