import * as z from 'zod';
import { BusinessDateSchema, LocationCodeSchema, NewSellOutBatchSchema, NewStockReportSchema, SkuSchema } from '../../../domain/channel/channel-stock';
import { RegionCodeSchema } from '../../../domain/dealers/dealer';
import { defineContext } from '../route';
import { CursorPageQuery, page } from '../schemas';
import { ChannelLocationView, ChannelStockLevelView, SellOutBatchView, SellOutTotalView, StockReportView } from './views';
import { ulidSchema } from '../../../domain/shared/schemas';


const ChannelFilterQuery = CursorPageQuery.extend({
  dealerId: ulidSchema('dealer').optional(),
  sku: SkuSchema.optional(),
  region: RegionCodeSchema.optional(),
});

export const channelContext = defineContext({
  name: 'channel',
  resources: { mainTable: 'readwrite', idempotencyTable: true, eventBus: false },
  routes: [
    {
      operationId: 'reportChannelStock',
      method: 'POST',
      path: '/channel-stock/reports',
      summary: 'Report the stock on hand at one of the dealer’s own locations (a batch of up to 500 SKUs)',
      description:
        'Each line becomes the current level of its SKU at the location, unless a report with a later date (or a later report for the same date) already set it. ' +
        'Re-sending the same report (same location, date and lines) is a replay: the first report is returned and nothing is recorded twice.',
      permission: 'channel_stock:report',
      body: NewStockReportSchema,
      response: StockReportView,
      successStatus: 201,
      idempotent: true,
      mutates: true,
    },
    {
      operationId: 'getChannelStockReport',
      method: 'GET',
      path: '/channel-stock/reports/{reportId}',
      summary: 'Read one stock report as it was accepted',
      permission: 'channel_stock:read',
      params: z.strictObject({ reportId: ulidSchema('report') }),
      response: StockReportView,
      successStatus: 200,
      mutates: false,
    },
    {
      operationId: 'listChannelStock',
      method: 'GET',
      path: '/channel-stock',
      summary: 'Channel stock levels by dealer, by SKU across dealers, or by region',
      description: 'Dealer principals see only their own locations. Staff name a dealerId, a sku or a region (region-scoped staff with one region may omit all).',
      permission: 'channel_stock:read',
      query: ChannelFilterQuery,
      response: page(ChannelStockLevelView),
      successStatus: 200,
      mutates: false,
    },
    {
      operationId: 'getLocationChannelStock',
      method: 'GET',
      path: '/channel-stock/locations/{locationCode}',
      summary: 'The current channel stock levels of one dealer location',
      permission: 'channel_stock:read',
      params: z.strictObject({ locationCode: LocationCodeSchema }),
      query: CursorPageQuery,
      response: page(ChannelStockLevelView).extend({ location: ChannelLocationView }),
      successStatus: 200,
      mutates: false,
    },
    {
      operationId: 'recordSellOut',
      method: 'POST',
      path: '/channel-stock/sell-out',
      summary: 'Record sales to the dealer’s customers from one of its locations (a batch of up to 500 lines)',
      description: 'Re-sending the same batch (same location and lines) is a replay: the first batch is returned and no sale is counted twice.',
      permission: 'channel_stock:report',
      body: NewSellOutBatchSchema,
      response: SellOutBatchView,
      successStatus: 201,
      idempotent: true,
      mutates: true,
    },
    {
      operationId: 'getSellOutBatch',
      method: 'GET',
      path: '/channel-stock/sell-out/batches/{batchId}',
      summary: 'Read one sell-out batch as it was accepted',
      permission: 'channel_stock:read',
      params: z.strictObject({ batchId: ulidSchema('sell-out batch') }),
      response: SellOutBatchView,
      successStatus: 200,
      mutates: false,
    },
    {
      operationId: 'getSellOutTotals',
      method: 'GET',
      path: '/channel-stock/sell-out',
      summary: 'Sell-out summed per SKU over a date range (default: the last 30 days), by dealer, SKU or region',
      permission: 'channel_stock:read',
      query: ChannelFilterQuery.extend({
        from: BusinessDateSchema.optional(),
        to: BusinessDateSchema.optional(),
      }),
      response: page(SellOutTotalView).extend({ from: z.string(), to: z.string() }),
      successStatus: 200,
      mutates: false,
    },
  ],
});
