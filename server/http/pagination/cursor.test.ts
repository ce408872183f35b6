import { describe, expect, it } from 'vitest';
import { Cursor, encodeCursor, pageOfSorted, PageQuery } from './cursor.ts';

describe('cursors', () => {
  it('round-trip a key and refuse anything they did not make', () => {
    for (const key of [0, 1, 42, Number.MAX_SAFE_INTEGER]) expect(Cursor.parse(encodeCursor(key))).toBe(key);
    for (const bad of ['', '42', Buffer.from('v1.-1').toString('base64url'), Buffer.from('v1.01').toString('base64url'), Buffer.from('v1.1e3').toString('base64url'), Buffer.from(`v1.${2 ** 60}`).toString('base64url')]) {
      expect(Cursor.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('walk a newest-first list exactly once while newer rows arrive between pages', () => {
    const rows = Array.from({ length: 10 }, (_, i) => ({ id: i + 1 }));
    const newestFirst = () => [...rows].sort((a, b) => b.id - a.id);
    const seen: number[] = [];
    let query = PageQuery.parse({ limit: '3' });
    for (;;) {
      const page = pageOfSorted(newestFirst(), query, (r) => r.id, 'desc');
      seen.push(...page.items.map((r) => r.id));
      if (page.nextCursor === null) break;
      rows.push({ id: rows.length + 1 }); // a newer row: it belongs before the cursor, on no later page
      query = PageQuery.parse({ limit: '3', cursor: page.nextCursor });
    }
    expect(seen).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
  });

  it('end with a null cursor exactly when nothing follows', () => {
    const rows = [{ id: 1 }, { id: 2 }, { id: 3 }];
    expect(pageOfSorted(rows, PageQuery.parse({ limit: '3' }), (r) => r.id, 'asc').nextCursor).toBeNull();
    const first = pageOfSorted(rows, PageQuery.parse({ limit: '2' }), (r) => r.id, 'asc');
    expect(first.items).toEqual([{ id: 1 }, { id: 2 }]);
    expect(pageOfSorted(rows, PageQuery.parse({ limit: '2', cursor: first.nextCursor }), (r) => r.id, 'asc')).toEqual({ items: [{ id: 3 }], nextCursor: null });
  });
});
