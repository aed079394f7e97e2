import { getSalesStatistics } from './get-sales-statistics';

/** Implementations of salesStatisticsRoutes, keyed by operationId. */
export const salesStatisticsHandlers = { getSalesStatistics };
