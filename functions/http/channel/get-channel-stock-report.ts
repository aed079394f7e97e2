import { channelStock } from '../../adapters/channel-runtime';
import type { Implementation } from '../route';
import type { channelContext } from './routes';

export const getChannelStockReport: Implementation<typeof channelContext, 'getChannelStockReport'> = async ({ principal, params }) => ({
  body: await channelStock().getReport(principal, params.reportId),
});
