// Part 4 of LTI: AGS grade passback. A learner launched from a graded link grades their
// work on the embedded cluster; the best score reaches the fake LMS (token by our
// signed client assertion, verified against our JWKS; Canvas's score rules applied).
// A 5xx is retried with backoff on the injected clock; a queued score survives a
// restart; an `error` attempt is never sent; a resend moves the timestamp forward.
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { openDatabase } from '../../server/db/database.ts';
import { exercisePoints } from '../../server/lti/deep-linking.ts';
import { FIRST_RETRY_MS } from '../../server/lti/ags/passback.ts';
import { csrfTokenFor } from '../../server/db/sessions.ts';
import { SESSION_COOKIE } from '../../server/http/routes/environments-auth.ts';
import { ISSUER, LEARNER } from './fake-platform.ts';
import { launch, startRig, type Rig } from './tool.ts';

let rig: Rig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await rig?.close();
});

const EXERCISE = 'clusterip-basics';

/** A learner launched from a graded link of a course of their own, with a ready environment. */
async function gradedLearner(sub: string) {
  await launch(rig, { sub, roles: [LEARNER], contextId: `grades-${sub}`, resourceLinkId: `graded-${sub}`, custom: { exercise: EXERCISE }, lineitem: true });
  const user = rig.t.db.users.selectByExternalKey(`lti:${ISSUER}#${sub}`);
  await rig.t.platform.environments.ensure(user.id, EXERCISE);
  return user;
}

async function applySolution(userId: number) {
  const exercise = rig.t.catalog.byId(EXERCISE)!;
  await rig.t.platform.environments.apply(userId, EXERCISE, exercise.solution.map((m) => stringify(m.object)).join('---\n'));
}

/** One real grade, then whatever delivery it set off. */
async function grade(userId: number) {
  const { attempt } = rig.t.platform.grading.start(userId, EXERCISE);
  await rig.t.platform.grading.drain();
  await rig.t.app.lti.passback.deliverDue();
  return rig.t.db.attempts.select(attempt.id);
}

const scoresOf = (sub: string) => rig.platform.scores.filter((s) => s.userId === sub);
const points = () => exercisePoints(rig.t.catalog.byId(EXERCISE)!);

describe('grade passback', () => {
  it('round trip: launch → grade → the LMS receives the best score, FullyGraded, for the LTI sub', async () => {
    const user = await gradedLearner('ags-1');
    await applySolution(user.id);
    const attempt = await grade(user.id);
    expect(attempt.result).toBe('passed');
    expect(scoresOf('ags-1')).toEqual([{
      lineitem: 'graded-ags-1',
      userId: 'ags-1',
      scoreGiven: points(),
      scoreMaximum: points(),
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
      timestamp: new Date(rig.clock.now).toISOString(),
    }]);
    const status = await rig.t.app.inject({ method: 'GET', url: `/api/v1/lti/scores?userId=${user.id}`, headers: rig.admin.auth });
    expect(status.statusCode).toBe(200);
    expect((status.json() as { scores: unknown[] }).scores).toEqual([expect.objectContaining({ status: 'sent', scoreGiven: points(), exerciseId: EXERCISE, lastError: null, tries: 1 })]);
  });

  it('a worse later grade sends nothing; Resend sends the best again with a newer timestamp', async () => {
    const user = await gradedLearner('ags-2');
    await applySolution(user.id);
    await grade(user.id);
    await rig.t.platform.environments.reset(user.id, EXERCISE);
    const worse = await grade(user.id);
    expect(worse.score).toBeLessThan(points());
    expect(scoresOf('ags-2')).toHaveLength(1);
    rig.clock.now += 1000;
    const [row] = rig.t.app.lti.scores.forUser(user.id);
    const resent = await rig.t.app.inject({ method: 'POST', url: `/api/v1/lti/scores/${row!.id}/resend`, headers: rig.admin.auth });
    expect(resent.statusCode, resent.body).toBe(202);
    await rig.t.app.lti.passback.deliverDue();
    const sent = scoresOf('ags-2');
    expect(sent.map((s) => s.scoreGiven)).toEqual([points(), points()]);
    expect(Date.parse(sent[1]!.timestamp)).toBeGreaterThan(Date.parse(sent[0]!.timestamp));
    // The token was fetched once and reused (cached per scope).
    expect(rig.platform.tokensIssued.length).toBe(1);
  });

  it('retries after a 5xx, after the backoff on the injected clock', async () => {
    const user = await gradedLearner('ags-3');
    await applySolution(user.id);
    rig.platform.failNextScores.push(503);
    await grade(user.id);
    expect(scoresOf('ags-3')).toEqual([]);
    const [pending] = rig.t.app.lti.scores.forUser(user.id);
    expect(pending).toMatchObject({ status: 'pending', tries: 1 });
    expect(pending!.lastError).toContain('503');
    // Not due yet: nothing is sent before the backoff passes.
    expect(await rig.t.app.lti.passback.deliverDue()).toBe(0);
    rig.clock.now += FIRST_RETRY_MS;
    expect(await rig.t.app.lti.passback.deliverDue()).toBe(1);
    expect(scoresOf('ags-3').map((s) => s.scoreGiven)).toEqual([points()]);
    expect(rig.t.app.lti.scores.forUser(user.id)[0]).toMatchObject({ status: 'sent', lastError: null });
  });

  it('a queued score is delivered by the next server after a restart', async () => {
    const user = await gradedLearner('ags-4');
    await applySolution(user.id);
    rig.platform.failNextScores.push(500);
    await grade(user.id);
    expect(scoresOf('ags-4')).toEqual([]);
    // A new process: its own connection to the same SQLite file, its own app and caches.
    const db = openDatabase(rig.t.db.file, { now: () => rig.clock.now });
    const restarted = await buildApp({ config: rig.t.config, db, catalog: rig.t.catalog, platform: rig.t.platform, now: () => rig.clock.now, lti: { scheduler: { every: () => () => undefined } } });
    try {
      rig.clock.now += FIRST_RETRY_MS;
      expect(await restarted.lti.passback.deliverDue()).toBe(1);
      expect(scoresOf('ags-4').map((s) => s.scoreGiven)).toEqual([points()]);
    } finally {
      await restarted.close();
      db.close();
    }
  });

  it('never sends an error attempt, and refuses what the LMS refuses for good (a 4xx) without retrying', async () => {
    const user = await gradedLearner('ags-5');
    const env = rig.t.platform.environments.get(user.id, EXERCISE);
    const broken = rig.t.db.attempts.create({ userId: user.id, environmentId: env.id, exerciseId: EXERCISE, maxScore: points() });
    rig.t.db.attempts.markRunning(broken.id);
    const errored = rig.t.db.attempts.finish(broken.id, { result: 'error', score: 0 });
    expect(rig.t.app.lti.passback.attemptFinished(errored)).toEqual([]);
    expect(rig.t.app.lti.scores.forUser(user.id)).toEqual([]);

    await applySolution(user.id);
    rig.platform.failNextScores.push(422);
    await grade(user.id);
    expect(rig.t.app.lti.scores.forUser(user.id)[0]).toMatchObject({ status: 'failed', tries: 1 });
    expect(await rig.t.app.lti.passback.deliverDue()).toBe(0);
  });

  it('shows learners’ sync status to admins only, with field errors for bad queries', async () => {
    const learner = rig.t.db.users.create({ externalKey: 'local:ags-nosy', displayName: 'N', role: 'learner' });
    const auth = { authorization: `Bearer ${rig.t.db.tokens.createToken(learner.id, 'n', []).plaintext}` };
    expect((await rig.t.app.inject({ method: 'GET', url: '/api/v1/lti/scores', headers: auth })).statusCode).toBe(403);
    const bad = await rig.t.app.inject({ method: 'GET', url: '/api/v1/lti/scores?userId=abc', headers: rig.admin.auth });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('userId');
    expect((await rig.t.app.inject({ method: 'POST', url: '/api/v1/lti/scores/999999/resend', headers: rig.admin.auth })).statusCode).toBe(404);
  });

  it('the class dashboard shows a learner’s LMS grade and its owner can Resend it; another instructor cannot', async () => {
    const user = await gradedLearner('ags-sync');
    await applySolution(user.id);
    await grade(user.id);
    const [score] = rig.t.app.lti.scores.forUser(user.id);
    const classId = rig.t.app.lti.mappings.linkById(score!.linkId)!.classId;
    const staff = (name: string) => {
      const u = rig.t.db.users.create({ externalKey: `local:${name}`, displayName: name, role: 'instructor' });
      const { secret, session } = rig.t.db.sessions.create(u.id, 'token');
      return { user: u, cookie: `${SESSION_COOKIE}=${secret}`, csrf: csrfTokenFor(session) };
    };
    const owner = staff('sync-owner');
    rig.t.app.lti.mappings.setClassOwner(classId, owner.user.id);
    const page = `/instructor/classes/${classId}/learners/${user.id}`;
    const shown = await rig.t.app.inject({ method: 'GET', url: page, headers: { cookie: owner.cookie } });
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('LMS grade');
    expect(shown.body).toMatch(new RegExp(`${points()} / ${points()} sent \\d{4}-`));

    const resend = (who: ReturnType<typeof staff>) => rig.t.app.inject({
      method: 'POST',
      url: `${page}/grade-sync/${score!.id}/resend`,
      headers: { cookie: who.cookie, 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
      payload: `_csrf=${encodeURIComponent(who.csrf)}`,
    });
    expect((await resend(staff('sync-stranger'))).statusCode).toBe(404);
    const before = scoresOf('ags-sync').length;
    const sent = await resend(owner);
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe(`${page}?done=resend:${EXERCISE}`);
    await rig.t.app.lti.passback.deliverDue();
    expect(scoresOf('ags-sync')).toHaveLength(before + 1);
    const after = await rig.t.app.inject({ method: 'GET', url: String(sent.headers.location), headers: { cookie: owner.cookie } });
    expect(after.body).toContain(`The LMS grade for ${rig.t.catalog.byId(EXERCISE)!.title} is being sent again.`);
  });
});
