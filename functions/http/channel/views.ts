import * as z from 'zod';

const StockReportLineView = z.object({ sku: z.string(), quantity: z.number().int() });

export const StockReportView = z.object({
  id: z.string(),
  dealerId: z.string(),
  locationCode: z.string(),
  region: z.string(),
  asOf: z.string().describe('business date the levels are valid for'),
  lines: z.array(StockReportLineView),
  lineCount: z.number().int(),
  totalQuantity: z.number().int(),
  contentHash: z.string().describe('fingerprint of location, date and lines: the same content again is a replay'),
  reportedAt: z.string(),
  reportedBy: z.string(),
});

export const ChannelStockLevelView = z.object({
  locationCode: z.string(),
  dealerId: z.string(),
  region: z.string(),
  sku: z.string(),
  quantity: z.number().int(),
  asOf: z.string().describe('date of the report the level comes from'),
  reportId: z.string(),
  reportedAt: z.string(),
});

export const ChannelLocationView = z.object({
  code: z.string(),
  name: z.string(),
  kind: z.string(),
  dealerId: z.string().optional(),
  region: z.string(),
  status: z.string(),
});

const SellOutLineView = z.object({
  sku: z.string(),
  quantity: z.number().int(),
  soldOn: z.string(),
  customerRef: z.string().optional(),
});

export const SellOutBatchView = z.object({
  id: z.string(),
  dealerId: z.string(),
  locationCode: z.string(),
  region: z.string(),
  lines: z.array(SellOutLineView),
  lineCount: z.number().int(),
  totalQuantity: z.number().int(),
  firstSoldOn: z.string(),
  lastSoldOn: z.string(),
  contentHash: z.string(),
  reportedAt: z.string(),
  reportedBy: z.string(),
});

export const SellOutTotalView = z.object({
  sku: z.string(),
  quantity: z.number().int().describe('units sold in the range'),
  lineCount: z.number().int().describe('sale lines summed'),
});
