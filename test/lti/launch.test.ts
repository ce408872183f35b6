// Part 2 of LTI: OIDC login initiation and the launch, validated in full against a fake
// LMS over real HTTP. A learner lands signed in on the exercise in the class made from
// the course; an instructor lands on that class's dashboard; each spoiled launch is
// refused with a page naming the failed check, never a 5xx.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLAIM } from '../../server/lti/claims.ts';
import { SESSION_COOKIE } from '../../server/http/routes/environments-auth.ts';
import { CLIENT_ID, DEPLOYMENT_ID, INSTRUCTOR, ISSUER, LEARNER } from './fake-platform.ts';
import { failedCheck, launch, loginAndAuth, postLaunch, PUBLIC_URL, startRig, type Rig } from './tool.ts';

let rig: Rig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await rig?.close();
});

let n = 0;
/** A fresh learner in a fresh course, so no test leans on another's launches. */
function learnerSpec(extra: Partial<Parameters<typeof launch>[1]> = {}) {
  n += 1;
  return { sub: `learner-${n}`, roles: [LEARNER], contextId: `course-launch-${n}`, resourceLinkId: `link-launch-${n}`, custom: { exercise: 'clusterip-basics' }, ...extra };
}

describe('login initiation', () => {
  it('redirects to the platform auth URL with the OIDC parameters, by GET and by POST', async () => {
    const params = { iss: ISSUER, login_hint: 'u1', target_link_uri: `${PUBLIC_URL}/lti/launch`, lti_message_hint: 'm1', client_id: CLIENT_ID };
    const get = await rig.t.app.inject({ method: 'GET', url: '/lti/login', query: params });
    const post = await rig.t.app.inject({ method: 'POST', url: '/lti/login', payload: new URLSearchParams(params).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    for (const res of [get, post]) {
      expect(res.statusCode).toBe(302);
      const to = new URL(String(res.headers.location));
      expect(`${to.origin}${to.pathname}`).toBe(rig.platform.authUrl);
      expect(Object.fromEntries([...to.searchParams].filter(([k]) => k !== 'state' && k !== 'nonce'))).toEqual({
        scope: 'openid', response_type: 'id_token', response_mode: 'form_post', prompt: 'none', client_id: CLIENT_ID,
        redirect_uri: `${PUBLIC_URL}/lti/launch`, login_hint: 'u1', lti_message_hint: 'm1',
      });
      expect(to.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(to.searchParams.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    }
    // Fresh state and nonce each time, and the state is kept in SQLite only as a hash.
    const states = [get, post].map((r) => new URL(String(r.headers.location)).searchParams.get('state')!);
    expect(states[0]).not.toBe(states[1]);
    const stored = rig.t.db.sqlite.prepare('SELECT state_hash FROM lti_login_states').all() as { state_hash: string }[];
    expect(stored.some((r) => states.includes(r.state_hash))).toBe(false);
  });

  it.each([
    ['an unknown issuer', { iss: 'https://other.example' }, 'registration'],
    ['no login_hint', { login_hint: undefined }, 'login'],
    ['an unregistered deployment', { lti_deployment_id: 'nope' }, 'deployment'],
  ])('refuses %s with a page naming the check (400)', async (_name, change, check) => {
    const params = Object.fromEntries(Object.entries({ iss: ISSUER, login_hint: 'u1', target_link_uri: `${PUBLIC_URL}/lti/launch`, ...change }).filter(([, v]) => v !== undefined));
    const res = await rig.t.app.inject({ method: 'GET', url: '/lti/login', query: params as Record<string, string> });
    expect(res.statusCode).toBe(400);
    expect(failedCheck(res.body)).toBe(check);
  });
});

describe('a learner launch', () => {
  it('lands signed in on the exercise, as a member of the class made from the course', async () => {
    const spec = learnerSpec({ name: 'Ada Lovelace', contextTitle: 'Networking 101' });
    const { landing, cookie } = await launch(rig, spec);
    expect(landing).toBe('/exercises/clusterip-basics');
    const user = rig.t.db.users.selectByExternalKey(`lti:${ISSUER}#${spec.sub}`);
    expect(user).toMatchObject({ displayName: 'Ada Lovelace', role: 'learner', email: `${spec.sub}@school.example` });
    const classes = rig.t.db.classes.listForMember(user.id);
    expect(classes.map((c) => [c.name, c.exerciseIds, c.joinOpen])).toEqual([['Networking 101', ['clusterip-basics'], false]]);
    const page = await fetch(`${rig.toolUrl}${landing}`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Ada Lovelace');
  });

  it('may show inside the LMS page: the landing page lets the registered platform frame it', async () => {
    const { landing, cookie } = await launch(rig, learnerSpec());
    const page = await fetch(`${rig.toolUrl}${landing}`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain(`frame-ancestors 'self' ${ISSUER} ${rig.platform.url}`);
    expect(page.headers.get('x-frame-options')).toBeNull();
  });

  it('sets a SameSite=None; Secure session cookie (the LMS frame is another site)', async () => {
    const posted = await postLaunch(rig, await loginAndAuth(rig, learnerSpec()));
    expect(posted.status).toBe(200);
    expect(posted.setCookie).toMatch(/SameSite=None/i);
    expect(posted.setCookie).toMatch(/Secure/);
    expect(posted.setCookie).toMatch(/HttpOnly/);
  });

  it('reaches the same account and class on a second launch, and finds the exercise from the target link', async () => {
    const spec = learnerSpec({ custom: undefined, targetLinkUri: `${PUBLIC_URL}/exercises/multi-port`, resourceLinkId: 'link-by-target' });
    const first = await launch(rig, spec);
    const second = await launch(rig, spec);
    expect(first.landing).toBe('/exercises/multi-port');
    expect(second.landing).toBe('/exercises/multi-port');
    const user = rig.t.db.users.selectByExternalKey(`lti:${ISSUER}#${spec.sub}`);
    expect(rig.t.db.classes.listForMember(user.id)).toHaveLength(1);
  });

  it('offers a new window when the LMS frame drops the cookie; the ticket there signs in once', async () => {
    const posted = await postLaunch(rig, await loginAndAuth(rig, learnerSpec()));
    const next = /content="0;url=([^"]+)"/.exec(posted.body)![1]!;
    const blocked = await fetch(`${rig.toolUrl}${next}`, { redirect: 'manual' });
    expect(blocked.status).toBe(200);
    const offer = await blocked.text();
    expect(offer).toContain('Open kubelab in a new window');
    const open = /href="(\/lti\/open\?ticket=[^"]+)" target="_blank"/.exec(offer)![1]!;
    const opened = await fetch(`${rig.toolUrl}${open}`, { redirect: 'manual' });
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe('/exercises/clusterip-basics');
    expect(opened.headers.getSetCookie().some((c) => c.startsWith(`${SESSION_COOKIE}=`) && /SameSite=Lax/i.test(c))).toBe(true);
    expect((await fetch(`${rig.toolUrl}${open}`, { redirect: 'manual' })).status).toBe(400);
  });
});

describe('an instructor launch', () => {
  it('lands on the class dashboard, owning the class a learner’s launch made first', async () => {
    const course = "course-teach";
    await launch(rig, { sub: 'early-learner', roles: [LEARNER], contextId: course, custom: { exercise: 'clusterip-basics' } });
    const { landing, cookie } = await launch(rig, { sub: 'teacher-1', roles: [INSTRUCTOR], contextId: course, custom: { exercise: 'clusterip-basics' } });
    const teacher = rig.t.db.users.selectByExternalKey(`lti:${ISSUER}#teacher-1`);
    expect(teacher.role).toBe('instructor');
    const [klass] = rig.t.db.classes.listForOwner(teacher.id);
    expect(landing).toBe(`/instructor/classes/${klass!.id}`);
    expect(rig.t.db.classes.members(klass!.id).map((m) => m.displayName)).toEqual(['User early-learner']);
    const page = await fetch(`${rig.toolUrl}${landing}`, { headers: { cookie } });
    expect(page.status).toBe(200);
  });
});

describe('a spoiled launch is refused with the failed check named', () => {
  it('a replayed state', async () => {
    const form = await loginAndAuth(rig, learnerSpec());
    expect((await postLaunch(rig, form)).status).toBe(200);
    const again = await postLaunch(rig, form);
    expect(again.status).toBe(400);
    expect(failedCheck(again.body)).toBe('state');
    expect(again.body).toContain('already used');
    expect(again.cookie).toBeUndefined();
  });

  it('a reused nonce (an old id_token under a fresh state)', async () => {
    const spec = learnerSpec();
    const first = await loginAndAuth(rig, spec);
    expect((await postLaunch(rig, first)).status).toBe(200);
    const second = await loginAndAuth(rig, spec);
    const replay = await postLaunch(rig, { id_token: first.id_token, state: second.state });
    expect(replay.status).toBe(400);
    expect(failedCheck(replay.body)).toBe('nonce');
    expect(replay.body).toContain('already used');
  });

  it.each([
    ['a tampered payload', { tamper: true }, 'signature'],
    ['a key not in the platform JWKS', { foreignKey: true }, 'signature'],
    ['the wrong aud', { claims: (c: Record<string, unknown>) => { c.aud = 'someone-else'; } }, 'aud'],
    ['aud as a list without azp', { claims: (c: Record<string, unknown>) => { c.aud = [CLIENT_ID, 'other']; } }, 'aud'],
    ['an expired token', { shiftS: -3600 }, 'exp'],
    ['a token issued in the future', { shiftS: 3600 }, 'iat'],
    ['an unknown deployment', { claims: (c: Record<string, unknown>) => { c[CLAIM.deploymentId] = 'unregistered'; } }, 'deployment'],
    ['version 1.1', { claims: (c: Record<string, unknown>) => { c[CLAIM.version] = '1.1'; } }, 'claims'],
    ['no roles', { claims: (c: Record<string, unknown>) => { delete c[CLAIM.roles]; } }, 'claims'],
    ['no resource_link', { claims: (c: Record<string, unknown>) => { delete c[CLAIM.resourceLink]; } }, 'claims'],
    ['an unknown message type', { claims: (c: Record<string, unknown>) => { c[CLAIM.messageType] = 'LtiSubmissionReviewRequest'; } }, 'claims'],
    ['an exercise this kubelab lacks', { custom: { exercise: 'no-such-lab' } }, 'exercise'],
  ])('%s', async (_name, spoil, check) => {
    const spec = learnerSpec(spoil);
    const res = await postLaunch(rig, await loginAndAuth(rig, spec));
    expect(res.status, res.body).toBe(400);
    expect(failedCheck(res.body)).toBe(check);
    expect(res.cookie).toBeUndefined();
    expect(rig.t.db.users.selectOptionalByExternalKey(`lti:${ISSUER}#${spec.sub}`)).toBeUndefined();
  });

  it('names the missing claim', async () => {
    const res = await postLaunch(rig, await loginAndAuth(rig, learnerSpec({ claims: (c) => { delete c[CLAIM.roles]; } })));
    expect(res.body).toContain('claim roles');
  });

  it('a form with no id_token, or a state never issued', async () => {
    const none = await rig.t.app.inject({ method: 'POST', url: '/lti/launch', payload: 'state=abc', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('no id_token');
    const made = await rig.t.app.inject({ method: 'POST', url: '/lti/launch', payload: 'state=abc&id_token=x.y.z', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(made.statusCode).toBe(400);
    expect(failedCheck(made.body)).toBe('state');
  });
});

describe('bad input to the public LTI endpoints', () => {
  const nasty = ['', 'x', '../..', '<script>', 'a'.repeat(5000), '__proto__', '\u0000', 'klt_' + 'A'.repeat(43), 'kld_' + 'A'.repeat(43)];
  it('is a 4xx page, never a 5xx', async () => {
    const requests = nasty.flatMap((v) => [
      { method: 'POST' as const, url: '/lti/launch', payload: { id_token: v, state: v } },
      { method: 'POST' as const, url: '/lti/launch', payload: `id_token=${encodeURIComponent(v)}&state=${encodeURIComponent(v)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      { method: 'POST' as const, url: '/lti/launch', payload: v, headers: { 'content-type': 'text/plain' } },
      { method: 'GET' as const, url: `/lti/login?iss=${encodeURIComponent(v)}&login_hint=${encodeURIComponent(v)}&target_link_uri=${encodeURIComponent(v)}` },
      { method: 'POST' as const, url: '/lti/login', payload: { iss: [v], login_hint: { v } } },
      { method: 'GET' as const, url: `/lti/continue?ticket=${encodeURIComponent(v)}` },
      { method: 'GET' as const, url: `/lti/open?ticket=${encodeURIComponent(v)}` },
      { method: 'POST' as const, url: '/lti/deep-link', payload: { request: v, exercise: v } },
    ]);
    for (const request of requests) {
      const res = await rig.t.app.inject(request);
      expect(res.statusCode, `${request.method} ${request.url}: ${res.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, `${request.method} ${request.url}`).toBeLessThan(500);
    }
  });
});
