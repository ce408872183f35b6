// The instructor API: who may see what (learners 403 everywhere, another instructor's
// class 404), classes and join links, the matrix and insight built from stored attempts,
// a learner's attempt, exports, and field-naming 400s. Attempts are written through the
// repositories (a real SQLite file); grading itself is tested elsewhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { EventReader } from '../helpers/event-reader.ts';

let t: TestApp;
let seq = 0;

beforeAll(async () => {
  t = await buildTestApp({ seed: 21 });
});
afterAll(async () => {
  await t?.close();
});

function user(role: 'learner' | 'instructor' | 'admin', name = `${role} ${++seq}`) {
  const u = t.db.users.create({ externalKey: `local:${role}-${++seq}`, displayName: name, role });
  return { ...u, auth: { authorization: `Bearer ${t.db.tokens.createToken(u.id, 'test', []).plaintext}` } };
}

type Res = Awaited<ReturnType<TestApp['app']['inject']>>;
const json = <T>(res: Res) => res.json() as T;

async function createClass(owner: ReturnType<typeof user>, body: Record<string, unknown> = {}) {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/classes', headers: owner.auth, payload: { name: `Class ${++seq}`, exerciseIds: ['clusterip-basics', 'target-port'], ...body } });
  expect(res.statusCode, res.body).toBe(201);
  return json<{ class: { id: number; name: string }; joinUrl: string }>(res);
}

/** A finished attempt with the given check outcomes (fail messages as graders write them). */
function attempt(userId: number, exerciseId: string, outcomes: Record<string, string | null>, passed = false) {
  const env = t.db.environments.create({ userId, exerciseId, namespace: `kl-test-${++seq}`, expiresAt: Date.now() + 3_600_000 });
  const a = t.db.attempts.create({ userId, environmentId: env.id, exerciseId, maxScore: 10 });
  t.db.attempts.markRunning(a.id);
  for (const [checkId, failMessage] of Object.entries(outcomes)) {
    t.db.checkResults.record({ attemptId: a.id, checkId, status: failMessage === null ? 'pass' : 'fail', points: failMessage === null ? 5 : 0, maxPoints: 5, message: failMessage ?? 'ok', hint: failMessage && 'look at the selector' });
  }
  const score = Object.values(outcomes).filter((m) => m === null).length * 5;
  return t.db.attempts.finish(a.id, { result: passed ? 'passed' : 'failed', score });
}

function join(classId: number, learner: ReturnType<typeof user>) {
  t.db.classes.addMember(classId, learner.id);
}

describe('who may use the instructor API', () => {
  it('a learner gets 403 on every instructor route, whatever the ids', async () => {
    const owner = user('instructor');
    const { class: c } = await createClass(owner);
    const learner = user('learner');
    join(c.id, learner);
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/v1/classes'],
      ['POST', '/api/v1/classes', { name: 'Mine' }],
      ['GET', `/api/v1/classes/${c.id}`],
      ['PATCH', `/api/v1/classes/${c.id}`, { name: 'x' }],
      ['POST', `/api/v1/classes/${c.id}/join-code`],
      ['GET', `/api/v1/classes/${c.id}/matrix`],
      ['GET', `/api/v1/classes/${c.id}/events`],
      ['GET', `/api/v1/classes/${c.id}/exercises/clusterip-basics/insight`],
      ['GET', `/api/v1/classes/${c.id}/learners/${learner.id}/attempts`],
      ['GET', `/api/v1/classes/${c.id}/attempts/1`],
      ['POST', `/api/v1/classes/${c.id}/learners/${learner.id}/environments/clusterip-basics/reset`],
      ['POST', `/api/v1/classes/${c.id}/environments/clusterip-basics/delete`],
      ['GET', `/api/v1/classes/${c.id}/export`],
    ];
    for (const [method, url, payload] of routes) {
      const res = await t.app.inject({ method: method as 'GET', url, headers: learner.auth, ...(payload ? { payload: payload as object } : {}) });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(json<{ error: { code: string } }>(res).error.code).toBe('forbidden');
    }
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/classes' });
    expect(anonymous.statusCode).toBe(401);
  });

  it("an instructor gets 404 on another instructor's class, and does not see it listed; an admin sees both", async () => {
    const mine = user('instructor');
    const theirs = user('instructor');
    const admin = user('admin');
    const { class: a } = await createClass(mine);
    const { class: b } = await createClass(theirs);
    for (const url of [`/api/v1/classes/${b.id}`, `/api/v1/classes/${b.id}/matrix`, `/api/v1/classes/${b.id}/export?format=json`, `/api/v1/classes/${b.id}/exercises/clusterip-basics/insight`]) {
      const res = await t.app.inject({ method: 'GET', url, headers: mine.auth });
      expect(res.statusCode, url).toBe(404);
      expect(json<{ error: { code: string } }>(res).error.code).toBe('class_not_found');
    }
    const rotate = await t.app.inject({ method: 'POST', url: `/api/v1/classes/${b.id}/join-code`, headers: mine.auth });
    expect(rotate.statusCode).toBe(404);
    const listed = json<{ classes: { id: number }[] }>(await t.app.inject({ method: 'GET', url: '/api/v1/classes', headers: mine.auth })).classes.map((c) => c.id);
    expect(listed).toContain(a.id);
    expect(listed).not.toContain(b.id);
    const all = json<{ classes: { id: number }[] }>(await t.app.inject({ method: 'GET', url: '/api/v1/classes', headers: admin.auth })).classes.map((c) => c.id);
    expect(all).toEqual(expect.arrayContaining([a.id, b.id]));
  });

  it("a learner of another class is not found through this one (no reading other learners' work)", async () => {
    const owner = user('instructor');
    const { class: c } = await createClass(owner);
    const outsider = user('learner');
    const done = attempt(outsider.id, 'clusterip-basics', { 'service': null });
    const byLearner = await t.app.inject({ method: 'GET', url: `/api/v1/classes/${c.id}/learners/${outsider.id}/attempts`, headers: owner.auth });
    expect(byLearner.statusCode).toBe(404);
    const byAttempt = await t.app.inject({ method: 'GET', url: `/api/v1/classes/${c.id}/attempts/${done.id}`, headers: owner.auth });
    expect(byAttempt.statusCode).toBe(404);
  });
});

describe('classes', () => {
  it('create answers the join link once; rotating replaces it and the old code stops working; closing stops joining', async () => {
    const owner = user('instructor');
    const made = await createClass(owner, { name: 'Week 3', dueAt: '2030-05-01T12:00:00Z', environmentTtlMinutes: 90 });
    expect(made.class).toMatchObject({ name: 'Week 3', dueAt: '2030-05-01T12:00:00.000Z', environmentTtlMinutes: 90, joinOpen: true });
    const code = made.joinUrl.split('/join/')[1]!;
    expect(t.db.classes.selectOpenByJoinCode(code)?.id).toBe(made.class.id);

    const rotated = json<{ joinUrl: string }>(await t.app.inject({ method: 'POST', url: `/api/v1/classes/${made.class.id}/join-code`, headers: owner.auth }));
    const newCode = rotated.joinUrl.split('/join/')[1]!;
    expect(newCode).not.toBe(code);
    expect(t.db.classes.selectOpenByJoinCode(code)).toBeUndefined();
    expect(t.db.classes.selectOpenByJoinCode(newCode)?.id).toBe(made.class.id);

    const closed = await t.app.inject({ method: 'PATCH', url: `/api/v1/classes/${made.class.id}`, headers: owner.auth, payload: { joinOpen: false } });
    expect(json<{ class: { joinOpen: boolean } }>(closed).class.joinOpen).toBe(false);
    expect(t.db.classes.selectOpenByJoinCode(newCode)).toBeUndefined();
    const audit = t.db.audit.list({ limit: 50 }).filter((r) => r.actorUserId === owner.id).map((r) => r.action);
    expect(audit).toEqual(expect.arrayContaining(['class.create', 'class.join_code.rotate', 'class.update']));
  });

  it('bad input is a 400 that names the field', async () => {
    const owner = user('instructor');
    const cases: [unknown, string][] = [
      [{ name: '' }, 'name'],
      [{ name: 'x', exerciseIds: ['no-such-exercise'] }, 'exerciseIds'],
      [{ name: 'x', environmentTtlMinutes: 1 }, 'environmentTtlMinutes'],
      [{ name: 'x', dueAt: 'tomorrow' }, 'dueAt'],
      [{ name: 'x', colour: 'red' }, 'colour'],
    ];
    for (const [payload, field] of cases) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/classes', headers: owner.auth, payload: payload as object });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.body).toContain(field);
    }
    const badId = await t.app.inject({ method: 'GET', url: '/api/v1/classes/abc/matrix', headers: owner.auth });
    expect(badId.statusCode).toBe(400);
    expect(badId.body).toContain('classId');
    const badShape = await t.app.inject({ method: 'GET', url: '/api/v1/classes/1/export?shape=tall', headers: owner.auth });
    expect(badShape.statusCode).toBe(400);
    expect(badShape.body).toContain('shape');
  });
});

describe('matrix, insight, attempts and exports', () => {
  it('the matrix shows each learner × exercise with status, best score, attempts, and flags a learner stuck on one check', async () => {
    const owner = user('instructor');
    const { class: c } = await createClass(owner);
    const stuck = user('learner', 'Stuck Sam');
    const done = user('learner', 'Done Dana');
    const idle = user('learner', 'Idle Ida');
    for (const l of [stuck, done, idle]) join(c.id, l);
    for (let i = 0; i < 3; i++) attempt(stuck.id, 'clusterip-basics', { 'service': null, 'selector': 'selector app=web matches 0 Pods in kl-stuck-0123456789abcdef' });
    attempt(done.id, 'clusterip-basics', { 'service': null, 'selector': 'selector app=web matches 0 Pods in kl-done-fedcba9876543210' });
    attempt(done.id, 'clusterip-basics', { 'service': null, 'selector': null }, true);

    const m = json<{ exercises: { id: string }[]; rows: { displayName: string; passed: number; cells: { exerciseId: string; status: string; bestScore: number | null; attempts: number; stuckOn: string | null }[] }[] }>(
      await t.app.inject({ method: 'GET', url: `/api/v1/classes/${c.id}/matrix`, headers: owner.auth }),
    );
    expect(m.exercises.map((e) => e.id)).toEqual(['clusterip-basics', 'target-port']);
    const row = (name: string) => m.rows.find((r) => r.displayName === name)!;
    expect(row('Stuck Sam').cells[0]).toMatchObject({ status: 'failed', bestScore: 5, attempts: 3, stuckOn: 'selector' });
    expect(row('Done Dana').cells[0]).toMatchObject({ status: 'passed', bestScore: 10, attempts: 2, stuckOn: null });
    expect(row('Idle Ida').cells.map((x) => x.status)).toEqual(['not started', 'not started']);
    expect(row('Done Dana').passed).toBe(1);

    const insight = json<{ checks: { checkId: string; learnersFailed: number; failingNow: number; messages: { message: string; learners: number }[] }[] }>(
      await t.app.inject({ method: 'GET', url: `/api/v1/classes/${c.id}/exercises/clusterip-basics/insight`, headers: owner.auth }),
    );
    const selector = insight.checks.find((x) => x.checkId === 'selector')!;
    expect(selector).toMatchObject({ learnersFailed: 2, failingNow: 1 });
    // The two learners' messages differ only in their namespaces: one group of two.
    expect(selector.messages).toEqual([{ message: 'selector app=web matches 0 Pods in <namespace>', learners: 2 }]);

    const history = json<{ attempts: { id: number; result: string }[] }>(
      await t.app.inject({ method: 'GET', url: `/api/v1/classes/${c.id}/learners/${done.id}/attempts`, headers: owner.auth }),
    );
    expect(history.attempts.map((a) => a.result)).toEqual(['passed', 'failed']);
    const detail = json<{ checks: { checkId: string; status: string; message: string; hint: string | null }[] }>(
      await t.app.inject({ method: 'GET', url: `/api/v1/classes/${c.id}/attempts/${history.attempts[1]!.id}`, headers: owner.auth }),
    );
    expect(detail.checks.find((x) => x.checkId === 'selector')).toMatchObject({ status: 'fail', hint: 'look at the selector' });
  });

  it('CSV exports: a header, one row per learner (wide) or per check (long), formula-safe names, CRLF', async () => {
    const owner = user('instructor');
    const { class: c } = await createClass(owner, { name: 'CSV, "quoted"' });
    const evil = user('learner', '=HYPERLINK("http://x","click")');
    join(c.id, evil);
    attempt(evil.id, 'clusterip-basics', { 'service': null, 'selector': 'no, "really"' });

    const wide = await t.app.inject({ method: 'GET', url: `/api/v1/classes/${c.id}/export?format=csv&shape=wide`, headers: owner.auth });
    expect(wide.statusCode).toBe(200);
    expect(wide.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(wide.headers['content-disposition']).toBe('attachment; filename="CSV-quoted-wide.csv"');
    const lines = wide.body.split('\r\n');
    expect(lines[0]).toBe('learner_id,learner,clusterip-basics (of 100),target-port (of 100),total (of 200),exercises_passed,last_activity');
    expect(lines[1]).toMatch(new RegExp(`^${evil.id},"'=HYPERLINK\\(""http://x"",""click""\\)",5,,5,0,\\d{4}-`));
    expect(lines.at(-1)).toBe('');

    const long = await t.app.inject({ method: 'GET', url: `/api/v1/classes/${c.id}/export?shape=long`, headers: owner.auth });
    const rows = long.body.trim().split('\r\n');
    expect(rows[0]).toBe('learner_id,learner,exercise,attempt_id,attempt_at,attempt_result,attempt_score,check_id,check,status,points,max_points,message');
    expect(rows).toHaveLength(3);
    expect(rows.some((r) => r.endsWith(',fail,0,5,"no, ""really"""'))).toBe(true);

    const asJson = json<{ header: string[]; rows: unknown[][] }>(await t.app.inject({ method: 'GET', url: `/api/v1/classes/${c.id}/export?format=json`, headers: owner.auth }));
    expect(asJson.header[1]).toBe('learner');
    expect(asJson.rows[0]![1]).toBe('=HYPERLINK("http://x","click")');
  });

  it('environment actions on a learner without an environment answer 404; bulk actions report per learner', async () => {
    const owner = user('instructor');
    const { class: c } = await createClass(owner);
    const learner = user('learner', 'No Env');
    join(c.id, learner);
    const one = await t.app.inject({ method: 'POST', url: `/api/v1/classes/${c.id}/learners/${learner.id}/environments/clusterip-basics/extend`, headers: owner.auth });
    expect(one.statusCode).toBe(404);
    const bulk = await t.app.inject({ method: 'POST', url: `/api/v1/classes/${c.id}/environments/clusterip-basics/extend`, headers: owner.auth });
    expect(json<{ results: unknown[] }>(bulk).results).toEqual([{ userId: learner.id, displayName: 'No Env', outcome: 'no environment' }]);
    const notInClass = await t.app.inject({ method: 'POST', url: `/api/v1/classes/${c.id}/environments/multi-port/reset`, headers: owner.auth });
    expect(notInClass.statusCode).toBe(404);
  });
});

describe('GET /classes/:id/events', () => {
  it('sends the matrix at once, again when a member finishes an attempt, and ends when the app closes', async () => {
    // An app of its own: closing it is part of the test.
    const own = await buildTestApp({ seed: 22 });
    const abort = new AbortController();
    try {
      await own.app.listen({ port: 0, host: '127.0.0.1' });
      const port = (own.app.server.address() as AddressInfo).port;
      const teacher = own.db.users.create({ externalKey: 'local:events-teacher', displayName: 'T', role: 'instructor' });
      const token = own.db.tokens.createToken(teacher.id, 'events', []).plaintext;
      const { class: c } = own.db.classes.create({ name: 'Live', ownerUserId: teacher.id, exerciseIds: ['clusterip-basics'] });
      const member = own.db.users.create({ externalKey: 'local:events-learner', displayName: 'Mo', role: 'learner' });
      own.db.classes.addMember(c.id, member.id);

      const res = await fetch(`http://127.0.0.1:${port}/api/v1/classes/${c.id}/events`, { headers: { authorization: `Bearer ${token}` }, signal: abort.signal });
      expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      const events = new EventReader(res.body!);
      type M = { rows: { displayName: string; cells: { status: string }[] }[] };
      expect((await events.next<M>('matrix')).rows[0]!.cells[0]!.status).toBe('not started');

      const env = own.db.environments.create({ userId: member.id, exerciseId: 'clusterip-basics', namespace: 'kl-events-1', expiresAt: Date.now() + 60_000 });
      const a = own.db.attempts.create({ userId: member.id, environmentId: env.id, exerciseId: 'clusterip-basics', maxScore: 100 });
      own.db.attempts.markRunning(a.id);
      const finished = own.db.attempts.finish(a.id, { result: 'passed', score: 100 });
      own.platform.grading.events.publish(a.id, { type: 'attempt', attempt: finished });
      await events.next<M>('matrix', (m) => m.rows[0]!.cells[0]!.status === 'passed');

      const closing = own.app.close();
      await events.end();
      await closing;
    } finally {
      abort.abort();
      await own.close();
    }
  });
});
