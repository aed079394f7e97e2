import { Entity } from 'electrodb';

/** Administrator-defined roles; built-in roles live in code (domain/access/roles.ts). */
export const RoleEntity = new Entity({
  model: { entity: 'role', version: '1', service: 'dms' },
  attributes: {
    name: { type: 'string', required: true, readOnly: true },
    description: { type: 'string', required: true },
    permissions: { type: 'list', items: { type: 'string' }, required: true },
    scope: { type: ['all', 'region', 'dealer'] as const, required: true },
    createdAt: { type: 'string', required: true },
    updatedAt: { type: 'string', required: true },
    version: { type: 'number', required: true },
  },
  indexes: {
    byName: {
      pk: { field: 'pk', composite: ['name'], casing: 'none' },
      sk: { field: 'sk', composite: [] },
    },
    all: {
      index: 'gsi1',
      pk: { field: 'gsi1pk', composite: [] },
      sk: { field: 'gsi1sk', composite: ['name'], casing: 'none' },
    },
  },
});
