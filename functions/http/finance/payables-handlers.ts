/** Placeholder: implementations of payableRoutes, keyed by operationId. */
export const payableHandlers = {};
