import { Entity } from 'electrodb';
import { PAYMENT_METHODS, PAYMENT_STATUSES } from '../../../../../domain/finance/payment';

/**
 * A recorded incoming payment (收款) with its allocations to invoices (at most
 * MAX_ALLOCATIONS, so the recording transaction stays far below 100 items) and what went to
 * the dealer's prepayment account. Access patterns:
 * - by id (main index);
 * - a dealer's payments by value date (gsi1: pk dealerId, sk valueDate#id);
 * - all payments of a value-date month by value date (gsi2: pk `valueMonth` = YYYY-MM of the
 *   value date, sk valueDate#id). Reports (collections by period) read this index month by
 *   month through `listPaymentsByValueDate` in ../../payment-store.ts; one partition per month
 *   holds a month of bank receipts, far below a partition's limits.
 * Sort keys extend the date (`…#valueDate_2026-05-01#id_…`): "on or before D" is `lt(D + 1 day)`.
 */
export const PaymentEntity = new Entity({
  model: { entity: 'payment', version: '1', service: 'dms' },
  attributes: {
    id: { type: 'string', required: true, readOnly: true },
    dealerId: { type: 'string', required: true, readOnly: true },
    region: { type: 'string', required: true, readOnly: true },
    currency: { type: 'string', required: true, readOnly: true },
    amount: { type: 'number', required: true, readOnly: true },
    valueDate: { type: 'string', required: true, readOnly: true },
    valueMonth: { type: 'string', required: true, readOnly: true },
    method: { type: PAYMENT_METHODS, required: true, readOnly: true },
    bankReference: { type: 'string', required: true, readOnly: true },
    note: { type: 'string' },
    /** The explicit allocations as requested (absent: oldest due first); compared on a replay. */
    requestedAllocations: { type: 'any' },
    allocations: { type: 'any', required: true },
    allocated: { type: 'number', required: true },
    toPrepayment: { type: 'number', required: true },
    status: { type: PAYMENT_STATUSES, required: true },
    reversal: { type: 'any' },
    createdAt: { type: 'string', required: true, readOnly: true },
    createdBy: { type: 'string', required: true, readOnly: true },
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
      sk: { field: 'gsi1sk', composite: ['valueDate', 'id'], casing: 'none' },
    },
    byValueMonth: {
      index: 'gsi2',
      pk: { field: 'gsi2pk', composite: ['valueMonth'], casing: 'none' },
      sk: { field: 'gsi2sk', composite: ['valueDate', 'id'], casing: 'none' },
    },
  },
});
