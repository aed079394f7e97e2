import { Entity } from 'electrodb';
import { LIMIT_REQUEST_STATUSES } from '../../../../../domain/credit/limit-requests';

/**
 * Credit limit change requests (domain/credit/limit-requests.ts). One partition per dealer,
 * sorted by the request's ULID: the dealer's requests newest first are one Query. Decisions
 * replace the item conditionally on `status = pending` and its version.
 */
export const CreditLimitRequestEntity = new Entity({
  model: { entity: 'credit_limit_request', version: '1', service: 'dms' },
  attributes: {
    dealerId: { type: 'string', required: true, readOnly: true },
    id: { type: 'string', required: true, readOnly: true },
    region: { type: 'string', required: true },
    currency: { type: 'string', required: true },
    currentLimit: { type: 'number', required: true },
    newLimit: { type: 'number', required: true },
    reason: { type: 'string', required: true },
    status: { type: LIMIT_REQUEST_STATUSES, required: true },
    source: { type: ['manual', 'evaluation'] as const, required: true },
    evaluationId: { type: 'string' },
    requestedBy: { type: 'string', required: true },
    requestedAt: { type: 'string', required: true },
    decidedBy: { type: 'string' },
    decidedAt: { type: 'string' },
    decisionComment: { type: 'string' },
    previousLimit: { type: 'number' },
    updatedAt: { type: 'string', required: true },
    version: { type: 'number', required: true },
  },
  indexes: {
    byDealer: {
      pk: { field: 'pk', composite: ['dealerId'], casing: 'none' },
      sk: { field: 'sk', composite: ['id'], casing: 'none' },
    },
  },
});
