// Webhooks through the whole app as `kubelab serve` builds it, on the embedded cluster:
// a real grade and a real reaper sweep produce events that reach a receiver verifying
// them with `standardwebhooks`; the /api/v1/webhooks routes and who may use them; and a
// restart on the same data directory that delivers what the last process left pending.
// Receivers live on 127.0.0.1, so KUBELAB_WEBHOOKS_ALLOW_PRIVATE=1 (ssrf.test.ts proves
// the refusal with it off).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ManualTime, Receiver, startWebhookApp, verify, type WebhookApp } from './harness.ts';

const ENV = { KUBELAB_WEBHOOKS_ALLOW_PRIVATE: '1' };
const Envelope = z.object({ type: z.string(), timestamp: z.iso.datetime(), data: z.record(z.string(), z.unknown()) });

let dir: string;
let time: ManualTime;
let t: WebhookApp;
const receivers: Receiver[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'kubelab-webhooks-app-'));
  time = new ManualTime();
  t = await startWebhookApp(dir, time, ENV);
});
afterAll(async () => {
  await t?.close();
  for (const r of receivers) await r.close();
  rmSync(dir, { recursive: true, force: true });
});

async function receiver(...answers: (number | 'hang')[]): Promise<Receiver> {
  const r = await new Receiver().answer(...answers).start();
  receivers.push(r);
  return r;
}

function user(app: WebhookApp, name: string, role: 'learner' | 'instructor' | 'admin') {
  const u = app.db.users.create({ externalKey: `local:${name}-${Math.floor(time.now() % 1e6)}-${app.db.users.list().length}`, displayName: name, role });
  return { id: u.id, headers: { authorization: `Bearer ${app.db.tokens.createToken(u.id, 'test', []).plaintext}` } };
}

/** Waits for the grades and the sends they caused (the outbox poke is a microtask after commit). */
async function settle(app: WebhookApp): Promise<void> {
  await app.platform.grading.drain();
  await Promise.resolve();
  await app.platform.webhooks.dispatcher.settled();
}

const typesOf = (r: Receiver) => r.received.map((x) => Envelope.parse(JSON.parse(x.body)).type);

describe('events from the running app', () => {
  it('a graded attempt sends attempt.completed, and exercise.passed on the first pass only, to the class’s endpoint', async () => {
    const teacher = user(t, 'Tess', 'instructor');
    const learner = user(t, 'Lee', 'learner');
    const klass = t.db.classes.create({ name: 'K8s', ownerUserId: teacher.id, exerciseIds: ['clusterip-basics'] }).class;
    t.db.classes.addMember(klass.id, learner.id);
    const r = await receiver();
    const made = await t.app.inject({
      method: 'POST', url: '/api/v1/webhooks', headers: teacher.headers,
      payload: { url: r.url, classId: klass.id, events: ['attempt.completed', 'exercise.passed'], description: 'LMS' },
    });
    expect(made.statusCode).toBe(201);
    const { webhook, secret } = z.object({ webhook: z.object({ id: z.number() }), secret: z.string() }).parse(made.json());

    const envs = t.platform.environments;
    await envs.ensure(learner.id, 'clusterip-basics');
    const exercise = t.catalog.byId('clusterip-basics')!;
    await envs.apply(learner.id, 'clusterip-basics', exercise.solution.map((m) => stringify(m.object)).join('---\n'));
    for (let i = 0; i < 2; i++) {
      const started = await t.app.inject({ method: 'POST', url: '/api/v1/exercises/clusterip-basics/attempts', headers: learner.headers });
      expect(started.statusCode).toBe(202);
      await settle(t);
    }

    expect(typesOf(r)).toEqual(['attempt.completed', 'exercise.passed', 'attempt.completed']);
    const payloads = r.received.map((x) => verify(secret, x));
    expect(payloads[0]).toEqual({
      ok: true,
      payload: {
        type: 'attempt.completed',
        timestamp: new Date(time.now()).toISOString(),
        data: expect.objectContaining({ exerciseId: 'clusterip-basics', result: 'passed', score: 100, maxScore: 100, learner: { id: learner.id, externalKey: expect.any(String), displayName: 'Lee' } }),
      },
    });
    expect(payloads.every((p) => p.ok)).toBe(true);

    // The delivery log, through the API, newest first, page by page.
    const page1 = await t.app.inject({ url: `/api/v1/webhooks/${webhook.id}/deliveries?limit=2`, headers: teacher.headers });
    expect(page1.statusCode).toBe(200);
    const Page = z.object({
      deliveries: z.array(z.object({ id: z.number(), event: z.string(), status: z.string(), attempts: z.number(), log: z.array(z.object({ responseStatus: z.number().nullable(), outcome: z.string() })) })),
      nextCursor: z.string().nullable(),
    });
    const p1 = Page.parse(page1.json());
    expect(p1.deliveries.map((d) => [d.event, d.status, d.log.map((l) => [l.responseStatus, l.outcome])])).toEqual([
      ['attempt.completed', 'delivered', [[200, 'delivered']]],
      ['exercise.passed', 'delivered', [[200, 'delivered']]],
    ]);
    const page2 = Page.parse((await t.app.inject({ url: `/api/v1/webhooks/${webhook.id}/deliveries?limit=2&cursor=${p1.nextCursor}`, headers: teacher.headers })).json());
    expect(page2).toMatchObject({ deliveries: [{ event: 'attempt.completed' }], nextCursor: null });

    // Redelivery through the API: the same message again, verified again.
    const first = page2.deliveries[0]!;
    const again = await t.app.inject({ method: 'POST', url: `/api/v1/webhooks/${webhook.id}/deliveries/${first.id}/redeliver`, headers: teacher.headers });
    expect(again.statusCode).toBe(202);
    await settle(t);
    expect(r.received).toHaveLength(4);
    expect(r.received[3]!.headers['webhook-id']).toBe(r.received[0]!.headers['webhook-id']);
    expect(verify(secret, r.received[3]!)).toMatchObject({ ok: true });
  });

  it('the reaper deleting an expired environment sends environment.expired to a server-wide endpoint', async () => {
    const admin = user(t, 'Ada', 'admin');
    const learner = user(t, 'Rae', 'learner');
    const r = await receiver();
    const made = await t.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: admin.headers, payload: { url: r.url, events: ['environment.expired'] } });
    expect(made.statusCode).toBe(201);
    const { secret } = z.object({ secret: z.string() }).parse(made.json());
    const { environment } = await t.platform.environments.ensure(learner.id, 'multi-port');
    const reaped = await t.platform.environments.reapExpired(environment.expiresAt + 1);
    expect(reaped.reaped).toContain(environment.namespace);
    await settle(t);
    const mine = r.received.map((x) => verify(secret, x)).filter((v) => v.ok && JSON.stringify(v.payload).includes(environment.namespace));
    expect(mine).toEqual([{
      ok: true,
      payload: {
        type: 'environment.expired',
        timestamp: new Date(time.now()).toISOString(),
        data: {
          environmentId: environment.id, exerciseId: 'multi-port', namespace: environment.namespace,
          learner: { id: learner.id, externalKey: expect.any(String), displayName: 'Rae' },
          expiresAt: new Date(environment.expiresAt).toISOString(),
        },
      },
    }]);
  });
});

describe('/api/v1/webhooks', () => {
  it('lets staff manage their own endpoints, never shows a secret twice, and refuses bad input by field', async () => {
    const admin = user(t, 'Ada', 'admin');
    const teacher = user(t, 'Tess', 'instructor');
    const other = user(t, 'Otto', 'instructor');
    const learner = user(t, 'Lee', 'learner');
    const klass = t.db.classes.create({ name: 'Mine', ownerUserId: teacher.id, exerciseIds: ['clusterip-basics'] }).class;
    const url = 'http://127.0.0.1:9/hook';

    expect((await t.app.inject({ url: '/api/v1/webhooks', headers: learner.headers })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/v1/webhooks' })).statusCode).toBe(401);
    const wide = await t.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: teacher.headers, payload: { url, events: ['attempt.completed'] } });
    expect(wide.statusCode).toBe(403);
    const notHers = await t.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: other.headers, payload: { url, classId: klass.id, events: ['attempt.completed'] } });
    expect(notHers.statusCode).toBe(404);

    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: teacher.headers, payload: { url: 'ftp://x/y', classId: klass.id, events: ['attempt.started', 'attempt.completed'] } });
    expect(bad.statusCode).toBe(400);
    const issues = z.object({ error: z.object({ code: z.string(), details: z.array(z.object({ path: z.string() })) }) }).parse(bad.json()).error;
    expect(issues.code).toBe('invalid_request');
    expect(issues.details.map((d) => d.path)).toEqual(expect.arrayContaining(['body.url', 'body.events.0']));
    const withUser = await t.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: teacher.headers, payload: { url: 'https://u:p@example.com/', classId: klass.id, events: ['exercise.passed'] } });
    expect(withUser.statusCode).toBe(400);
    const twice = await t.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: teacher.headers, payload: { url, classId: klass.id, events: ['exercise.passed', 'exercise.passed'] } });
    expect(twice.statusCode).toBe(400);

    const made = await t.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: teacher.headers, payload: { url, classId: klass.id, events: ['exercise.passed'] } });
    expect(made.statusCode).toBe(201);
    const { webhook, secret } = z.object({ webhook: z.object({ id: z.number() }), secret: z.string() }).parse(made.json());
    const base = `/api/v1/webhooks/${webhook.id}`;

    const got = await t.app.inject({ url: base, headers: teacher.headers });
    expect(got.statusCode).toBe(200);
    expect(got.json()).toEqual({
      webhook: {
        id: webhook.id, url, description: '', classId: klass.id, events: ['exercise.passed'], enabled: true, disabledReason: null,
        previousSecretValidUntil: null, createdAt: new Date(time.now()).toISOString(), updatedAt: new Date(time.now()).toISOString(),
      },
    });
    const listed = await t.app.inject({ url: '/api/v1/webhooks', headers: teacher.headers });
    expect(z.object({ webhooks: z.array(z.object({ id: z.number() })) }).parse(listed.json()).webhooks.map((w) => w.id)).toEqual([webhook.id]);
    const all = await t.app.inject({ url: '/api/v1/webhooks', headers: admin.headers });
    expect(all.json().webhooks.map((w: { id: number }) => w.id)).toContain(webhook.id);
    for (const body of [got.body, listed.body, all.body]) expect(body.includes(secret.slice(6))).toBe(false);
    expect((await t.app.inject({ url: base, headers: other.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ url: base, headers: admin.headers })).statusCode).toBe(200);

    const patched = await t.app.inject({ method: 'PATCH', url: base, headers: teacher.headers, payload: { description: 'grades', events: ['attempt.completed', 'exercise.passed'], enabled: false } });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().webhook).toMatchObject({ description: 'grades', events: ['attempt.completed', 'exercise.passed'], enabled: false });
    expect((await t.app.inject({ method: 'PATCH', url: base, headers: teacher.headers, payload: {} })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'PATCH', url: base, headers: other.headers, payload: { enabled: true } })).statusCode).toBe(404);

    const rotated = await t.app.inject({ method: 'POST', url: `${base}/rotate-secret`, headers: teacher.headers, payload: { previousSecretValidMinutes: 30 } });
    expect(rotated.statusCode).toBe(200);
    const r = z.object({ webhook: z.object({ previousSecretValidUntil: z.string() }), secret: z.string().startsWith('whsec_') }).parse(rotated.json());
    expect(r.secret).not.toBe(secret);
    expect(r.webhook.previousSecretValidUntil).toBe(new Date(time.now() + 30 * 60_000).toISOString());
    expect((await t.app.inject({ method: 'POST', url: `${base}/rotate-secret`, headers: teacher.headers, payload: { previousSecretValidMinutes: -1 } })).statusCode).toBe(400);

    expect((await t.app.inject({ url: `${base}/deliveries?limit=0`, headers: teacher.headers })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url: `${base}/deliveries/999999/redeliver`, headers: teacher.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: base, headers: other.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: base, headers: teacher.headers })).statusCode).toBe(204);
    expect((await t.app.inject({ url: base, headers: teacher.headers })).statusCode).toBe(404);
    expect(t.db.audit.list().filter((a) => a.target === `webhook:${webhook.id}`).map((a) => a.action).sort()).toEqual(
      ['webhook.create', 'webhook.delete', 'webhook.rotate_secret', 'webhook.update'],
    );
  });

  it('is in the OpenAPI document', async () => {
    const doc = z.object({ paths: z.record(z.string(), z.record(z.string(), z.unknown())) }).parse((await t.app.inject('/api/v1/openapi.json')).json());
    expect(Object.keys(doc.paths['/api/v1/webhooks'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/api/v1/webhooks/{webhookId}'] ?? {}).sort()).toEqual(['delete', 'get', 'patch']);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([
      '/api/v1/webhooks/{webhookId}/rotate-secret',
      '/api/v1/webhooks/{webhookId}/deliveries',
      '/api/v1/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver',
    ]));
  });
});

describe('restart', () => {
  it('closing the app and opening it again on the same SQLite file delivers what was pending', async () => {
    const own = mkdtempSync(path.join(tmpdir(), 'kubelab-webhooks-restart-'));
    const clock = new ManualTime();
    try {
      let app = await startWebhookApp(own, clock, ENV);
      let secret: string;
      let namespace: string;
      const r = await receiver(503);
      try {
        const admin = user(app, 'Ada', 'admin');
        const learner = user(app, 'Lee', 'learner');
        const made = await app.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: admin.headers, payload: { url: r.url, events: ['environment.expired'] } });
        secret = z.object({ secret: z.string() }).parse(made.json()).secret;
        const { environment } = await app.platform.environments.ensure(learner.id, 'clusterip-basics');
        namespace = environment.namespace;
        await app.platform.environments.reapExpired(environment.expiresAt + 1);
        await settle(app);
        expect(r.received).toHaveLength(1);
      } finally {
        await app.close();
      }
      // The retry fell due while nothing ran.
      clock.t += 6_000;
      app = await startWebhookApp(own, clock, ENV);
      try {
        await settle(app);
        expect(r.received).toHaveLength(2);
        expect(r.received[1]!.headers['webhook-id']).toBe(r.received[0]!.headers['webhook-id']);
        expect(verify(secret, r.received[1]!)).toMatchObject({ ok: true, payload: { type: 'environment.expired', data: expect.objectContaining({ namespace }) } });
      } finally {
        await app.close();
      }
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });
});
