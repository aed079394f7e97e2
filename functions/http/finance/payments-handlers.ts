/** Placeholder: implementations of paymentRoutes, keyed by operationId. */
export const paymentHandlers = {};
