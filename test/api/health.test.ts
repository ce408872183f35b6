import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, FIXED_NOW, type TestApp } from '../helpers/app.ts';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('health', () => {
  it('GET /healthz answers while the process lives, with the injected clock', async () => {
    t = await buildTestApp();
    const res = await t.app.inject('/healthz');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', time: new Date(FIXED_NOW).toISOString() });
  });

  it('GET /readyz is ready with a database and a loaded catalog', async () => {
    t = await buildTestApp();
    const res = await t.app.inject('/readyz');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'ready',
      checks: { database: 'ok', catalog: `${t.catalog.exercises.length} exercises`, clusters: '1 of 1 answering' },
      // Without KUBELAB_CLUSTERS the single cluster is a pool of one named "default".
      clusters: [expect.objectContaining({ name: 'default', mode: 'embedded', capacity: t.config.maxEnvironments, used: 0, healthy: true, cordoned: false })],
    });
  });

  it('GET /readyz is 503 in the error shape when the database is gone', async () => {
    t = await buildTestApp();
    t.db.close();
    const res = await t.app.inject('/readyz');
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({
      error: {
        code: 'not_ready',
        message: 'not ready',
        details: { checks: { database: 'unreachable', catalog: `${t.catalog.exercises.length} exercises` } },
      },
    });
  });

  it('GET /readyz is 503 when no exercise is loaded', async () => {
    t = await buildTestApp({ catalog: { exercises: [], byId: () => undefined } });
    const res = await t.app.inject('/readyz');
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ error: { code: 'not_ready', details: { checks: { catalog: 'no exercises loaded' } } } });
  });
});
