import { channelStock } from '../../adapters/channel-runtime';
import type { Implementation } from '../route';
import type { channelContext } from './routes';

export const getSellOutBatch: Implementation<typeof channelContext, 'getSellOutBatch'> = async ({ principal, params }) => ({
  body: await channelStock().getSellOutBatch(principal, params.batchId),
});
