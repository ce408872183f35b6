// The outbox and its dispatcher on a real SQLite file, sending to real receivers on
// 127.0.0.1 that verify every request with the independent `standardwebhooks` package.
// Time and wake-ups move only when a test moves them; jitter is pinned to the middle.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Db } from '../../server/db/database.ts';
import type { Webhooks, WebhookCaller } from '../../server/webhooks/service.ts';
import { ManualTime, openWebhooks, Receiver, verify, type OpenedWebhooks } from './harness.ts';

const Envelope = z.object({ type: z.string(), timestamp: z.iso.datetime(), data: z.record(z.string(), z.unknown()) });

let dir: string;
let time: ManualTime;
let opened: OpenedWebhooks[];
let receivers: Receiver[];

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kubelab-webhooks-'));
  time = new ManualTime();
  opened = [];
  receivers = [];
});
afterEach(async () => {
  for (const o of opened) await o.close();
  for (const r of receivers) await r.close();
  rmSync(dir, { recursive: true, force: true });
});

function open(options: Parameters<typeof openWebhooks>[2] = {}): OpenedWebhooks {
  const o = openWebhooks(dir, time, options);
  opened.push(o);
  return o;
}

async function receiver(...answers: (number | 'hang')[]): Promise<Receiver> {
  const r = await new Receiver().answer(...answers).start();
  receivers.push(r);
  return r;
}

/** An admin, a learner in a class with one exercise, and the learner's environment row. */
function seed(db: Db) {
  const admin = db.users.create({ externalKey: 'local:admin', displayName: 'Ada', role: 'admin' });
  const teacher = db.users.create({ externalKey: 'local:teacher', displayName: 'Tess', role: 'instructor' });
  const learner = db.users.create({ externalKey: 'lti:learner', displayName: 'Lee', role: 'learner' });
  const klass = db.classes.create({ name: 'K8s 101', ownerUserId: teacher.id, exerciseIds: ['clusterip-basics'] }).class;
  db.classes.addMember(klass.id, learner.id);
  const env = db.environments.create({ userId: learner.id, exerciseId: 'clusterip-basics', namespace: 'lab-abc', expiresAt: time.now() + 3_600_000 });
  const asAdmin: WebhookCaller = { id: admin.id, role: 'admin' };
  const asTeacher: WebhookCaller = { id: teacher.id, role: 'instructor' };
  return { admin: asAdmin, teacher: asTeacher, learner, klass, env };
}

/** A finished attempt recorded as GradingService records it: verdict and events in one transaction. */
function finishAttempt(db: Db, webhooks: Webhooks, s: ReturnType<typeof seed>, result: 'passed' | 'failed', exerciseId = 'clusterip-basics') {
  const attempt = db.attempts.create({ userId: s.learner.id, environmentId: s.env.id, exerciseId, maxScore: 10 });
  db.attempts.markRunning(attempt.id);
  return db.transaction(() => {
    const finished = db.attempts.finish(attempt.id, { result, score: result === 'passed' ? 10 : 4 });
    webhooks.attemptFinished(finished);
    return finished;
  });
}

const eventsOf = (r: Receiver) => r.received.map((x) => Envelope.parse(JSON.parse(x.body)).type);

describe('delivery', () => {
  it('signs each event the Standard Webhooks way; exercise.passed only on the first pass; one webhook-id per event everywhere', async () => {
    const { db, webhooks, errors } = open();
    const s = seed(db);
    const wide = await receiver();
    const forClass = await receiver();
    const w1 = await webhooks.create(s.admin, { url: wide.url, classId: null, eventTypes: ['attempt.completed', 'exercise.passed'] });
    const w2 = await webhooks.create(s.teacher, { url: forClass.url, classId: s.klass.id, eventTypes: ['exercise.passed'] });
    expect(w1.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    const first = finishAttempt(db, webhooks, s, 'passed');
    finishAttempt(db, webhooks, s, 'failed');
    finishAttempt(db, webhooks, s, 'passed');
    await Promise.resolve(); // the poke after commit is a microtask
    await webhooks.dispatcher.settled();

    expect(eventsOf(wide)).toEqual(['attempt.completed', 'exercise.passed', 'attempt.completed', 'attempt.completed']);
    expect(eventsOf(forClass)).toEqual(['exercise.passed']);
    for (const r of wide.received) expect(verify(w1.secret, r)).toMatchObject({ ok: true });
    const passed = verify(w2.secret, forClass.received[0]!);
    expect(passed).toEqual({
      ok: true,
      payload: {
        type: 'exercise.passed',
        timestamp: new Date(time.now()).toISOString(),
        data: {
          attemptId: first.id, exerciseId: 'clusterip-basics', score: 10, maxScore: 10,
          learner: { id: s.learner.id, externalKey: 'lti:learner', displayName: 'Lee' },
          passedAt: new Date(time.now()).toISOString(),
        },
      },
    });
    // Another endpoint's secret does not verify: the signature is per endpoint.
    expect(verify(w1.secret, forClass.received[0]!)).toMatchObject({ ok: false, error: 'No matching signature found' });
    expect(forClass.received[0]!.headers['webhook-id']).toBe(wide.received[1]!.headers['webhook-id']);
    expect(forClass.received[0]!.headers['content-type']).toBe('application/json');
    expect(errors).toEqual([]);
  });

  it('sends a class endpoint only its members’ work on its exercises', async () => {
    const { db, webhooks } = open();
    const s = seed(db);
    const stranger = db.users.create({ externalKey: 'local:x', displayName: 'X', role: 'learner' });
    const r = await receiver();
    await webhooks.create(s.teacher, { url: r.url, classId: s.klass.id, eventTypes: ['attempt.completed'] });
    finishAttempt(db, webhooks, s, 'failed', 'multi-port'); // not one of the class's exercises
    const env = db.environments.create({ userId: stranger.id, exerciseId: 'clusterip-basics', namespace: 'lab-x', expiresAt: time.now() });
    finishAttempt(db, webhooks, { ...s, learner: stranger, env }, 'failed'); // not a member
    finishAttempt(db, webhooks, s, 'failed');
    await Promise.resolve();
    await webhooks.dispatcher.settled();
    const Data = z.object({ data: z.object({ learner: z.object({ id: z.number() }), exerciseId: z.string() }) });
    expect(r.received.map((x) => Data.parse(JSON.parse(x.body)).data)).toEqual([{ learner: { id: s.learner.id }, exerciseId: 'clusterip-basics' }]);
  });

  it('retries after a 500 on the backoff schedule, not before, and logs both attempts', async () => {
    const { db, webhooks } = open();
    const s = seed(db);
    const r = await receiver(500);
    const w = await webhooks.create(s.admin, { url: r.url, classId: null, eventTypes: ['attempt.completed'] });
    const t0 = time.now();
    finishAttempt(db, webhooks, s, 'failed');
    await Promise.resolve();
    await webhooks.dispatcher.settled();

    const [pending] = webhooks.store.deliveries(w.endpoint.id, { before: Number.MAX_SAFE_INTEGER, limit: 10 });
    expect(pending).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: t0 + 5_000 });
    expect(time.nextWakeup()).toBe(t0 + 5_000);
    time.advanceTo(t0 + 4_999);
    await webhooks.dispatcher.settled();
    expect(r.received).toHaveLength(1);

    time.advanceTo(t0 + 5_000);
    await webhooks.dispatcher.settled();
    expect(r.received).toHaveLength(2);
    expect(r.received[1]!.headers['webhook-id']).toBe(r.received[0]!.headers['webhook-id']);
    expect(r.received[1]!.body).toBe(r.received[0]!.body);
    expect(verify(w.secret, r.received[1]!)).toMatchObject({ ok: true });
    expect(webhooks.store.delivery(pending!.id)).toMatchObject({ status: 'delivered', attempts: 2, nextAttemptAt: null });
    expect(webhooks.store.attempts(pending!.id)).toEqual([
      { attempt: 1, at: t0, durationMs: expect.any(Number), responseStatus: 500, error: 'answered 500', outcome: 'retry' },
      { attempt: 2, at: t0 + 5_000, durationMs: expect.any(Number), responseStatus: 200, error: null, outcome: 'delivered' },
    ]);
    expect(time.nextWakeup()).toBeUndefined();
  });

  it('gives up after the eighth attempt, 27.6 hours on, and marks the delivery failed', async () => {
    const { db, webhooks } = open();
    const s = seed(db);
    const r = await receiver(...Array<number>(8).fill(500));
    const w = await webhooks.create(s.admin, { url: r.url, classId: null, eventTypes: ['attempt.completed'] });
    const t0 = time.now();
    finishAttempt(db, webhooks, s, 'failed');
    await Promise.resolve();
    await webhooks.dispatcher.settled();
    const waits: number[] = [];
    for (let next = time.nextWakeup(); next !== undefined; next = time.nextWakeup()) {
      waits.push(next - time.now());
      time.advanceTo(next);
      await webhooks.dispatcher.settled();
    }
    expect(waits).toEqual([5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
    expect(time.now() - t0).toBe(99_305_000); // 27.6 h
    expect(r.received).toHaveLength(8);
    const [d] = webhooks.store.deliveries(w.endpoint.id, { before: Number.MAX_SAFE_INTEGER, limit: 10 });
    expect(d).toMatchObject({ status: 'failed', attempts: 8, nextAttemptAt: null });
    expect(webhooks.store.attempts(d!.id).map((a) => a.outcome)).toEqual([...Array<string>(7).fill('retry'), 'failed']);
  });

  it('disables the endpoint when the receiver answers 410 Gone, until it is switched on again', async () => {
    const { db, webhooks } = open();
    const s = seed(db);
    const r = await receiver(410);
    const w = await webhooks.create(s.admin, { url: r.url, classId: null, eventTypes: ['attempt.completed'] });
    finishAttempt(db, webhooks, s, 'failed');
    await Promise.resolve();
    await webhooks.dispatcher.settled();
    const endpoint = webhooks.get(s.admin, w.endpoint.id);
    expect(endpoint).toMatchObject({ enabled: false, disabledReason: expect.stringContaining('410 Gone') });
    const [gone] = webhooks.store.deliveries(w.endpoint.id, { before: Number.MAX_SAFE_INTEGER, limit: 10 });
    expect(gone).toMatchObject({ status: 'failed', attempts: 1, nextAttemptAt: null });
    expect(webhooks.store.attempts(gone!.id)).toEqual([expect.objectContaining({ responseStatus: 410, outcome: 'gone' })]);

    finishAttempt(db, webhooks, s, 'failed');
    await Promise.resolve();
    await webhooks.dispatcher.settled();
    expect(r.received).toHaveLength(1);
    expect(webhooks.store.deliveries(w.endpoint.id, { before: Number.MAX_SAFE_INTEGER, limit: 10 })).toHaveLength(1);

    await webhooks.update(s.admin, w.endpoint.id, { enabled: true });
    finishAttempt(db, webhooks, s, 'failed');
    await Promise.resolve();
    await webhooks.dispatcher.settled();
    expect(r.received).toHaveLength(2);
    expect(webhooks.get(s.admin, w.endpoint.id)).toMatchObject({ enabled: true, disabledReason: null });
  });

  it('gives up on a receiver that does not answer in time, and schedules a retry', async () => {
    // 100 ms instead of 15 s; the receiver never answers, so the timeout always fires.
    const { db, webhooks } = open({ timeoutMs: 100 });
    const s = seed(db);
    const r = await receiver('hang');
    const w = await webhooks.create(s.admin, { url: r.url, classId: null, eventTypes: ['attempt.completed'] });
    const t0 = time.now();
    finishAttempt(db, webhooks, s, 'failed');
    await Promise.resolve();
    await webhooks.dispatcher.settled();
    const [d] = webhooks.store.deliveries(w.endpoint.id, { before: Number.MAX_SAFE_INTEGER, limit: 10 });
    expect(d).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: t0 + 5_000 });
    expect(webhooks.store.attempts(d!.id)).toEqual([
      expect.objectContaining({ attempt: 1, responseStatus: null, error: 'no answer within 100 ms', outcome: 'retry' }),
    ]);
    expect(r.received).toHaveLength(1);
  });

  it('loses nothing across a restart: the next process sends what was pending', async () => {
    const first = open();
    const s = seed(first.db);
    const r = await receiver(503);
    const w = await first.webhooks.create(s.admin, { url: r.url, classId: null, eventTypes: ['attempt.completed'] });
    const t0 = time.now();
    finishAttempt(first.db, first.webhooks, s, 'failed');
    await Promise.resolve();
    await first.webhooks.dispatcher.settled();
    expect(r.received).toHaveLength(1);
    await first.close();
    opened.splice(opened.indexOf(first), 1);

    // The retry falls due while nothing runs; the next process picks it up on start.
    time.t = t0 + 6_000;
    const second = open();
    await second.webhooks.dispatcher.settled();
    expect(r.received).toHaveLength(2);
    expect(r.received[1]!.headers['webhook-id']).toBe(r.received[0]!.headers['webhook-id']);
    expect(verify(w.secret, r.received[1]!)).toMatchObject({ ok: true });
    const [d] = second.webhooks.store.deliveries(w.endpoint.id, { before: Number.MAX_SAFE_INTEGER, limit: 10 });
    expect(d).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(second.errors).toEqual([]);
  });

  it('redelivers on request: same id and body, a fresh timestamp and signature, logged as the next attempt', async () => {
    const { db, webhooks } = open();
    const s = seed(db);
    const r = await receiver();
    const w = await webhooks.create(s.admin, { url: r.url, classId: null, eventTypes: ['attempt.completed'] });
    finishAttempt(db, webhooks, s, 'passed');
    await Promise.resolve();
    await webhooks.dispatcher.settled();
    const [d] = webhooks.store.deliveries(w.endpoint.id, { before: Number.MAX_SAFE_INTEGER, limit: 10 });
    time.advanceTo(time.now() + 30_000);
    expect(webhooks.redeliver(s.admin, w.endpoint.id, d!.id)).toMatchObject({ status: 'pending' });
    await webhooks.dispatcher.settled();
    expect(r.received).toHaveLength(2);
    const [a, b] = r.received;
    expect(b!.headers['webhook-id']).toBe(a!.headers['webhook-id']);
    expect(b!.body).toBe(a!.body);
    expect(Number(b!.headers['webhook-timestamp'])).toBe(Number(a!.headers['webhook-timestamp']) + 30);
    expect(verify(w.secret, b!)).toMatchObject({ ok: true });
    expect(webhooks.store.attempts(d!.id).map((x) => [x.attempt, x.outcome])).toEqual([[1, 'delivered'], [2, 'delivered']]);
    // Only the endpoint's own deliveries: another endpoint's id is a 404.
    const other = await webhooks.create(s.admin, { url: r.url, classId: null, eventTypes: ['exercise.passed'] });
    expect(() => webhooks.redeliver(s.admin, other.endpoint.id, d!.id)).toThrow('no such delivery for this webhook');
  });

  it('after a rotation signs with both secrets until the window closes, then with the new one only', async () => {
    const { db, webhooks } = open();
    const s = seed(db);
    const r = await receiver();
    const made = await webhooks.create(s.admin, { url: r.url, classId: null, eventTypes: ['attempt.completed'] });
    const rotated = webhooks.rotateSecret(s.admin, made.endpoint.id, 60_000);
    expect(rotated.secret).not.toBe(made.secret);
    finishAttempt(db, webhooks, s, 'failed');
    await Promise.resolve();
    await webhooks.dispatcher.settled();
    const during = r.received[0]!;
    expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verify(rotated.secret, during)).toMatchObject({ ok: true });
    expect(verify(made.secret, during)).toMatchObject({ ok: true });

    time.advanceTo(time.now() + 61_000);
    finishAttempt(db, webhooks, s, 'failed');
    await Promise.resolve();
    await webhooks.dispatcher.settled();
    const after = r.received[1]!;
    expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(verify(rotated.secret, after)).toMatchObject({ ok: true });
    expect(verify(made.secret, after)).toEqual({ ok: false, error: 'No matching signature found' });
  });

  it('stores secrets sealed: neither the plain secret nor its key bytes are in the database file', async () => {
    const { db, webhooks } = open();
    const s = seed(db);
    const made = await webhooks.create(s.admin, { url: 'http://127.0.0.1:9/hook', classId: null, eventTypes: ['attempt.completed'] });
    db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const { readFileSync } = await import('node:fs');
    const file = readFileSync(db.file);
    expect(file.includes(made.secret)).toBe(false);
    expect(file.includes(made.secret.slice('whsec_'.length))).toBe(false);
    expect(webhooks.store.endpoint(made.endpoint.id).secretSealed).toMatch(/^v1\./);
  });
});

describe('SSRF at delivery time', () => {
  it('refuses a name that resolved to a public address when saved and to loopback when sending (DNS rebinding)', async () => {
    const answers = [[{ address: '93.184.215.14', family: 4 as const }], [{ address: '127.0.0.1', family: 4 as const }]];
    const { db, webhooks } = open({ allowPrivate: false, resolve: async () => answers.shift() ?? [] });
    const s = seed(db);
    const r = await receiver();
    const port = new URL(r.url).port;
    const w = await webhooks.create(s.admin, { url: `http://rebind.example:${port}/hook`, classId: null, eventTypes: ['attempt.completed'] });
    finishAttempt(db, webhooks, s, 'failed');
    await Promise.resolve();
    await webhooks.dispatcher.settled();
    expect(r.received).toEqual([]);
    const [d] = webhooks.store.deliveries(w.endpoint.id, { before: Number.MAX_SAFE_INTEGER, limit: 10 });
    expect(webhooks.store.attempts(d!.id)).toEqual([
      expect.objectContaining({ outcome: 'retry', responseStatus: null, error: expect.stringContaining('loopback, private or link-local address (127.0.0.1)') }),
    ]);
  });
});

describe('a send that throws', () => {
  it('is logged as a failed attempt with its backoff, not retried at once', async () => {
    let calls = 0;
    const { db, webhooks, errors } = open({
      send: async () => {
        calls++;
        throw new Error('socket exploded');
      },
    });
    const s = seed(db);
    const w = await webhooks.create(s.admin, { url: 'http://127.0.0.1:9/hook', classId: null, eventTypes: ['attempt.completed'] });
    const t0 = time.now();
    finishAttempt(db, webhooks, s, 'failed');
    await Promise.resolve();
    await webhooks.dispatcher.settled();
    expect(calls).toBe(1);
    const [d] = webhooks.store.deliveries(w.endpoint.id, { before: Number.MAX_SAFE_INTEGER, limit: 10 });
    expect(d).toMatchObject({ status: 'pending', attempts: 1, nextAttemptAt: t0 + 5_000 });
    expect(webhooks.store.attempts(d!.id)).toEqual([expect.objectContaining({ error: 'could not send: socket exploded', outcome: 'retry' })]);
    expect(errors).toEqual([]);
  });
});
