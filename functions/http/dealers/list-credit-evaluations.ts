import { creditEvaluationService } from '../../adapters/credit-runtime';
import type { Implementation } from '../route';
import type { dealersContext } from './routes';

export const listCreditEvaluations: Implementation<typeof dealersContext, 'listCreditEvaluations'> = async ({ principal, params, query }) => {
  const page = await creditEvaluationService().list(principal, params.dealerId, { limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) });
  return { body: page };
};
