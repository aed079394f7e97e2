import { readSalesStatistics } from '../../../domain/orders/sales-statistics';
import { businessDate } from '../../../domain/shared/business-date';
import { ENV } from '../../adapters/dynamo/table-schema';
import { regionRepository } from '../../adapters/dynamo/dealer-repository';
import { salesStatisticsStore } from '../../adapters/dynamo/sales-statistics-store';
import { runtime } from '../../adapters/runtime';
import type { RouteImplementation } from '../route';
import type { salesStatisticsRoutes } from './sales-statistics-routes';

type Spec = Extract<(typeof salesStatisticsRoutes)[number], { operationId: 'getSalesStatistics' }>;

export const getSalesStatistics: RouteImplementation<Spec> = async ({ principal, query }) => ({
  body: await readSalesStatistics(principal, query, {
    reader: salesStatisticsStore,
    allRegions: async () => (await regionRepository.list()).map((region) => region.code),
    today: businessDate(runtime().now(), process.env[ENV.enterpriseTimeZone] ?? 'Asia/Shanghai'),
  }),
});
