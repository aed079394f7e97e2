import { ValidationError } from '../../../domain/shared/errors';

/**
 * API cursors are opaque to clients: base64url JSON tagged with the list they belong to, so a
 * cursor from one list (or a tampered one) is a clear 400, never a 500 from DynamoDB.
 */
export function encodeCursor(list: string, state: object): string {
  return Buffer.from(JSON.stringify({ l: list, s: state }), 'utf8').toString('base64url');
}

export function decodeCursor<T>(cursor: string, list: string): T {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { l?: unknown; s?: unknown };
    if (parsed.l === list && parsed.s && typeof parsed.s === 'object') return parsed.s as T;
  } catch {
    // fall through
  }
  throw new ValidationError('The cursor is not valid for this list.', [{ path: 'query/cursor', message: 'invalid cursor' }], 'invalid_cursor');
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
    if (cursor && cursorFault) {
      throw new ValidationError('The cursor is not valid for this list.', [{ path: 'query/cursor', message: 'invalid cursor' }], 'invalid_cursor');
    }
    throw error;
  }
}
