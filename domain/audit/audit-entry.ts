import type { Principal } from '../access/principal';

export interface FieldChange {
  before?: unknown;
  after?: unknown;
}

/** One state change, written in the same transaction as the change itself. Append-only. */
export interface AuditEntry {
  id: string;
  at: string;
  actorId: string;
  actorRoles: string[];
  actorDealerId?: string;
  action: string;
  entityType: string;
  entityId: string;
  changes: Record<string, FieldChange>;
  requestId: string;
}

/** The facts about a request that every use case needs to act and to leave a trace. */
export interface RequestContext {
  principal: Principal;
  requestId: string;
  now: Date;
  newId: () => string;
}

const IGNORED_FIELDS = new Set(['version', 'updatedAt']);

/**
 * Top-level fields whose value differs between two states. Nested values (contacts, addresses)
 * are compared as a whole, so the record shows the full list before and after.
 */
export function changedFields(before: object | undefined, after: object | undefined): Record<string, FieldChange> {
  const changes: Record<string, FieldChange> = {};
  const beforeRecord = (before ?? {}) as Record<string, unknown>;
  const afterRecord = (after ?? {}) as Record<string, unknown>;
  const keys = new Set([...Object.keys(beforeRecord), ...Object.keys(afterRecord)]);
  for (const key of keys) {
    if (IGNORED_FIELDS.has(key)) continue;
    const b = beforeRecord[key];
    const a = afterRecord[key];
    if (canonicalJson(b) === canonicalJson(a)) continue;
    const change: FieldChange = {};
    if (b !== undefined) change.before = b;
    if (a !== undefined) change.after = a;
    changes[key] = change;
  }
  return changes;
}

export function auditEntry(
  ctx: RequestContext,
  action: string,
  entity: { type: string; id: string },
  before: object | undefined,
  after: object | undefined,
): AuditEntry {
  const entry: AuditEntry = {
    id: ctx.newId(),
    at: ctx.now.toISOString(),
    actorId: ctx.principal.userId,
    actorRoles: ctx.principal.roles,
    action,
    entityType: entity.type,
    entityId: entity.id,
    changes: changedFields(before, after),
    requestId: ctx.requestId,
  };
  if (ctx.principal.dealerId) entry.actorDealerId = ctx.principal.dealerId;
  return entry;
}

export interface AuditQuery {
  entity?: { type: string; id: string };
  actorId?: string;
  from: string;
  to: string;
  limit: number;
  cursor?: string;
}

/** Port: reads the audit trail (writes happen inside each repository's transactions). */
export interface AuditLogReader {
  query(query: AuditQuery): Promise<{ items: AuditEntry[]; nextCursor?: string }>;
}

/** JSON with object keys sorted: stored items come back with their keys in another order. */
function canonicalJson(value: unknown): string | undefined {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
