import { dynamoIdempotencyStore } from '../../adapters/dynamo/idempotency-store';
import { runtime } from '../../adapters/runtime';
import { httpHandler } from '../../shared/http-handler';
import { powertoolsRunOnce } from '../../shared/idempotency';
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
}, {
  roles: () => runtime().roles,
  runOnce: powertoolsRunOnce(dynamoIdempotencyStore),
});
