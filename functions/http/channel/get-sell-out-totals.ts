import { channelStock } from '../../adapters/channel-runtime';
import { runtime } from '../../adapters/runtime';
import type { Implementation } from '../route';
import type { channelContext } from './routes';

export const getSellOutTotals: Implementation<typeof channelContext, 'getSellOutTotals'> = async ({ principal, query }) => {
  const { limit, cursor, ...filter } = query;
  return { body: await channelStock().sellOutTotals(principal, filter, runtime().now(), { limit, ...(cursor ? { cursor } : {}) }) };
};
