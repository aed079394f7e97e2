import { approvePayable } from './approve-payable';
import { cancelPayable } from './cancel-payable';
import { createPayable } from './create-payable';
import { getPayable } from './get-payable';
import { listPayables } from './list-payables';
import { settlePayable } from './settle-payable';

/** Implementations of payableRoutes, keyed by operationId. */
export const payableHandlers = { createPayable, listPayables, getPayable, approvePayable, settlePayable, cancelPayable };
