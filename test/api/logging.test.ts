import { afterEach, describe, expect, it } from 'vitest';
import { redactUrl } from '../../server/http/logging.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { captureLogs } from '../helpers/logCapture.ts';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const SECRET = 'klb_S3cretS3cretS3cretS3cretS3cretS3cretS3cr';

describe('request logging', () => {
  it('logs requests but never a token from headers, cookies or query parameters', async () => {
    const logs = captureLogs();
    t = await buildTestApp({ env: { LOG_LEVEL: 'trace' }, logStream: logs });
    const requests = [
      { url: '/api/v1/exercises', headers: { authorization: `Bearer ${SECRET}` } },
      { url: '/api/v1/exercises', headers: { cookie: `session=${SECRET}` } },
      { url: `/api/v1/exercises?token=${SECRET}` },
      { url: `/nope?a=1&access_token=${SECRET}&b=2` },
      { url: `/healthz?TOKEN=${encodeURIComponent(SECRET)}` },
      { url: `/api/v1/exercises/UPPER?%74oken=${SECRET}` },
    ];
    for (const request of requests) await t.app.inject({ method: 'GET', ...request });

    const text = logs.text();
    expect(logs.lines.length).toBeGreaterThanOrEqual(requests.length * 2);
    expect(text).toContain('/nope?a=1&access_token=[redacted]&b=2');
    expect(text).toContain('"url":"/api/v1/exercises?token=[redacted]"');
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(SECRET.slice(4));
  });

  it('logs an internal error in full server-side but answers a generic 500', async () => {
    const logs = captureLogs();
    const real = await buildTestApp();
    const exercise = real.catalog.exercises[0];
    await real.close();
    if (exercise === undefined) throw new Error('the real catalog is empty');
    // A catalog entry the response schema refuses (NaN points) makes the route fail
    // on our side, not the client's.
    const broken = { ...exercise, checks: exercise.checks.map((c) => ({ ...c, points: Number.NaN })) };
    t = await buildTestApp({
      env: { LOG_LEVEL: 'info' },
      logStream: logs,
      catalog: { exercises: [broken], byId: (id) => (id === broken.id ? broken : undefined) },
    });
    const res = await t.app.inject(`/api/v1/exercises/${broken.id}`);
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: { code: 'internal_error', message: 'internal error', details: null } });
    expect(res.body).not.toMatch(/at .*\.ts|stack|NaN/);
    const failure = logs.lines.find((line) => line.includes('"msg":"request failed"'));
    expect(failure).toBeDefined();
    expect(failure).toContain('"level":50');
    expect(failure).toContain('"stack"');
  });
});

describe('redactUrl', () => {
  it.each([
    ['/a', '/a'],
    ['/a?x=1', '/a?x=1'],
    ['/a?token=s', '/a?token=[redacted]'],
    ['/a?x=1&access_token=s&id_token=t', '/a?x=1&access_token=[redacted]&id_token=[redacted]'],
    ['/a?Token=s', '/a?Token=[redacted]'],
    ['/a?%74oken=s', '/a?%74oken=[redacted]'],
    ['/a?token', '/a?token=[redacted]'],
    ['/a?%E0%A4%A=1&token=s', '/a?%E0%A4%A=1&token=[redacted]'],
    ['/a?tokens=s', '/a?tokens=s'],
  ])('%s → %s', (url, expected) => expect(redactUrl(url)).toBe(expected));
});
