import { redactDealer } from '../../../domain/dealers/dealer-service';
import { runtime } from '../../adapters/runtime';
import type { Implementation } from '../route';
import type { dealersContext } from './routes';

export const listDealers: Implementation<typeof dealersContext, 'listDealers'> = async ({ principal, query }) => {
  const { limit, cursor, ...filter } = query;
  const page = await runtime().dealers.list(principal, filter, { limit, ...(cursor ? { cursor } : {}) });
  return { body: { ...page, items: page.items.map((dealer) => redactDealer(principal, dealer)) } };
};
