import { lineState, type LineState } from '../../../domain/stocktakes/variance';
import { decodeCursor, encodeCursor, invalidCursor } from '../../adapters/dynamo/cursor';
import { stocktakes } from '../../adapters/stocktakes-runtime';
import type { Implementation } from '../route';
import type { stocktakesContext } from './routes';

interface VarianceCursor {
  id: string;
  filter: string;
  after: string;
}

const invalidReportCursor = () => invalidCursor('The cursor does not belong to this report.');

export const getStocktakeVariances: Implementation<typeof stocktakesContext, 'getStocktakeVariances'> = async ({ principal, params, query }) => {
  const states: LineState[] | undefined = query.state ? [query.state] : query.differencesOnly === 'true' ? ['over', 'short'] : undefined;
  const filter = states?.join(',') ?? '';
  let afterSku: string | undefined;
  if (query.cursor) {
    const cursor = decodeCursor<VarianceCursor>(query.cursor, 'stocktake-variances');
    if (cursor.id !== params.stocktakeId || cursor.filter !== filter || typeof cursor.after !== 'string' || cursor.after.length > 64) throw invalidReportCursor();
    afterSku = cursor.after;
  }
  const report = await stocktakes().variances(principal, params.stocktakeId, { ...(states ? { states } : {}), ...(afterSku !== undefined ? { afterSku } : {}), limit: query.limit });
  return {
    body: {
      stocktakeId: report.stocktake.id,
      status: report.stocktake.status,
      locationCode: report.stocktake.locationCode,
      ...(report.currency ? { currency: report.currency } : {}),
      summary: report.summary,
      items: report.lines.map((line) => ({ ...line, state: lineState(line) })),
      ...(report.nextSku ? { nextCursor: encodeCursor('stocktake-variances', { id: report.stocktake.id, filter, after: report.nextSku }) } : {}),
    },
  };
};
