/** Placeholder: implementations of invoiceRoutes, keyed by operationId. */
export const invoiceHandlers = {};
