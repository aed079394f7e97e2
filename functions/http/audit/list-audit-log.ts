import { runtime } from '../../adapters/runtime';
import type { Implementation } from '../route';
import type { auditContext } from './routes';

/** Without a range the log shows the last year; older records need an explicit `from`. */
const DEFAULT_WINDOW_MS = 366 * 24 * 60 * 60 * 1000;

export const listAuditLog: Implementation<typeof auditContext, 'listAuditLog'> = async ({ query }) => {
  const to = query.to ?? runtime().now().toISOString();
  const from = query.from ?? new Date(Date.parse(to) - DEFAULT_WINDOW_MS).toISOString();
  const page = await runtime().auditLog.query({
    ...(query.entityType && query.entityId ? { entity: { type: query.entityType, id: query.entityId } } : {}),
    ...(query.actorId ? { actorId: query.actorId } : {}),
    from,
    to,
    limit: query.limit,
    ...(query.cursor ? { cursor: query.cursor } : {}),
  });
  return { body: page };
};
