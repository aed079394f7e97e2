import * as z from 'zod';
import { defineContext } from '../route';
import { CursorPageQuery, IsoInstant, page } from '../schemas';

export const AuditRecordView = z.object({
  id: z.string(),
  at: z.string(),
  actorId: z.string(),
  actorRoles: z.array(z.string()),
  actorDealerId: z.string().optional(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string(),
  changes: z.record(z.string(), z.object({ before: z.unknown().optional(), after: z.unknown().optional() })),
  requestId: z.string(),
});

export const AuditLogQuery = CursorPageQuery.extend({
  entityType: z.string().regex(/^[a-z_]{2,40}$/).optional(),
  entityId: z.string().min(1).max(100).optional(),
  actorId: z.string().min(1).max(128).optional(),
  from: IsoInstant.optional(),
  to: IsoInstant.optional(),
})
  .refine((q) => (q.entityId === undefined) === (q.entityType === undefined), {
    message: 'entityType and entityId go together',
    path: ['entityId'],
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] });

export const auditContext = defineContext({
  name: 'audit',
  resources: { mainTable: 'read', idempotencyTable: false, eventBus: false },
  routes: [
    {
      operationId: 'listAuditLog',
      method: 'GET',
      path: '/audit-log',
      summary: 'Audit records, newest first, filtered by entity, actor and time range',
      permission: 'audit:read',
      query: AuditLogQuery,
      response: page(AuditRecordView),
      successStatus: 200,
      mutates: false,
    },
  ],
});
