import * as z from 'zod';

/** Query parameters arrive as strings; numbers are coerced, anything else unknown is rejected. */
export const CursorPageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(2048).optional(),
});

export function page<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    /** Opaque; pass it back as `cursor` for the next page. Absent on the last page. */
    nextCursor: z.string().optional(),
  });
}

export const IsoInstant = z.iso.datetime({ offset: false });
