import { Entity } from 'electrodb';

/**
 * Append-only audit trail. Access patterns, all newest first within a time range: by entity
 * (main index), by actor (gsi1), and everything by month (gsi2, one partition per month so a
 * busy year never piles onto one key).
 */
export const AuditRecordEntity = new Entity({
  model: { entity: 'audit', version: '1', service: 'dms' },
  attributes: {
    id: { type: 'string', required: true, readOnly: true },
    at: { type: 'string', required: true, readOnly: true },
    month: { type: 'string', required: true, readOnly: true },
    actorId: { type: 'string', required: true, readOnly: true },
    actorRoles: { type: 'list', items: { type: 'string' }, required: true },
    actorDealerId: { type: 'string' },
    action: { type: 'string', required: true },
    entityType: { type: 'string', required: true, readOnly: true },
    entityId: { type: 'string', required: true, readOnly: true },
    changes: { type: 'any', required: true },
    requestId: { type: 'string', required: true },
  },
  indexes: {
    byEntity: {
      pk: { field: 'pk', composite: ['entityType', 'entityId'], casing: 'none' },
      sk: { field: 'sk', composite: ['at', 'id'], casing: 'none' },
    },
    byActor: {
      index: 'gsi1',
      pk: { field: 'gsi1pk', composite: ['actorId'], casing: 'none' },
      sk: { field: 'gsi1sk', composite: ['at', 'id'], casing: 'none' },
    },
    byMonth: {
      index: 'gsi2',
      pk: { field: 'gsi2pk', composite: ['month'], casing: 'none' },
      sk: { field: 'gsi2sk', composite: ['at', 'id'], casing: 'none' },
    },
  },
});
