import { Entity } from 'electrodb';

/**
 * "Alert `kind` about `objectId` went out for business date `date`": the idempotency marker of
 * the scheduled alerts (functions/schedules/). Created conditionally (attribute_not_exists)
 * BEFORE the email is sent, so re-runs and retried invocations find it and send nothing. Expires
 * through the table's TTL after `expiresAt` (a year: long after any retry could arrive).
 * Access: by key only.
 */
export const AlertMarkerEntity = new Entity({
  model: { entity: 'alert_marker', version: '1', service: 'dms' },
  attributes: {
    kind: { type: 'string', required: true, readOnly: true },
    objectId: { type: 'string', required: true, readOnly: true },
    date: { type: 'string', required: true, readOnly: true },
    claimedAt: { type: 'string', required: true, readOnly: true },
    detail: { type: 'any', readOnly: true },
    expiresAt: { type: 'number', readOnly: true },
  },
  indexes: {
    byKey: {
      pk: { field: 'pk', composite: ['kind', 'objectId'], casing: 'none' },
      sk: { field: 'sk', composite: ['date'], casing: 'none' },
    },
  },
});

/**
 * Dunning level `level` of receivable `receivableId` was sent on business date `date`: once per
 * receivable and level, whatever the date (the policy's levels are days relative to the due
 * date). The receivable's items sort by level, so its dunning history is one Query.
 */
export const DunningMarkerEntity = new Entity({
  model: { entity: 'dunning_marker', version: '1', service: 'dms' },
  attributes: {
    receivableId: { type: 'string', required: true, readOnly: true },
    level: { type: 'number', required: true, readOnly: true },
    date: { type: 'string', required: true, readOnly: true },
    claimedAt: { type: 'string', required: true, readOnly: true },
  },
  indexes: {
    byReceivable: {
      pk: { field: 'pk', composite: ['receivableId'], casing: 'none' },
      sk: { field: 'sk', composite: ['level'], casing: 'none' },
    },
  },
});
