import type { AuditEntry, AuditLogReader, AuditQuery } from '../../../domain/audit/audit-entry';
import { ValidationError } from '../../../domain/shared/errors';
import { dms } from './service';
import { decodeCursor, encodeCursor, withClientCursor } from './cursor';

/** The audit item for an entry; repositories `create` it inside the transaction of the change. */
export function auditItem(entry: AuditEntry) {
  return { ...entry, month: entry.at.slice(0, 7) };
}

function toEntry(item: Record<string, unknown>): AuditEntry {
  const { month: _month, ...entry } = item;
  return entry as unknown as AuditEntry;
}

/** Months from `to` back to `from`, newest first, as `YYYY-MM`. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let year = Number(to.slice(0, 4));
  let month = Number(to.slice(5, 7));
  const stop = from.slice(0, 7);
  for (;;) {
    const key = `${year}-${String(month).padStart(2, '0')}`;
    if (key < stop) break;
    months.push(key);
    month -= 1;
    if (month === 0) {
      month = 12;
      year -= 1;
    }
  }
  return months;
}

/** Bounds the work of one request over a long, sparse range; the cursor carries on from there. */
const MONTHS_PER_PAGE = 12;

interface AuditCursor {
  /** For the month walk: the month the page stopped in. */
  month?: string;
  electro?: string;
}

export const auditLogReader: AuditLogReader = {
  async query(query: AuditQuery) {
    // An empty range (e.g. `from` in the future, `to` defaulting to now) has nothing in it.
    if (query.from > query.to) return { items: [] };
    const audit = dms().entities.audit;
    const cursor = query.cursor ? decodeCursor<AuditCursor>(query.cursor, 'audit') : undefined;
    // Sort keys are `<at>#<id>`; an instant just past `to` bounds the range inclusively.
    const range = { from: { at: query.from }, to: { at: `${query.to}~` } };

    if (query.entity || query.actorId) {
      const base = query.entity
        ? audit.query.byEntity({ entityType: query.entity.type, entityId: query.entity.id })
        : audit.query.byActor({ actorId: query.actorId! });
      const filtered = base
        .between(range.from, range.to)
        .where((attr, op) => (query.entity && query.actorId ? op.eq(attr.actorId, query.actorId) : ''));
      const result = await withClientCursor(cursor?.electro, () =>
        filtered.go({ order: 'desc', count: query.limit, cursor: cursor?.electro ?? null }),
      );
      return {
        items: result.data.map((item) => toEntry(item)),
        ...(result.cursor ? { nextCursor: encodeCursor('audit', { electro: result.cursor }) } : {}),
      };
    }

    // Everything in the range: walk the month partitions newest first until the page is full,
    // reading at most MONTHS_PER_PAGE partitions per request (a sparse range pages on).
    const months = monthsBetween(query.from, query.to);
    const start = cursor?.month ? months.indexOf(cursor.month) : 0;
    if (start < 0) throw new ValidationError('The cursor does not belong to this query.', [{ path: 'query/cursor', message: 'invalid cursor' }], 'invalid_cursor');
    const items: AuditEntry[] = [];
    let electro: string | null = cursor?.electro ?? null;
    const stop = Math.min(months.length, start + MONTHS_PER_PAGE);
    for (let i = start; i < stop; i += 1) {
      const month = months[i]!;
      const resumeFrom = electro;
      const result = await withClientCursor(resumeFrom, () =>
        audit.query
          .byMonth({ month })
          .between(range.from, range.to)
          .go({ order: 'desc', count: query.limit - items.length, cursor: resumeFrom }),
      );
      items.push(...result.data.map((item) => toEntry(item)));
      electro = result.cursor;
      if (items.length >= query.limit || i === stop - 1) {
        const next = electro ? { month, electro } : months[i + 1] ? { month: months[i + 1]! } : undefined;
        return { items, ...(next ? { nextCursor: encodeCursor('audit', next) } : {}) };
      }
      electro = null;
    }
    return { items };
  },
};
