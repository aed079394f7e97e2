import { writeContextDependencies } from '../../adapters/http-dependencies';
import { httpHandler } from '../../shared/http-handler';
import { getChannelStockReport } from './get-channel-stock-report';
import { getLocationChannelStock } from './get-location-channel-stock';
import { getSellOutBatch } from './get-sell-out-batch';
import { getSellOutTotals } from './get-sell-out-totals';
import { listChannelStock } from './list-channel-stock';
import { recordSellOut } from './record-sell-out';
import { reportChannelStock } from './report-channel-stock';
import { channelContext } from './routes';

export const handler = httpHandler(channelContext, {
  reportChannelStock,
  getChannelStockReport,
  listChannelStock,
  getLocationChannelStock,
  recordSellOut,
  getSellOutBatch,
  getSellOutTotals,
}, writeContextDependencies);
