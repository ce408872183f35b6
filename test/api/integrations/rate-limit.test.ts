// Rate limits through the real app, on a stepped clock: each API key and each user
// token has its own allowance a minute; over it is a 429 with Retry-After in whole
// seconds, and the allowance comes back as time passes. Sessions and public routes are
// not counted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, FIXED_NOW, type TestApp } from '../../helpers/app.ts';
import { expectError, makeKey, person } from './people.ts';

let t: TestApp;
let clock = FIXED_NOW;
beforeAll(async () => {
  // 6 a minute: one request back every 10 s.
  t = await buildTestApp({ now: () => clock, env: { KUBELAB_RATE_LIMIT: '6' } });
});
afterAll(async () => {
  await t?.close();
});

const get = (headers: Record<string, string>) => t.app.inject({ url: '/api/v1/classes', headers });

describe('rate limits', () => {
  it('gives a key its minute’s allowance, then 429 with Retry-After until a request is back', async () => {
    const admin = person(t, 'admin');
    // The admin's token spends its own allowance making the key; the key starts full.
    const key = await makeKey(t, admin, { scopes: ['results:read'] });
    for (let i = 0; i < 6; i += 1) expect((await get(key.auth)).statusCode).toBe(200);
    const limited = await get(key.auth);
    const error = expectError(limited, 429, 'rate_limited');
    expect(limited.headers['retry-after']).toBe('10');
    expect(error.details).toEqual({ retryAfterSeconds: 10, limitPerMinute: 6 });

    clock += 4_000;
    expect((await get(key.auth)).headers['retry-after']).toBe('6');
    clock += 6_000;
    expect((await get(key.auth)).statusCode).toBe(200);
    expectError(await get(key.auth), 429, 'rate_limited');
  });

  it('counts each credential apart: another key and a user token are unaffected', async () => {
    const admin = person(t, 'admin');
    const busy = await makeKey(t, admin, { scopes: ['results:read'] });
    const quiet = await makeKey(t, admin, { scopes: ['results:read'] });
    for (let i = 0; i < 6; i += 1) await get(busy.auth);
    expectError(await get(busy.auth), 429, 'rate_limited');
    expect((await get(quiet.auth)).statusCode).toBe(200);
    const teacher = person(t, 'instructor');
    for (let i = 0; i < 6; i += 1) expect((await get(teacher.auth)).statusCode).toBe(200);
    const limited = await get(teacher.auth);
    expectError(limited, 429, 'rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('does not count public routes', async () => {
    for (let i = 0; i < 10; i += 1) expect((await t.app.inject('/api/v1/exercises')).statusCode).toBe(200);
  });
});
