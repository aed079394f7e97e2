import { STOCKTAKE_STATUSES, type StocktakeStatus } from '../../../domain/stocktakes/stocktake';
import { stocktakes } from '../../adapters/stocktakes-runtime';
import type { Implementation } from '../route';
import type { stocktakesContext } from './routes';

const isStatus = (value: string): value is StocktakeStatus => (STOCKTAKE_STATUSES as readonly string[]).includes(value);

export const listStocktakes: Implementation<typeof stocktakesContext, 'listStocktakes'> = async ({ principal, query }) => {
  const { limit, cursor, locationCode, status } = query;
  if (status !== undefined && !isStatus(status)) return { body: { items: [] } };
  const page = await stocktakes().list(
    principal,
    { ...(locationCode ? { locationCode } : {}), ...(status ? { status } : {}) },
    { limit, ...(cursor ? { cursor } : {}) },
  );
  return { body: page };
};
