import { getDealerAccount } from './get-dealer-account';
import { getPayment } from './get-payment';
import { getReceivable } from './get-receivable';
import { getReceivableAging } from './get-receivable-aging';
import { listDealerAccountEntries } from './list-dealer-account-entries';
import { listPayments } from './list-payments';
import { listReceivables } from './list-receivables';
import { postDealerAccountEntry } from './post-dealer-account-entry';
import { recordPayment } from './record-payment';
import { reversePayment } from './reverse-payment';
import { settleReceivable } from './settle-receivable';

/** Implementations of paymentRoutes (receivables, payments, dealer accounts), keyed by operationId. */
export const paymentHandlers = {
  listReceivables,
  getReceivableAging,
  getReceivable,
  settleReceivable,
  recordPayment,
  listPayments,
  getPayment,
  reversePayment,
  getDealerAccount,
  listDealerAccountEntries,
  postDealerAccountEntry,
};
