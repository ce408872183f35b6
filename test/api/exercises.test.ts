import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('GET /api/v1/exercises', () => {
  it('lists every exercise of the catalog in teaching order, with check counts and points', async () => {
    const res = await t.app.inject('/api/v1/exercises');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const { exercises } = res.json<{ exercises: { id: string; order: number; checkCount: number; totalPoints: number }[] }>();
    expect(exercises.map((e) => e.id)).toEqual(t.catalog.exercises.map((e) => e.id));
    expect(exercises.map((e) => e.order)).toEqual([...exercises.map((e) => e.order)].sort((a, b) => a - b));
    const first = t.catalog.exercises[0];
    if (first === undefined) throw new Error('the real catalog is empty');
    expect(exercises[0]).toEqual({
      id: first.id,
      title: first.title,
      summary: first.summary,
      order: first.order,
      minutes: first.minutes,
      images: first.images,
      checkCount: first.checks.length,
      totalPoints: first.checks.reduce((sum, c) => sum + c.points, 0),
    });
  });

  it('never exposes solutions, variants, setup or mistakes', async () => {
    const body = (await t.app.inject('/api/v1/exercises')).body;
    for (const word of ['solution', 'mistakes', 'variants', 'setup', '"dir"', '"params"']) expect(body).not.toContain(word);
  });

  it('rejects unknown query parameters, naming them', async () => {
    const res = await t.app.inject('/api/v1/exercises?limt=5');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: {
        code: 'invalid_request',
        message: 'invalid request: querystring.limt: unknown parameter',
        details: [{ path: 'querystring.limt', message: 'unknown parameter' }],
      },
    });
  });
});

describe('GET /api/v1/exercises/:id', () => {
  it('returns metadata, checks and instructions as Markdown and HTML', async () => {
    const exercise = t.catalog.byId('clusterip-basics');
    if (exercise === undefined) throw new Error('clusterip-basics is missing from the catalog');
    const res = await t.app.inject('/api/v1/exercises/clusterip-basics');
    expect(res.statusCode).toBe(200);
    const body = res.json<Record<string, unknown>>();
    expect(body).toMatchObject({
      id: 'clusterip-basics',
      title: exercise.title,
      checkCount: exercise.checks.length,
      checks: exercise.checks.map((c) => ({ id: c.id, title: c.title, points: c.points, needs: c.needs, hint: c.hint })),
      instructions: { markdown: exercise.instructions },
    });
    const html = JSON.stringify(body['instructions']);
    expect(html).toMatch(/<h[1-3]>/);
    expect(Object.keys(body).sort()).toEqual(
      ['checkCount', 'checks', 'id', 'images', 'instructions', 'minutes', 'order', 'summary', 'title', 'totalPoints'].sort(),
    );
  });

  it('answers 404 in the error shape for an unknown id', async () => {
    const res = await t.app.inject('/api/v1/exercises/no-such-exercise');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      error: { code: 'not_found', message: 'exercise "no-such-exercise" not found', details: null },
    });
  });

  it.each(['..%2F..%2Fetc%2Fpasswd', 'UPPER', '%F0%9F%92%A5', 'a'.repeat(64), '-leading-dash'])(
    'answers 400 naming params.id for %s',
    async (id) => {
      const res = await t.app.inject(`/api/v1/exercises/${id}`);
      expect(res.statusCode).toBe(400);
      const body = res.json<{ error: { code: string; details: { path: string }[] } }>();
      expect(body.error.code).toBe('invalid_request');
      expect(body.error.details.map((d) => d.path)).toContain('params.id');
    },
  );
});

describe('unknown routes', () => {
  it.each([
    ['GET', '/nope'],
    ['GET', '/api/v1'],
    ['POST', '/api/v1/exercises'],
    ['DELETE', '/api/v1/exercises/clusterip-basics'],
    ['GET', '/api/v1/exercises/a/b'],
  ] as const)('%s %s → 404 JSON', async (method, url) => {
    const res = await t.app.inject({ method, url: `${url}?token=leak` });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual({ error: { code: 'not_found', message: `no route ${method} ${url}`, details: null } });
  });
});
