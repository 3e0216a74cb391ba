import { z } from 'zod';

/**
 * Keyset cursors, encoded and decoded in one place. A cursor is the base64url JSON of the sort key of the last row a
 * page returned; it comes back from the client, so it is untrusted input: it is decoded and checked against the
 * caller's Zod schema, and anything else is a 400 naming `cursor` (never a value handed to SQL unchecked).
 */
export function encodeCursor(key: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

/** The cursor's parameter name in every list query. */
export const CURSOR_FIELD = 'cursor';

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Decodes a cursor made by encodeCursor and validates it with `schema`; a tampered cursor throws a ZodError on `cursor`. */
export function decodeCursor<T>(cursor: string, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    if (!BASE64URL.test(cursor)) throw new Error('not base64url');
    // A NUL character is refused here as it is in every other query value: PostgreSQL's text cannot hold it.
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'), (_key, value: unknown) => {
      if (typeof value === 'string' && value.includes('\u0000')) throw new Error('NUL character');
      return value;
    });
  } catch {
    throw invalidCursor(cursor);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw invalidCursor(cursor);
  return parsed.data;
}

function invalidCursor(input: string): z.ZodError {
  return new z.ZodError([{ code: 'custom', path: [CURSOR_FIELD], message: 'validation.cursor', input }]);
}

/** The last id of a page, as the id column holds it. */
export const cursorId = z.string().min(1).max(100);
/** A sort key that is an instant as Vigie stores it (ISO 8601, UTC). */
export const cursorInstant = z.iso.datetime({ offset: true });
/** A sort key that is a count. */
export const cursorCount = z.number().int().min(-1_000_000_000).max(1_000_000_000);
