import { channelStock } from '../../adapters/channel-runtime';
import { requestContext } from '../../shared/use-case-context';
import type { Implementation } from '../route';
import type { channelContext } from './routes';

export const recordSellOut: Implementation<typeof channelContext, 'recordSellOut'> = async (input) => {
  const { created, value: batch } = await channelStock().recordSellOut(requestContext(input), input.body);
  return {
    body: batch,
    headers: { location: `${input.baseUrl}/channel-stock/sell-out/batches/${batch.id}`, ...(created ? {} : { 'x-replayed': 'true' }) },
  };
};
