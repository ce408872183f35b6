// With KUBELAB_WEBHOOKS_ALLOW_PRIVATE unset (the default), the API refuses endpoint URLs
// that reach loopback, private or link-local addresses, literally or through DNS, and
// says which field is wrong. The webhook routes run as buildApp mounts them (compilers,
// error handler, /api/v1 prefix) over the real service on a real SQLite file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config/config.ts';
import { registerErrorHandling } from '../../server/http/errorHandler.ts';
import { webhookRoutes } from '../../server/webhooks/routes.ts';
import { ManualTime, openWebhooks, type OpenedWebhooks } from './harness.ts';

let dir: string;
let opened: OpenedWebhooks;
let app: FastifyInstance;
let headers: { authorization: string };

// Names the test's DNS knows; anything else does not resolve.
const DNS: Record<string, string> = { 'metadata.example': '169.254.169.254', 'intranet.example': '10.1.2.3', 'hooks.example': '93.184.215.14' };

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'kubelab-webhooks-ssrf-'));
  const config = loadConfig({ KUBELAB_DATA_DIR: dir });
  expect(config.webhooksAllowPrivate).toBe(false);
  const time = new ManualTime();
  opened = openWebhooks(dir, time, {
    allowPrivate: config.webhooksAllowPrivate,
    resolve: async (host) => {
      const address = DNS[host];
      if (address === undefined) throw new Error(`getaddrinfo ENOTFOUND ${host}`);
      return [{ address, family: 4 }];
    },
  });
  const admin = opened.db.users.create({ externalKey: 'local:admin', displayName: 'Ada', role: 'admin' });
  headers = { authorization: `Bearer ${opened.db.tokens.createToken(admin.id, 'test', []).plaintext}` };
  app = Fastify({ logger: false }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  await app.register(webhookRoutes, {
    prefix: '/api/v1',
    webhooks: opened.webhooks,
    now: time.now,
    authenticate: { bearer: (token) => opened.db.tokens.authenticate(token)?.user, session: () => undefined },
  });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await opened?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SSRF refusal (KUBELAB_WEBHOOKS_ALLOW_PRIVATE off)', () => {
  it.each([
    'http://127.0.0.1:8080/hook',
    'http://[::1]:8080/hook',
    'http://[::ffff:127.0.0.1]/hook',
    'http://169.254.169.254/latest/meta-data/',
    'http://192.168.1.20/hook',
    'http://metadata.example/hook',
    'https://intranet.example/hook',
    'https://nowhere.example/hook',
  ])('refuses %s with 400 naming url', async (url) => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/webhooks', headers, payload: { url, events: ['attempt.completed'] } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'invalid_request', details: [{ path: 'url' }] } });
    expect(opened.webhooks.store.listEndpoints()).toEqual([]);
  });

  it('accepts a public address, and refuses a later change to a private one', async () => {
    const made = await app.inject({ method: 'POST', url: '/api/v1/webhooks', headers, payload: { url: 'https://hooks.example/kubelab', events: ['attempt.completed'] } });
    expect(made.statusCode).toBe(201);
    const id = made.json().webhook.id;
    const moved = await app.inject({ method: 'PATCH', url: `/api/v1/webhooks/${id}`, headers, payload: { url: 'http://10.0.0.7/hook' } });
    expect(moved.statusCode).toBe(400);
    expect(moved.json()).toMatchObject({ error: { details: [{ path: 'url' }] } });
    expect(opened.webhooks.get({ id: 1, role: 'admin' }, id).url).toBe('https://hooks.example/kubelab');
    await app.inject({ method: 'DELETE', url: `/api/v1/webhooks/${id}`, headers });
  });
});

describe('bad input', () => {
  const big = 'x'.repeat(5_000);
  const rows: readonly (readonly ['GET' | 'POST' | 'PATCH', string, unknown, number])[] = [
    ['POST', '/api/v1/webhooks', { url: 'https://hooks.example/', classId: 999_999, events: ['attempt.completed'] }, 404],
    ['POST', '/api/v1/webhooks', { url: 'https://hooks.example/', classId: 'abc', events: ['attempt.completed'] }, 400],
    ['POST', '/api/v1/webhooks', { url: 'https://hooks.example/', events: 'attempt.completed' }, 400],
    ['POST', '/api/v1/webhooks', { url: 'https://hooks.example/', events: [] }, 400],
    ['POST', '/api/v1/webhooks', { url: `https://hooks.example/${big}`.slice(0, 60), events: ['attempt.completed'] }, 201],
    ['POST', '/api/v1/webhooks', { url: `https://hooks.example/${big}`, events: ['attempt.completed'] }, 400],
    ['POST', '/api/v1/webhooks', { url: 'http://[zz]/', events: ['attempt.completed'] }, 400],
    ['POST', '/api/v1/webhooks', { url: 'javascript:alert(1)', events: ['attempt.completed'] }, 400],
    ['POST', '/api/v1/webhooks', { url: 'https://hooks.example/', events: ['attempt.completed'], secret: 'mine' }, 400],
    ['POST', '/api/v1/webhooks', '{"url":', 400],
    ['GET', '/api/v1/webhooks/0', undefined, 400],
    ['GET', '/api/v1/webhooks/1e309', undefined, 400],
    ['GET', '/api/v1/webhooks/abc', undefined, 400],
    ['GET', '/api/v1/webhooks/99999', undefined, 404],
    ['GET', '/api/v1/webhooks?classId=1', undefined, 400],
    ['GET', '/api/v1/webhooks/1/deliveries?cursor=-1', undefined, 400],
    ['GET', '/api/v1/webhooks/1/deliveries?limit=1000', undefined, 400],
    ['PATCH', '/api/v1/webhooks/1', { enabled: 'yes' }, 400],
    ['PATCH', '/api/v1/webhooks/1', { classId: 2 }, 400],
    ['POST', '/api/v1/webhooks/1/rotate-secret', { previousSecretValidMinutes: '5' }, 400],
    ['POST', '/api/v1/webhooks/99999/rotate-secret', undefined, 404],
    ['POST', '/api/v1/webhooks/99999/rotate-secret', {}, 404],
    ['POST', '/api/v1/webhooks/1/deliveries/abc/redeliver', undefined, 400],
  ];
  it.each(rows.map(([method, url, payload, status]) => ({ method, url, payload, status })))('$method $url → $status', async ({ method, url, payload, status }) => {
    const res = await app.inject({
      method, url, headers: { ...headers, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(payload === undefined ? {} : { payload: typeof payload === 'string' ? payload : JSON.stringify(payload) }),
    });
    expect(res.statusCode, res.body).toBe(status);
    if (status >= 400) expect(res.json()).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
  });
});
