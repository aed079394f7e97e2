import * as z from 'zod';
import { RegionCodeSchema } from '../../../domain/dealers/dealer';
import { MAX_DAY_RANGE, MAX_MONTH_RANGE, SALES_DIMENSIONS, SALES_GRANULARITIES } from '../../../domain/orders/sales-statistics';
import { CurrencySchema } from '../../../domain/shared/money';
import { DealerIdSchema } from '../../../domain/shared/schemas';
import type { RouteSpec } from '../route';

const AmountsView = z.object({
  orders: z.number().int().describe('orders (a product row counts the orders containing the product)'),
  quantity: z.number().int(),
  net: z.number().int().describe('分'),
  vat: z.number().int().describe('分'),
  gross: z.number().int().describe('分'),
});

export const SalesStatisticsView = z.object({
  currency: z.string(),
  groupBy: z.enum(SALES_DIMENSIONS),
  granularity: z.enum(SALES_GRANULARITIES),
  from: z.string().describe('first period, YYYY-MM-DD or YYYY-MM'),
  to: z.string().describe('last period, inclusive'),
  rows: z.array(
    AmountsView.extend({
      period: z.string(),
      key: z.string().describe('`total`, a dealer id, a region code, a SKU or a channel'),
      label: z.string().optional().describe('dealer or product name'),
    }),
  ),
  totals: AmountsView.describe('over the whole range (orders counted once, also when grouping by product)'),
});

/** Sales statistics (销售统计), read from counters kept when orders are booked. */
export const salesStatisticsRoutes = [
  {
    operationId: 'getSalesStatistics',
    method: 'GET',
    path: '/sales-statistics',
    summary: 'Sales totals (orders, quantity, net, VAT, gross) per day or month, by dealer, region, product or channel',
    description:
      'Approved orders count on their approval date (Asia/Shanghai); cancelling an approved order takes it out again. ' +
      `Ranges: at most ${MAX_DAY_RANGE} days or ${MAX_MONTH_RANGE} months; for month granularity from/to may be YYYY-MM. ` +
      'Defaults: month granularity, groupBy=total, to = the current period, from = 12 months (30 days) before. ' +
      'Headquarters staff see every region, region-scoped staff their own regions (another region filters to nothing). ' +
      'dealerId narrows groupBy=dealer to one dealer.',
    permission: 'sales_stats:read',
    query: z.strictObject({
      groupBy: z.enum(SALES_DIMENSIONS).optional(),
      granularity: z.enum(SALES_GRANULARITIES).optional(),
      from: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, 'YYYY-MM-DD (or YYYY-MM for month granularity)').optional(),
      to: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, 'YYYY-MM-DD (or YYYY-MM for month granularity)').optional(),
      region: RegionCodeSchema.optional(),
      dealerId: DealerIdSchema.optional(),
      currency: CurrencySchema.optional(),
    }),
    response: SalesStatisticsView,
    successStatus: 200,
    mutates: false,
  },
] as const satisfies readonly RouteSpec[];
