import { getAccountBalancesReport } from './get-account-balances-report';
import { getCollectionsReport } from './get-collections-report';
import { getDsoReport } from './get-dso-report';
import { getOpenReceivablesReport } from './get-open-receivables-report';
import { getRevenueReport } from './get-revenue-report';

/** Implementations of financeReportRoutes, keyed by operationId. */
export const financeReportHandlers = { getCollectionsReport, getRevenueReport, getDsoReport, getOpenReceivablesReport, getAccountBalancesReport };
