// The /api/v1 learner routes with the portal's session cookie: reads need the cookie
// alone, state changes also need the session's CSRF token in x-csrf-token, an ended
// session is a 401, and bearer tokens work as before. Then the live namespace view:
// a real listening server, its Server-Sent Events read with fetch as a browser would.
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfTokenFor } from '../../server/db/sessions.ts';
import { SESSION_COOKIE } from '../../server/http/routes/environments-auth.ts';
import type { LiveService, LiveView } from '../../server/live/view-types.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { EventReader } from '../helpers/event-reader.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ seed: 5 });
});
afterAll(async () => {
  await t?.close();
});

let made = 0;
function learner() {
  made += 1;
  const user = t.db.users.create({ externalKey: `local:api-session-${made}`, displayName: `API ${made}`, role: 'learner' });
  return { user, token: t.db.tokens.createToken(user.id, 'test', []).plaintext };
}
function sessionFor(userId: number) {
  const { secret, session } = t.db.sessions.create(userId, 'token');
  return { secret, cookie: `${SESSION_COOKIE}=${secret}`, csrf: csrfTokenFor(session) };
}

const env = (id: string) => `/api/v1/exercises/${id}/environment`;

function expectError(res: Awaited<ReturnType<TestApp['app']['inject']>>, status: number, code: string, message?: RegExp) {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = res.json() as { error: { code: string; message: string; details: unknown } };
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  expect(body.error).toHaveProperty('details');
  if (message) expect(body.error.message).toMatch(message);
}

describe('the API with a session cookie', () => {
  it('GET works with the cookie alone', async () => {
    const { user } = learner();
    const { cookie } = sessionFor(user.id);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/exercises/clusterip-basics/attempts', headers: { cookie } });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual({ attempts: [], nextCursor: null });
    // A read of something the learner does not have is the route's own 404, not an auth error.
    expectError(await t.app.inject({ method: 'GET', url: env('clusterip-basics'), headers: { cookie } }), 404, 'environment_not_found');
  });

  it('PUT without x-csrf-token → 403 with the error shape, nothing created; with the token → 201, then 200', async () => {
    const { user } = learner();
    const { cookie, csrf } = sessionFor(user.id);
    expectError(await t.app.inject({ method: 'PUT', url: env('target-port'), headers: { cookie } }), 403, 'forbidden', /x-csrf-token/);
    expectError(await t.app.inject({ method: 'PUT', url: env('target-port'), headers: { cookie, 'x-csrf-token': '' } }), 403, 'forbidden');
    expectError(await t.app.inject({ method: 'PUT', url: env('target-port'), headers: { cookie, 'x-csrf-token': `${csrf}x` } }), 403, 'forbidden');
    expect(t.db.environments.listLiveForUser(user.id)).toEqual([]);

    const created = await t.app.inject({ method: 'PUT', url: env('target-port'), headers: { cookie, 'x-csrf-token': csrf } });
    expect(created.statusCode).toBe(201);
    expect(created.json().environment).toMatchObject({ exerciseId: 'target-port', status: 'ready' });
    const again = await t.app.inject({ method: 'PUT', url: env('target-port'), headers: { cookie, 'x-csrf-token': csrf } });
    expect(again.statusCode).toBe(200);
    const read = await t.app.inject({ method: 'GET', url: env('target-port'), headers: { cookie } });
    expect(read.statusCode).toBe(200);
    expect(read.json().environment.namespace).toBe(created.json().environment.namespace);
  });

  it('the token the page embeds is the one the API accepts', async () => {
    const { user } = learner();
    const { cookie } = sessionFor(user.id);
    const page = await t.app.inject({ method: 'GET', url: '/', headers: { cookie } });
    const fromPage = /<meta name="csrf-token" content="([^"]+)">/.exec(page.body)![1]!;
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/exercises/clusterip-basics/attempts', headers: { cookie, 'x-csrf-token': fromPage } });
    // Past auth and CSRF: the route itself answers (no environment yet).
    expect(res.statusCode).not.toBe(401);
    expect(res.statusCode).not.toBe(403);
    expect(res.json().error.code).toBe('environment_not_found');
  });

  it.each([
    ['POST attempts', 'POST', '/api/v1/exercises/clusterip-basics/attempts'],
    ['POST apply', 'POST', '/api/v1/exercises/clusterip-basics/environment/apply'],
    ['POST reset', 'POST', '/api/v1/exercises/clusterip-basics/environment/reset'],
    ['POST extend', 'POST', '/api/v1/exercises/clusterip-basics/environment/extend'],
    ['DELETE environment', 'DELETE', '/api/v1/exercises/clusterip-basics/environment'],
  ] as const)('%s without the token → 403 before anything else', async (_name, method, url) => {
    const { user } = learner();
    const { cookie } = sessionFor(user.id);
    expectError(await t.app.inject({ method, url, headers: { cookie } }), 403, 'forbidden');
  });

  it('a token from another session of the same learner, or of another learner → 403', async () => {
    const { user } = learner();
    const mine = sessionFor(user.id);
    const mySecond = sessionFor(user.id);
    const theirs = sessionFor(learner().user.id);
    expect(mySecond.csrf).not.toBe(mine.csrf);
    for (const token of [mySecond.csrf, theirs.csrf]) {
      expectError(await t.app.inject({ method: 'PUT', url: env('multi-port'), headers: { cookie: mine.cookie, 'x-csrf-token': token } }), 403, 'forbidden');
    }
    expect(t.db.environments.listLiveForUser(user.id)).toEqual([]);
  });

  it('an ended session → 401, reads and writes alike; an unknown cookie → 401', async () => {
    const { user } = learner();
    const { cookie, csrf, secret } = sessionFor(user.id);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/exercises/clusterip-basics/attempts', headers: { cookie } })).statusCode).toBe(200);
    t.db.sessions.end(secret);
    expectError(await t.app.inject({ method: 'GET', url: '/api/v1/exercises/clusterip-basics/attempts', headers: { cookie } }), 401, 'unauthorized', /session has ended/);
    expectError(await t.app.inject({ method: 'PUT', url: env('clusterip-basics'), headers: { cookie, 'x-csrf-token': csrf } }), 401, 'unauthorized');
    expectError(await t.app.inject({ method: 'GET', url: env('clusterip-basics'), headers: { cookie: `${SESSION_COOKIE}=kls_unknown` } }), 401, 'unauthorized');
    expectError(await t.app.inject({ method: 'GET', url: env('clusterip-basics') }), 401, 'unauthorized', /sign in/);
  });

  it('bearer tokens still work without CSRF, and a bad bearer is not rescued by a good cookie', async () => {
    const { user, token } = learner();
    const res = await t.app.inject({ method: 'PUT', url: env('session-affinity'), headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(201);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/exercises/session-affinity/attempts', headers: { authorization: `Bearer ${token}` } });
    expect(list.statusCode).toBe(200);
    const { cookie } = sessionFor(user.id);
    expectError(await t.app.inject({ method: 'GET', url: env('session-affinity'), headers: { cookie, authorization: 'Bearer klb_wrong' } }), 401, 'unauthorized');
  });
});

const DEPLOYMENT = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.28', ports: [{ containerPort: 80 }] }] } },
  },
};
const SERVICE = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web' },
  spec: { selector: { app: 'web' }, sessionAffinity: 'ClientIP', ports: [{ name: 'http', port: 80, targetPort: 80 }] },
};

describe('GET /exercises/:id/environment/live', () => {
  let base: string;
  beforeAll(async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    base = `http://127.0.0.1:${address.port}`;
  });

  it('streams a view of the namespace and the nodes, then the applied Service with its endpoints', async () => {
    const { user } = learner();
    const { cookie, csrf } = sessionFor(user.id);
    const put = await t.app.inject({ method: 'PUT', url: env('clusterip-basics'), headers: { cookie, 'x-csrf-token': csrf } });
    expect(put.statusCode).toBe(201);
    const namespace = put.json().environment.namespace as string;

    const abort = new AbortController();
    try {
      const res = await fetch(`${base}${env('clusterip-basics')}/live`, { headers: { cookie, accept: 'text/event-stream' }, signal: abort.signal });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-store');
      const events = new EventReader(res.body!);

      const first = await events.next<LiveView>('view');
      expect(first.namespace).toBe(namespace);
      expect(first.nodes.map((n) => n.name)).toEqual(['kind-control-plane', 'kind-worker', 'kind-worker2']);
      expect(first.nodes.every((n) => n.ready)).toBe(true);
      expect(first.services.map((s) => s.name)).not.toContain('web');

      const applied = await t.app.inject({
        method: 'POST',
        url: `${env('clusterip-basics')}/apply`,
        headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
        payload: { yaml: [DEPLOYMENT, SERVICE].map((o) => stringify(o)).join('---\n') },
      });
      expect(applied.statusCode).toBe(200);

      const web = (v: LiveView): LiveService | undefined => v.services.find((s) => s.name === 'web');
      const ready = await events.next<LiveView>('view', (v) => {
        const svc = web(v);
        return svc !== undefined && svc.endpoints.length === 2 && svc.endpoints.every((e) => e.ready);
      });
      const svc = web(ready)!;
      expect(svc).toMatchObject({
        type: 'ClusterIP',
        headless: false,
        dns: `web.${namespace}.svc.cluster.local`,
        ports: [{ name: 'http', port: 80, targetPort: '80', protocol: 'TCP' }],
        selector: [{ key: 'app', value: 'web', matchesAny: true }],
        matchingPods: 2,
        sessionAffinity: 'ClientIP',
        internalTrafficPolicy: 'Cluster',
      });
      expect(svc.clusterIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      // The endpoints are the Deployment's Pods, each on the node the view puts it under.
      const pods = ready.nodes.flatMap((n) => n.pods.filter((p) => p.labels.app === 'web').map((p) => ({ pod: p.name, node: n.name, ip: p.ip })));
      expect(pods).toHaveLength(2);
      expect(svc.endpoints.map((e) => ({ pod: e.pod, node: e.node, ip: e.ip })).sort((a, b) => a.pod!.localeCompare(b.pod!))).toEqual(
        pods.sort((a, b) => a.pod.localeCompare(b.pod)),
      );
      // Only the learner's namespace: kubelab's own probe Pods never show.
      expect(ready.nodes.flatMap((n) => n.pods).every((p) => p.labels['kubelab.io/probe'] === undefined)).toBe(true);
    } finally {
      abort.abort();
    }
  });

  it('answers 404 for an exercise without an environment, and for an unknown exercise', async () => {
    const { user } = learner();
    const { cookie } = sessionFor(user.id);
    const none = await fetch(`${base}${env('local-traffic')}/live`, { headers: { cookie } });
    expect(none.status).toBe(404);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('environment_not_found');
    const unknown = await t.app.inject({ method: 'GET', url: `${env('no-such-exercise')}/live`, headers: { cookie } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).not.toBe('environment_not_found');
  });

  it('answers 401 without a session or token', async () => {
    expectError(await t.app.inject({ method: 'GET', url: `${env('clusterip-basics')}/live` }), 401, 'unauthorized');
  });
});

describe('shutting down', () => {
  let s: TestApp | undefined;
  const abort = new AbortController();
  afterAll(async () => {
    abort.abort();
    await s?.close();
  });

  it('closing the app ends the live streams it serves: an open exercise page does not hold shutdown', async () => {
    s = await buildTestApp({ seed: 6 });
    await s.app.listen({ port: 0, host: '127.0.0.1' });
    const address = s.app.server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    const user = s.db.users.create({ externalKey: 'local:shutdown', displayName: 'Shutdown', role: 'learner' });
    const { secret, session } = s.db.sessions.create(user.id, 'token');
    const cookie = `${SESSION_COOKIE}=${secret}`;
    const put = await s.app.inject({ method: 'PUT', url: env('clusterip-basics'), headers: { cookie, 'x-csrf-token': csrfTokenFor(session) } });
    expect(put.statusCode).toBe(201);
    const res = await fetch(`http://127.0.0.1:${address.port}${env('clusterip-basics')}/live`, { headers: { cookie }, signal: abort.signal });
    const events = new EventReader(res.body!);
    await events.next<LiveView>('view');

    // SIGTERM → app.close(): the server must end the stream itself (the browser's
    // EventSource then reconnects to whichever server comes up), or close never resolves.
    const closing = s.app.close();
    await events.end();
    await closing;
  });
});
