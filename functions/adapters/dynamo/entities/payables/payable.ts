import { Entity } from 'electrodb';
import { PAYABLE_KINDS, PAYABLE_STATUSES } from '../../../../../domain/finance/payables';

/**
 * A payable (应付: rebate, refund, commission owed to a dealer). Access patterns:
 * - by id (main index);
 * - a dealer's payables, newest first (gsi1: pk dealerId, sk createdAt#id);
 * - payables in one status, newest first (gsi2: pk status) — finance's approval and settlement
 *   queues;
 * - all payables, newest first (gsi3: one static partition; payables are recorded by hand, a
 *   few thousand a year, far below a partition's limits).
 * `status` keys gsi2, so every change is a full put under the version read (never a patch).
 */
export const PayableEntity = new Entity({
  model: { entity: 'payable', version: '1', service: 'dms' },
  attributes: {
    id: { type: 'string', required: true, readOnly: true },
    dealerId: { type: 'string', required: true, readOnly: true },
    region: { type: 'string', required: true, readOnly: true },
    kind: { type: PAYABLE_KINDS, required: true, readOnly: true },
    amount: { type: 'number', required: true, readOnly: true },
    currency: { type: 'string', required: true, readOnly: true },
    reason: { type: 'string', required: true, readOnly: true },
    reference: { type: 'string', required: true, readOnly: true },
    dueDate: { type: 'string', readOnly: true },
    status: { type: PAYABLE_STATUSES, required: true },
    createdBy: { type: 'string', required: true, readOnly: true },
    createdAt: { type: 'string', required: true, readOnly: true },
    approvedBy: { type: 'string' },
    approvedAt: { type: 'string' },
    settledBy: { type: 'string' },
    settledAt: { type: 'string' },
    settlement: { type: 'any' },
    cancelledBy: { type: 'string' },
    cancelledAt: { type: 'string' },
    cancelReason: { type: 'string' },
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
      sk: { field: 'gsi1sk', composite: ['createdAt', 'id'], casing: 'none' },
    },
    byStatus: {
      index: 'gsi2',
      pk: { field: 'gsi2pk', composite: ['status'], casing: 'none' },
      sk: { field: 'gsi2sk', composite: ['createdAt', 'id'], casing: 'none' },
    },
    all: {
      index: 'gsi3',
      pk: { field: 'gsi3pk', composite: [], casing: 'none' },
      sk: { field: 'gsi3sk', composite: ['createdAt', 'id'], casing: 'none' },
    },
  },
});
