// Cursor pagination for every list of the API: `?limit=` (1–200, default 50) and an
// opaque `?cursor=` taken from the previous page's `nextCursor` (null on the last page).
// A cursor is the sort key of the last row served, so pages are keyset pages: rows
// inserted while a client walks the list never shift the rows it has yet to see, and
// none is served twice. The encoding is opaque on purpose so it can change later.
import { z } from 'zod';

const VERSION = 'v1.';
const MAX_KEY = Number.MAX_SAFE_INTEGER;

export function encodeCursor(key: number): string {
  return Buffer.from(`${VERSION}${key}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): number | undefined {
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(cursor)) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(VERSION)) return undefined;
  const digits = text.slice(VERSION.length);
  if (!/^(0|[1-9][0-9]{0,15})$/.test(digits)) return undefined;
  const key = Number(digits);
  return key <= MAX_KEY ? key : undefined;
}

/** `cursor` as a query parameter: decoded to the sort key it carries, or a 400 naming the field. */
export const Cursor = z
  .string()
  .describe('the nextCursor of the previous page (opaque)')
  .transform((value, ctx) => {
    const key = decodeCursor(value);
    if (key === undefined) {
      ctx.addIssue({ code: 'custom', message: 'expected the nextCursor of the previous page' });
      return z.NEVER;
    }
    return key;
  });

export const PAGE_LIMIT_DEFAULT = 50;
export const PAGE_LIMIT_MAX = 200;
export const Limit = z.coerce.number().int().min(1).max(PAGE_LIMIT_MAX).default(PAGE_LIMIT_DEFAULT).describe(`rows per page, 1–${PAGE_LIMIT_MAX}`);

/** The query of a list route that takes nothing but a page. */
export const PageQuery = z.strictObject({ cursor: Cursor.optional(), limit: Limit });
export type PageQuery = z.output<typeof PageQuery>;

export const NextCursor = z.string().nullable().describe('pass as ?cursor= for the next page; null on the last one');

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

/**
 * One page of rows fetched with a limit of `limit + 1` (the extra row only says that
 * more follow), keyed by `keyOf` (the same key the query sorted and filtered by).
 */
export function pageFromProbe<T>(rows: readonly T[], limit: number, keyOf: (row: T) => number): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}

/**
 * A page of a list already in memory, sorted by a unique numeric key ascending (`asc`:
 * rows after the cursor) or descending (`desc`, newest first: rows before it).
 */
export function pageOfSorted<T>(sorted: readonly T[], query: PageQuery, keyOf: (row: T) => number, order: 'asc' | 'desc'): Page<T> {
  const after = query.cursor;
  const rest = after === undefined ? sorted : sorted.filter((row) => (order === 'asc' ? keyOf(row) > after : keyOf(row) < after));
  return pageFromProbe(rest.slice(0, query.limit + 1), query.limit, keyOf);
}
