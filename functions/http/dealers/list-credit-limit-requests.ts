import { limitRequestService } from '../../adapters/credit-runtime';
import type { Implementation } from '../route';
import type { dealersContext } from './routes';

export const listCreditLimitRequests: Implementation<typeof dealersContext, 'listCreditLimitRequests'> = async ({ principal, params, query }) => {
  const page = await limitRequestService().list(principal, params.dealerId, { limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) });
  return { body: page };
};
