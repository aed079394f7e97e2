import { ChannelSellOutBatchEntity, ChannelSellOutKeyEntity, ChannelSellOutRecordEntity } from './sell-out';
import { ChannelStockLevelEntity } from './stock-level';
import { ChannelStockReportEntity, ChannelStockReportKeyEntity } from './stock-report';

/** The channel context's ElectroDB entities, joined into the single-table service (../../service.ts). */
export const channelEntities = {
  channelStockReport: ChannelStockReportEntity,
  channelStockReportKey: ChannelStockReportKeyEntity,
  channelStockLevel: ChannelStockLevelEntity,
  channelSellOutBatch: ChannelSellOutBatchEntity,
  channelSellOutKey: ChannelSellOutKeyEntity,
  channelSellOutRecord: ChannelSellOutRecordEntity,
};
