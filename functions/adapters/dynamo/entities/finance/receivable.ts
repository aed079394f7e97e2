import { Entity } from 'electrodb';
import { RECEIVABLE_STATUSES } from '../../../../../domain/credit/credit-profile';

/**
 * Receivables, one per invoice (id = invoice number). Access patterns:
 * - by id (main index);
 * - a dealer's receivables, newest invoice first (gsi1);
 * - a dealer's OPEN receivables by due date (gsi2: partition dealer + `openState`), so the
 *   overdue debt is one Query with `dueDate < today` on the key;
 * - open receivables of all dealers by due date (gsi3: partition `openState`), for the daily
 *   due/overdue alerts. One partition per state: tens of thousands of open receivables at most,
 *   written at invoice and payment pace, far below a partition's limits.
 *   Date ranges on gsi2/gsi3: a sort key extends its due date (`…#dueDate_2026-05-01#id_…`), so
 *   "due on or before D" is `lt({ dueDate: D + 1 day })`; `between`/`lte` with D would miss day D.
 *
 * `openState` is derived from `status` (open|partially_paid → open, paid|void → closed) and
 * stored only to key the indexes; writers go through the repository's toItem, which sets it.
 */
export const ReceivableEntity = new Entity({
  model: { entity: 'receivable', version: '1', service: 'dms' },
  attributes: {
    id: { type: 'string', required: true, readOnly: true },
    invoiceNumber: { type: 'string', required: true, readOnly: true },
    orderId: { type: 'string', required: true, readOnly: true },
    orderNumber: { type: 'string', required: true, readOnly: true },
    dealerId: { type: 'string', required: true, readOnly: true },
    region: { type: 'string', required: true, readOnly: true },
    currency: { type: 'string', required: true, readOnly: true },
    amount: { type: 'number', required: true, readOnly: true },
    paid: { type: 'number', required: true },
    open: { type: 'number', required: true },
    issueDate: { type: 'string', required: true, readOnly: true },
    dueDate: { type: 'string', required: true },
    status: { type: RECEIVABLE_STATUSES, required: true },
    openState: { type: ['open', 'closed'] as const, required: true },
    /** Last time a payment, settlement or reversal moved `paid` (absent until then). */
    lastPaymentAt: { type: 'string' },
    /** Set once the dealer's prepayment was applied at issue (auto-match runs once per invoice). */
    autoMatchedAt: { type: 'string' },
    createdAt: { type: 'string', required: true, readOnly: true },
    updatedAt: { type: 'string', required: true },
    version: { type: 'number', required: true },
  },
  indexes: {
    byId: {
      pk: { field: 'pk', composite: ['id'], casing: 'none' },
      sk: { field: 'sk', composite: [] },
    },
    byDealer: {
      index: 'gsi1',
      pk: { field: 'gsi1pk', composite: ['dealerId'], casing: 'none' },
      sk: { field: 'gsi1sk', composite: ['issueDate', 'id'], casing: 'none' },
    },
    byDealerDue: {
      index: 'gsi2',
      pk: { field: 'gsi2pk', composite: ['dealerId', 'openState'], casing: 'none' },
      sk: { field: 'gsi2sk', composite: ['dueDate', 'id'], casing: 'none' },
    },
    byDueDate: {
      index: 'gsi3',
      pk: { field: 'gsi3pk', composite: ['openState'], casing: 'none' },
      sk: { field: 'gsi3sk', composite: ['dueDate', 'dealerId', 'id'], casing: 'none' },
    },
  },
});
