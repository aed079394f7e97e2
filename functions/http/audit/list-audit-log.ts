import { ValidationError } from '../../../domain/shared/errors';
import { runtime } from '../../adapters/runtime';
import type { Implementation } from '../route';
import type { auditContext } from './routes';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Without `from` the log shows the last year; older records need an explicit `from`. */
const DEFAULT_WINDOW_MS = 366 * DAY_MS;
/** One query may span at most ten years (the audit trail's retention horizon). */
const MAX_WINDOW_MS = 3653 * DAY_MS;

export const listAuditLog: Implementation<typeof auditContext, 'listAuditLog'> = async ({ query }) => {
  const to = query.to ?? runtime().now().toISOString();
  const from = query.from ?? new Date(Date.parse(to) - DEFAULT_WINDOW_MS).toISOString();
  if (Date.parse(to) - Date.parse(from) > MAX_WINDOW_MS) {
    throw new ValidationError('The time range may span at most ten years.', [{ path: 'query/from', message: 'range longer than ten years', code: 'range_too_long' }]);
  }
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
