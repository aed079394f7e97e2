import * as z from 'zod';

/** Required text: trimmed, non-empty, at most `max` characters. */
export const trimmedText = (max: number) => z.string().trim().min(1).max(max);

/** A sortable unique id (ULID, Crockford base32) such as every dealer, report or batch has. */
export const ulidSchema = (what: string) => z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, `a ${what} id (ULID)`);

export const DealerIdSchema = ulidSchema('dealer');
