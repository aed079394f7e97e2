import { ValidationError } from '../../../domain/shared/errors';
import { MAIN_TABLE } from './table-schema';

const KEY_ATTRIBUTES = new Set<string>([
  MAIN_TABLE.partitionKey,
  MAIN_TABLE.sortKey,
  ...MAIN_TABLE.globalIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
]);

/**
 * ElectroDB's cursor is base64url JSON of DynamoDB's LastEvaluatedKey. Ours only ever hold
 * table key attributes with string values; anything else was made by hand.
 */
function isKeyCursor(electro: unknown): boolean {
  if (typeof electro !== 'string' || electro.length > 1500) return false;
  try {
    const key = JSON.parse(Buffer.from(electro, 'base64url').toString('utf8')) as unknown;
    if (!key || typeof key !== 'object' || Array.isArray(key)) return false;
    const entries = Object.entries(key);
    return entries.length > 0 && entries.every(([name, value]) => KEY_ATTRIBUTES.has(name) && typeof value === 'string' && value.length <= 1024);
  } catch {
    return false;
  }
}

/** The one 400 for a cursor that does not belong to the list or filter it is sent with. */
export function invalidCursor(detail = 'The cursor is not valid for this list.'): ValidationError {
  return new ValidationError(detail, [{ path: 'query/cursor', message: 'invalid cursor' }], 'invalid_cursor');
}

/**
 * API cursors are opaque to clients: base64url JSON tagged with the list they belong to, so a
 * cursor from one list (or a tampered one) is a clear 400, never a 500 from DynamoDB. The
 * state's `electro` field, when present, is an ElectroDB cursor and is checked for shape.
 */
export function encodeCursor(list: string, state: object): string {
  return Buffer.from(JSON.stringify({ l: list, s: state }), 'utf8').toString('base64url');
}

export function decodeCursor<T>(cursor: string, list: string): T {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { l?: unknown; s?: Record<string, unknown> };
    const state = parsed.s;
    if (parsed.l === list && state && typeof state === 'object' && (state.electro === undefined || isKeyCursor(state.electro))) {
      return state as T;
    }
  } catch {
    // fall through
  }
  throw invalidCursor();
}

/**
 * Runs a query that resumes from a client-supplied cursor. A cursor that decodes but points
 * nowhere valid (edited by hand) makes ElectroDB or DynamoDB complain; that is the client's
 * mistake, so it becomes the same 400 as an undecodable cursor.
 */
export async function withClientCursor<T>(cursor: string | null | undefined, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const e = error as { name?: string; message?: string; cause?: { name?: string } };
    const cursorFault =
      /cursor|starting key|exclusivestartkey/i.test(e.message ?? '') || e.name === 'ValidationException' || e.cause?.name === 'ValidationException';
    if (cursor && cursorFault) throw invalidCursor();
    throw error;
  }
}
