// The instructor pages through the production app with app.inject: who gets in (a
// learner 403, a stranger to sign-in, another instructor's class 404), the create form
// (field errors, cross-site and CSRF refusals, the link shown once), joining closed and
// reopened, one learner's environment actions, and ids that cannot be ids.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfTokenFor } from '../../server/db/sessions.ts';
import { SESSION_COOKIE } from '../../server/http/routes/environments-auth.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
let seq = 0;
beforeAll(async () => {
  t = await buildTestApp({ seed: 23 });
});
afterAll(async () => {
  await t?.close();
});

function signedIn(role: 'learner' | 'instructor' | 'admin') {
  const user = t.db.users.create({ externalKey: `local:ip-${++seq}`, displayName: `${role} ${seq}`, role });
  const { secret, session } = t.db.sessions.create(user.id, 'token');
  return { user, cookie: `${SESSION_COOKIE}=${secret}`, csrf: csrfTokenFor(session) };
}

const FORM = 'application/x-www-form-urlencoded';
const form = (fields: Record<string, string | string[]>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) p.append(k, one);
  return p.toString();
};

function post(who: ReturnType<typeof signedIn>, url: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}) {
  return t.app.inject({ method: 'POST', url, headers: { cookie: who.cookie, 'content-type': FORM, 'sec-fetch-site': 'same-origin', ...headers }, payload: form({ _csrf: who.csrf, ...fields }) });
}

function classOf(ownerId: number, name = `Class ${++seq}`) {
  return t.db.classes.create({ name, ownerUserId: ownerId, exerciseIds: ['clusterip-basics', 'target-port'] }).class;
}

describe('who gets in', () => {
  it('a stranger is sent to sign in; a learner gets a 403 page on every instructor page', async () => {
    const stranger = await t.app.inject({ method: 'GET', url: '/instructor' });
    expect(stranger.statusCode).toBe(303);
    expect(stranger.headers.location).toBe('/signin?next=%2Finstructor');
    const owner = signedIn('instructor');
    const c = classOf(owner.user.id);
    const learner = signedIn('learner');
    for (const url of ['/instructor', `/instructor/classes/${c.id}`, `/instructor/classes/${c.id}/exercises/clusterip-basics`, `/instructor/classes/${c.id}/learners/${learner.user.id}`, `/instructor/classes/${c.id}/attempts/1`]) {
      const res = await t.app.inject({ method: 'GET', url, headers: { cookie: learner.cookie } });
      expect(res.statusCode, url).toBe(403);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain('This page is for instructors');
    }
    const create = await post(learner, '/instructor/classes', { name: 'Mine' });
    expect(create.statusCode).toBe(403);
  });

  it("another instructor's class, a learner outside it, and ids that cannot be ids are 404 pages", async () => {
    const owner = signedIn('instructor');
    const other = signedIn('instructor');
    const c = classOf(owner.user.id);
    const outsider = signedIn('learner');
    for (const url of [`/instructor/classes/${c.id}`, `/instructor/classes/${c.id}/exercises/clusterip-basics`]) {
      const res = await t.app.inject({ method: 'GET', url, headers: { cookie: other.cookie } });
      expect(res.statusCode, url).toBe(404);
      expect(res.body).not.toContain(c.name);
    }
    for (const url of [`/instructor/classes/${c.id}/learners/${outsider.user.id}`, '/instructor/classes/abc', '/instructor/classes/1e99', `/instructor/classes/${c.id}/exercises/no-such`, `/instructor/classes/${c.id}/exercises/multi-port`]) {
      const res = await t.app.inject({ method: 'GET', url, headers: { cookie: owner.cookie } });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
    }
    const admin = signedIn('admin');
    const seen = await t.app.inject({ method: 'GET', url: `/instructor/classes/${c.id}`, headers: { cookie: admin.cookie } });
    expect(seen.statusCode).toBe(200);
  });
});

describe('making a class from the page', () => {
  it('creates the class with the chosen exercises, due date and lifetime, and shows the join link once', async () => {
    const owner = signedIn('instructor');
    const res = await post(owner, '/instructor/classes', { name: '  Week 5  ', exerciseIds: ['multi-port', 'target-port'], due: '2030-03-04', ttlMinutes: '45' });
    expect(res.statusCode).toBe(201);
    const code = /\/join\/([A-Za-z0-9_-]+)</.exec(res.body)?.[1];
    expect(code).toBeDefined();
    const made = t.db.classes.selectOpenByJoinCode(code!)!;
    expect(made).toMatchObject({ name: 'Week 5', ownerUserId: owner.user.id, exerciseIds: ['multi-port', 'target-port'], dueAt: Date.parse('2030-03-04T23:59:59Z'), environmentTtlMs: 45 * 60_000 });
    const dashboard = await t.app.inject({ method: 'GET', url: `/instructor/classes/${made.id}`, headers: { cookie: owner.cookie } });
    expect(dashboard.statusCode).toBe(200);
    expect(dashboard.body).not.toContain(code!);
  });

  it('answers a bad form with the form again and the field named; nothing is made', async () => {
    const owner = signedIn('instructor');
    const cases: [Record<string, string | string[]>, string][] = [
      [{ name: '' }, 'name: give the class a name'],
      [{ name: 'x', exerciseIds: 'clusterip-basics', ttlMinutes: '5' }, 'ttlMinutes: at least 10 minutes'],
      [{ name: 'x', exerciseIds: 'clusterip-basics', due: 'soon' }, 'due: pick a date'],
      [{ name: 'x' }, 'exerciseIds: pick at least one exercise'],
      [{ name: 'x', exerciseIds: 'nope' }, 'exerciseIds: pick exercises from the list'],
    ];
    for (const [fields, message] of cases) {
      const res = await post(owner, '/instructor/classes', fields);
      expect(res.statusCode, JSON.stringify(fields)).toBe(400);
      expect(res.body).toContain(message);
    }
    expect(t.db.classes.listForOwner(owner.user.id)).toEqual([]);
  });

  it('refuses a cross-site post and a post without the CSRF token', async () => {
    const owner = signedIn('instructor');
    const crossSite = await post(owner, '/instructor/classes', { name: 'x', exerciseIds: 'clusterip-basics' }, { 'sec-fetch-site': 'cross-site' });
    expect(crossSite.statusCode).toBe(403);
    const noToken = await t.app.inject({ method: 'POST', url: '/instructor/classes', headers: { cookie: owner.cookie, 'content-type': FORM }, payload: form({ name: 'x', exerciseIds: 'clusterip-basics' }) });
    expect(noToken.statusCode).toBe(403);
    expect(t.db.classes.listForOwner(owner.user.id)).toEqual([]);
  });

  it('closes and reopens joining; a new join link replaces the old one', async () => {
    const owner = signedIn('instructor');
    const { class: c, joinCode } = t.db.classes.create({ name: 'Toggle', ownerUserId: owner.user.id, exerciseIds: ['clusterip-basics'] });
    const closed = await post(owner, `/instructor/classes/${c.id}/settings`, { joinOpen: 'no' });
    expect(closed.statusCode).toBe(303);
    expect(t.db.classes.selectOpenByJoinCode(joinCode)).toBeUndefined();
    await post(owner, `/instructor/classes/${c.id}/settings`, { joinOpen: 'yes' });
    expect(t.db.classes.selectOpenByJoinCode(joinCode)?.id).toBe(c.id);
    const rotated = await post(owner, `/instructor/classes/${c.id}/join-code`, {});
    expect(rotated.statusCode).toBe(200);
    const newCode = /\/join\/([A-Za-z0-9_-]+)</.exec(rotated.body)![1]!;
    expect(t.db.classes.selectOpenByJoinCode(joinCode)).toBeUndefined();
    expect(t.db.classes.selectOpenByJoinCode(newCode)?.id).toBe(c.id);
  });
});

describe("one learner's environment", () => {
  it('extends a learner environment from their page and records who did it', async () => {
    const owner = signedIn('instructor');
    const c = classOf(owner.user.id);
    const learner = signedIn('learner');
    t.db.classes.addMember(c.id, learner.user.id);
    await t.platform.environments.ensure(learner.user.id, 'clusterip-basics');
    const res = await post(owner, `/instructor/classes/${c.id}/learners/${learner.user.id}/environments/clusterip-basics/extend`, {});
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/instructor/classes/${c.id}/learners/${learner.user.id}?done=extend:clusterip-basics`);
    const page = await t.app.inject({ method: 'GET', url: res.headers.location!, headers: { cookie: owner.cookie } });
    expect(page.body).toContain('was extended');
    const audit = t.db.audit.list({ limit: 20 }).find((a) => a.action === 'environment.extend' && a.actorUserId === owner.user.id);
    expect(audit?.details).toMatchObject({ classId: c.id, userId: learner.user.id, exerciseId: 'clusterip-basics' });
    // No such action, and an exercise outside the class: 404 pages, nothing done.
    expect((await post(owner, `/instructor/classes/${c.id}/learners/${learner.user.id}/environments/clusterip-basics/explode`, {})).statusCode).toBe(404);
    expect((await post(owner, `/instructor/classes/${c.id}/learners/${learner.user.id}/environments/multi-port/reset`, {})).statusCode).toBe(404);
  });
});
