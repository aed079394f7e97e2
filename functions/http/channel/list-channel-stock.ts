import { channelStock } from '../../adapters/channel-runtime';
import type { Implementation } from '../route';
import type { channelContext } from './routes';

export const listChannelStock: Implementation<typeof channelContext, 'listChannelStock'> = async ({ principal, query }) => {
  const { limit, cursor, ...filter } = query;
  return { body: await channelStock().listLevels(principal, filter, { limit, ...(cursor ? { cursor } : {}) }) };
};
