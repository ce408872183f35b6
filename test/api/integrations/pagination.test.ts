// Cursor pagination through the real app: walking a list a page at a time while rows
// are inserted between pages serves every row exactly once; every list route takes
// limit + cursor and answers nextCursor; a bad cursor or limit is a 400 naming it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { encodeCursor } from '../../../server/http/pagination/cursor.ts';
import { buildTestApp, FIXED_NOW, type TestApp } from '../../helpers/app.ts';
import { classOf, expectError, makeKey, person } from './people.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ now: () => FIXED_NOW, env: { KUBELAB_RATE_LIMIT: '0' } });
});
afterAll(async () => {
  await t?.close();
});

const Page = z.object({ nextCursor: z.string().nullable() }).loose();

/** Walks `url` page by page, calling `between` after each page; returns the ids in order served. */
async function walk(url: string, field: string, headers: Record<string, string>, between: (page: number) => Promise<void> | void): Promise<number[]> {
  const seen: number[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page += 1) {
    const res = await t.app.inject({ url: `${url}${url.includes('?') ? '&' : '?'}limit=3${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`, headers });
    expect(res.statusCode, res.body).toBe(200);
    const body = Page.parse(res.json());
    const rows = z.array(z.object({ id: z.number() }).loose()).parse(body[field]);
    expect(rows.length).toBeLessThanOrEqual(3);
    seen.push(...rows.map((r) => r.id));
    cursor = body.nextCursor;
    if (cursor === null) return seen;
    await between(page);
  }
  throw new Error('the walk did not end');
}

describe('cursor pagination', () => {
  it('serves every class exactly once while classes are made between pages', async () => {
    const admin = person(t, 'admin');
    for (let i = 0; i < 7; i += 1) classOf(t, admin, `Before ${i}`);
    const made: number[] = [];
    const seen = await walk('/api/v1/classes', 'classes', admin.auth, (page) => {
      if (page < 3) made.push(classOf(t, admin, `During ${page}`).id);
    });
    const all = t.db.classes.listAll().map((c) => c.id).sort((a, b) => a - b);
    expect(seen).toEqual(all);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(made));
  });

  it('serves every API key exactly once while keys are made and revoked between pages', async () => {
    const admin = person(t, 'admin');
    for (let i = 0; i < 5; i += 1) await makeKey(t, admin, { scopes: ['results:read'] });
    const seen = await walk('/api/v1/api-keys', 'apiKeys', admin.auth, async (page) => {
      const key = await makeKey(t, admin, { scopes: ['results:read'] });
      if (page % 2 === 0) await t.app.inject({ method: 'POST', url: `/api/v1/api-keys/${key.id}/revoke`, headers: admin.auth });
    });
    const all = t.db.apiKeys.page({ afterId: 0, limit: 10_000 }).map((k) => k.id);
    expect(seen).toEqual(all);
  });

  it('walks the users list with opaque cursors', async () => {
    const admin = person(t, 'admin');
    const seen = await walk('/api/v1/users', 'users', admin.auth, () => {
      person(t, 'learner');
    });
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });

  it('pages the exercise catalog in teaching order', async () => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.app.inject(`/api/v1/exercises?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`);
      const body = res.json() as { exercises: { id: string }[]; nextCursor: string | null };
      ids.push(...body.exercises.map((e) => e.id));
      cursor = body.nextCursor;
    } while (cursor !== null);
    expect(ids).toEqual(t.catalog.exercises.map((e) => e.id));
  });

  it('refuses a bad cursor or limit on every list route, naming the field', async () => {
    const admin = person(t, 'admin');
    const learner = person(t, 'learner');
    const klass = classOf(t, admin, 'Paged', learner);
    const lists: [string, Record<string, string>][] = [
      ['/api/v1/exercises', {}],
      ['/api/v1/classes', admin.auth],
      ['/api/v1/api-keys', admin.auth],
      ['/api/v1/users', admin.auth],
      [`/api/v1/users/${learner.user.id}/tokens`, admin.auth],
      [`/api/v1/classes/${klass.id}/learners/${learner.user.id}/attempts`, admin.auth],
      ['/api/v1/exercises/clusterip-basics/attempts', learner.auth],
    ];
    const forged = Buffer.from('v2.5').toString('base64url');
    for (const [url, headers] of lists) {
      const ok = await t.app.inject({ url: `${url}?limit=1&cursor=${encodeCursor(0)}`, headers });
      expect(ok.statusCode, `${url}: ${ok.body}`).toBe(200);
      expect(ok.json()).toHaveProperty('nextCursor');
      for (const cursor of ['-1', 'not a cursor', forged, 'x'.repeat(41)]) {
        const error = expectError(await t.app.inject({ url: `${url}?cursor=${encodeURIComponent(cursor)}`, headers }), 400, 'invalid_request');
        expect(error.details, `${url} cursor=${cursor}`).toEqual([expect.objectContaining({ path: 'querystring.cursor' })]);
      }
      for (const limit of ['0', '201', 'ten']) {
        const error = expectError(await t.app.inject({ url: `${url}?limit=${limit}`, headers }), 400, 'invalid_request');
        expect(error.details, `${url} limit=${limit}`).toEqual([expect.objectContaining({ path: 'querystring.limit' })]);
      }
    }
  });
});
