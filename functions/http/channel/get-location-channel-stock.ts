import { channelStock } from '../../adapters/channel-runtime';
import type { Implementation } from '../route';
import type { channelContext } from './routes';

export const getLocationChannelStock: Implementation<typeof channelContext, 'getLocationChannelStock'> = async ({ principal, params, query }) => {
  const { limit, cursor } = query;
  const { location, items, nextCursor } = await channelStock().levelsAt(principal, params.locationCode, { limit, ...(cursor ? { cursor } : {}) });
  const { code, name, kind, dealerId, region, status } = location;
  return {
    body: { location: { code, name, kind, ...(dealerId ? { dealerId } : {}), region, status }, items, ...(nextCursor ? { nextCursor } : {}) },
  };
};
