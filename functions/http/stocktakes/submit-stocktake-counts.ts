import { stocktakes } from '../../adapters/stocktakes-runtime';
import { requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { stocktakesContext } from './routes';

export const submitStocktakeCounts: Implementation<typeof stocktakesContext, 'submitStocktakeCounts'> = async (input) => {
  const { stocktake, batch } = await stocktakes().count(requestContext(input), input.params.stocktakeId, input.body);
  return {
    body: {
      stocktake,
      batch: { id: batch.id, seq: batch.seq, lines: batch.lines.length, countedAt: batch.countedAt, countedBy: batch.countedBy },
    },
    version: stocktake.version,
  };
};
