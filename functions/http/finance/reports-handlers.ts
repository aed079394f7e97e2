/** Placeholder: implementations of financeReportRoutes, keyed by operationId. */
export const financeReportHandlers = {};
