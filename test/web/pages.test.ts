// The learner portal's pages through the production app (buildApp + the embedded
// cluster), with app.inject: sign-in by token and by join link, the session cookie,
// CSRF and cross-site refusals, sign-out, the catalog, exercise and attempt pages, the
// 404s, security headers on every page, and the hashed assets.
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfTokenFor } from '../../server/db/sessions.ts';
import { namespaceFor } from '../../server/environments/naming.ts';
import { SESSION_COOKIE } from '../../server/http/routes/environments-auth.ts';
import { buildTestApp, FIXED_NOW, type TestApp } from '../helpers/app.ts';

type Response = Awaited<ReturnType<TestApp['app']['inject']>>;

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t?.close();
});

let made = 0;
function learner(displayName?: string) {
  made += 1;
  const user = t.db.users.create({ externalKey: `local:pages-${made}`, displayName: displayName ?? `Learner ${made}`, role: 'learner' });
  return { user, token: t.db.tokens.createToken(user.id, 'test', []).plaintext };
}
function instructor() {
  made += 1;
  return t.db.users.create({ externalKey: `local:teacher-${made}`, displayName: `Teacher ${made}`, role: 'instructor' });
}

/** A session made by the repository, as sign-in would: the cookie header and its CSRF token. */
function sessionFor(userId: number) {
  const { secret, session } = t.db.sessions.create(userId, 'token');
  return { secret, cookie: `${SESSION_COOKIE}=${secret}`, csrf: csrfTokenFor(session) };
}

const FORM = 'application/x-www-form-urlencoded';
function form(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** The session cookie a response sets, as @fastify/cookie wrote it. */
function setCookie(res: Response): string | undefined {
  const raw = res.headers['set-cookie'];
  const all = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return all.find((c) => c.startsWith(`${SESSION_COOKIE}=`));
}
function cookieHeader(res: Response): string {
  const set = setCookie(res);
  expect(set, 'a session cookie is set').toBeDefined();
  return set!.split(';')[0]!;
}

/** Every HTML answer: the CSP, no inline script (JSON data only), no inline handler or style. */
function expectPage(res: Response, status: number): string {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
  const csp = String(res.headers['content-security-policy'] ?? '');
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("default-src 'self'");
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toContain('unsafe-eval');
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  const body = res.body;
  expect(body.startsWith('<!doctype html>')).toBe(true);
  const scripts = body.match(/<script\b[^>]*>[\s\S]*?<\/script>/gi) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const script of scripts) {
    const open = /^<script\b[^>]*>/i.exec(script)![0];
    if (/\btype="application\/json"/.test(open)) continue;
    // Anything else must be an empty element loading a file from this origin's /assets.
    expect(open).toMatch(/^<script type="module" src="\/assets\/[^"]+\.js">$/);
    expect(script.slice(open.length)).toBe('</script>');
  }
  expect(body).not.toMatch(/<[a-z][^>]*\son[a-z]+\s*=/i);
  expect(body).not.toMatch(/<[a-z][^>]*\sstyle\s*=/i);
  expect(body).not.toMatch(/<style\b/i);
  return body;
}

function h1s(body: string): string[] {
  return [...body.matchAll(/<h1\b[^>]*>([\s\S]*?)<\/h1>/g)].map((m) => m[1]!.trim());
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** The CSRF token a signed-in page hands its scripts and forms. */
function pageCsrf(body: string): string {
  const meta = /<meta name="csrf-token" content="([^"]+)">/.exec(body)?.[1];
  const field = /<input type="hidden" name="_csrf" value="([^"]+)">/.exec(body)?.[1];
  expect(meta).toBeDefined();
  expect(field).toBe(meta);
  return meta!;
}

describe('signed out', () => {
  it.each([
    ['/', '/'],
    ['/?tab=1', '/'],
    ['/exercises/clusterip-basics', '/exercises/clusterip-basics'],
    ['/exercises/no-such-exercise', '/exercises/no-such-exercise'],
    ['/attempts/1', '/attempts/1'],
  ])('GET %s → 303 to /signin?next=%s (the path only)', async (url, next) => {
    const res = await t.app.inject({ method: 'GET', url });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/signin?next=${encodeURIComponent(next)}`);
    expect(setCookie(res)).toBeUndefined();
  });

  it.each([
    ['an unknown session', `${SESSION_COOKIE}=kls_${'A'.repeat(43)}`],
    ['a value without the session prefix', `${SESSION_COOKIE}=klb_whatever`],
    ['an empty cookie', `${SESSION_COOKIE}=`],
  ])('%s is treated as signed out', async (_name, cookie) => {
    const res = await t.app.inject({ method: 'GET', url: '/exercises/target-port', headers: { cookie } });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/signin?next=%2Fexercises%2Ftarget-port');
  });

  it('GET /signin shows the token form with its accessible names and carries next', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/signin?next=%2Fexercises%2Ftarget-port' });
    const body = expectPage(res, 200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(body).toMatch(/<label for="token">API token<\/label>\s*<input id="token" name="token" type="password"/);
    expect(body).toMatch(/<button type="submit"[^>]*>Sign in<\/button>/);
    expect(body).toContain('<input type="hidden" name="next" value="/exercises/target-port">');
    // Not signed in: no account bar, no CSRF token.
    expect(body).not.toContain('csrf-token');
    expect(body).not.toContain('Sign out');
  });
});

describe('sign-in with an API token', () => {
  it('sets an httpOnly SameSite=Lax cookie (not Secure on http) and goes to next; the cookie then opens the page', async () => {
    const { user, token } = learner('Grace');
    const res = await t.app.inject({ method: 'POST', url: '/signin', headers: { 'content-type': FORM }, payload: form({ token, next: '/exercises/target-port' }) });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/exercises/target-port');
    const set = setCookie(res)!;
    expect(set).toMatch(new RegExp(`^${SESSION_COOKIE}=kls_[A-Za-z0-9_-]{43};`));
    expect(set).toMatch(/; HttpOnly/);
    expect(set).toMatch(/; SameSite=Lax/);
    expect(set).toMatch(/; Path=\//);
    expect(set).not.toMatch(/; Secure/);
    const secret = decodeURIComponent(cookieHeader(res).split('=')[1]!);
    // The secret is in the cookie only: the database holds a hash.
    const row = t.db.sqlite.prepare('SELECT * FROM sessions WHERE user_id = ?').get(user.id) as { token_hash: string; via: string };
    expect(row.via).toBe('token');
    expect(row.token_hash).not.toContain(secret);
    expect(JSON.stringify(row)).not.toContain(secret);

    const page = await t.app.inject({ method: 'GET', url: '/exercises/target-port', headers: { cookie: cookieHeader(res) } });
    const body = expectPage(page, 200);
    expect(body).toContain('Signed in as <strong>Grace</strong>');
    expect(body).toMatch(/<button type="submit"[^>]*>Sign out<\/button>/);
  });

  it('without next goes to the catalog', async () => {
    const { token } = learner();
    const res = await t.app.inject({ method: 'POST', url: '/signin', headers: { 'content-type': FORM }, payload: form({ token }) });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/');
  });

  it.each(['//evil.example', '//evil.example/path', '/\\evil.example', 'https://evil.example/', 'javascript:alert(1)', 'exercises/x', '/ex ercises', `/${'a'.repeat(550)}`])(
    'never redirects to another origin: next=%s → /',
    async (next) => {
      const { token } = learner();
      const res = await t.app.inject({ method: 'POST', url: '/signin', headers: { 'content-type': FORM }, payload: form({ token, next }) });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe('/');
      const shown = await t.app.inject({ method: 'GET', url: `/signin?next=${encodeURIComponent(next)}` });
      expect(expectPage(shown, 200)).toContain('<input type="hidden" name="next" value="/">');
    },
  );

  it('GET /signin when already signed in goes straight to next', async () => {
    const { user } = learner();
    const { cookie } = sessionFor(user.id);
    const res = await t.app.inject({ method: 'GET', url: '/signin?next=%2Fexercises%2Fmulti-port', headers: { cookie } });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/exercises/multi-port');
    const evil = await t.app.inject({ method: 'GET', url: '/signin?next=%2F%2Fevil.example', headers: { cookie } });
    expect(evil.headers.location).toBe('/');
  });

  it('a bad token → 401 page with the error, the form again, and no cookie', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/signin', headers: { 'content-type': FORM }, payload: form({ token: 'klb_not-a-real-token', next: '/exercises/multi-port' }) });
    const body = expectPage(res, 401);
    expect(setCookie(res)).toBeUndefined();
    expect(body).toContain('That token is unknown, expired or revoked');
    expect(body).toMatch(/<input id="token"[^>]*aria-invalid="true" aria-describedby="token-error"/);
    expect(body).toMatch(/<p id="token-error" class="field-error" role="alert">/);
    expect(body).toContain('<input type="hidden" name="next" value="/exercises/multi-port">');
    expect(body).not.toContain('klb_not-a-real-token');
  });

  it('a revoked token → 401', async () => {
    const { user } = learner();
    const created = t.db.tokens.createToken(user.id, 'soon revoked', []);
    t.db.tokens.revoke(created.token.id);
    const res = await t.app.inject({ method: 'POST', url: '/signin', headers: { 'content-type': FORM }, payload: form({ token: created.plaintext }) });
    expectPage(res, 401);
    expect(setCookie(res)).toBeUndefined();
  });

  it('an empty token → 400 with the field error; a missing body → 400', async () => {
    const empty = await t.app.inject({ method: 'POST', url: '/signin', headers: { 'content-type': FORM }, payload: form({ token: '   ' }) });
    expect(expectPage(empty, 400)).toContain('paste your API token');
    const none = await t.app.inject({ method: 'POST', url: '/signin', headers: { 'content-type': FORM }, payload: '' });
    expectPage(none, 400);
    expect(setCookie(none)).toBeUndefined();
  });

  it.each([
    ['sec-fetch-site: cross-site', { 'sec-fetch-site': 'cross-site' }],
    ['sec-fetch-site: same-site (a sibling subdomain is another origin)', { 'sec-fetch-site': 'same-site' }],
    ['a foreign Origin', { origin: 'https://evil.example' }],
    ['a foreign Origin posing as a subdomain', { origin: 'http://localhost:80.evil.example' }],
  ])('a cross-site form post (%s) → 403, no session', async (_name, headers) => {
    const { token, user } = learner();
    const res = await t.app.inject({ method: 'POST', url: '/signin', headers: { 'content-type': FORM, ...headers }, payload: form({ token }) });
    expectPage(res, 403);
    expect(setCookie(res)).toBeUndefined();
    expect(t.db.sqlite.prepare('SELECT count(*) AS n FROM sessions WHERE user_id = ?').get(user.id)).toEqual({ n: 0 });
  });

  it.each([
    ['sec-fetch-site: same-origin', { 'sec-fetch-site': 'same-origin' }],
    ['sec-fetch-site: none (typed or bookmarked)', { 'sec-fetch-site': 'none' }],
    ['the public URL as Origin', () => ({ origin: t.config.publicUrl })],
    ['the Host as Origin', { origin: 'http://localhost:80' }],
    // A page with Referrer-Policy: no-referrer makes browsers send `Origin: null` on POST (Fetch standard).
    ['Origin: null from our own no-referrer page', { origin: 'null', 'sec-fetch-site': 'same-origin' }],
  ] as const)('a same-origin form post (%s) signs in', async (_name, headers) => {
    const { token } = learner();
    const extra = typeof headers === 'function' ? headers() : headers;
    const res = await t.app.inject({ method: 'POST', url: '/signin', headers: { 'content-type': FORM, ...extra }, payload: form({ token }) });
    expect(res.statusCode).toBe(303);
    expect(setCookie(res)).toBeDefined();
  });
});

describe('join link', () => {
  function makeClass(name = 'Networking 101') {
    return t.db.classes.create({ name, ownerUserId: instructor().id, exerciseIds: t.catalog.exercises.map((e) => e.id) });
  }
  const userCount = () => (t.db.sqlite.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;

  it('GET shows the class and the form: textbox "Display name" and button "Join"', async () => {
    const { joinCode } = makeClass('Week 3 <Services>');
    const res = await t.app.inject({ method: 'GET', url: `/join/${joinCode}` });
    const body = expectPage(res, 200);
    expect(h1s(body)).toEqual(['Join Week 3 &lt;Services&gt;']);
    expect(body).toContain(`<form method="post" action="/join/${joinCode}"`);
    expect(body).toMatch(/<label for="displayName">Display name<\/label>\s*<input id="displayName" name="displayName" type="text"/);
    expect(body).toMatch(/<button type="submit"[^>]*>Join<\/button>/);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('the join page sends no Referer: its URL is the secret', async () => {
    const { joinCode } = makeClass();
    const res = await t.app.inject({ method: 'GET', url: `/join/${joinCode}` });
    expect(res.statusCode).toBe(200);
    // join.ts sets no-referrer; the portal's onSend security headers must not overwrite it.
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('POST with a display name creates a learner, the membership and a join session', async () => {
    const { joinCode, class: klass } = makeClass('Join Works');
    const before = userCount();
    const res = await t.app.inject({ method: 'POST', url: `/join/${joinCode}`, headers: { 'content-type': FORM }, payload: form({ displayName: '  Ada Lovelace  ' }) });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/');
    const set = setCookie(res)!;
    expect(set).toMatch(/; HttpOnly/);
    expect(set).toMatch(/; SameSite=Lax/);
    expect(userCount()).toBe(before + 1);

    const cookie = cookieHeader(res);
    const found = t.db.sessions.authenticate(decodeURIComponent(cookie.split('=')[1]!))!;
    expect(found.session.via).toBe('join');
    expect(found.user).toMatchObject({ displayName: 'Ada Lovelace', role: 'learner' });
    expect(found.user.externalKey).toMatch(new RegExp(`^join:${klass.id}:`));
    expect(t.db.classes.listForMember(found.user.id).map((c) => c.id)).toEqual([klass.id]);

    const catalog = await t.app.inject({ method: 'GET', url: '/', headers: { cookie } });
    const body = expectPage(catalog, 200);
    expect(body).toContain('Signed in as <strong>Ada Lovelace</strong>');
    expect(body).toContain('<strong>Join Works</strong>');
  });

  it('two people with the same display name get two accounts', async () => {
    const { joinCode } = makeClass();
    const ids = [];
    for (let i = 0; i < 2; i++) {
      const res = await t.app.inject({ method: 'POST', url: `/join/${joinCode}`, headers: { 'content-type': FORM }, payload: form({ displayName: 'Sam' }) });
      expect(res.statusCode).toBe(303);
      ids.push(t.db.sessions.authenticate(decodeURIComponent(cookieHeader(res).split('=')[1]!))!.user.id);
    }
    expect(new Set(ids).size).toBe(2);
  });

  it.each([
    ['empty', '', 'type the name your instructor will see'],
    ['blank', '   ', 'type the name your instructor will see'],
    ['too long', 'x'.repeat(81), 'at most 80 characters'],
    ['a control character', 'Ada\u0007', 'letters, digits, spaces and punctuation only'],
    ['a bidi override', 'Ada\u202e', 'letters, digits, spaces and punctuation only'],
  ])('a display name that is %s → 400 with the field error, nobody created', async (_name, displayName, message) => {
    const { joinCode } = makeClass();
    const before = userCount();
    const res = await t.app.inject({ method: 'POST', url: `/join/${joinCode}`, headers: { 'content-type': FORM }, payload: form({ displayName }) });
    const body = expectPage(res, 400);
    expect(body).toContain(message);
    expect(body).toMatch(/<input id="displayName"[^>]*aria-invalid="true" aria-describedby="name-error"/);
    expect(body).toContain('<p id="name-error" class="field-error" role="alert">');
    expect(setCookie(res)).toBeUndefined();
    expect(userCount()).toBe(before);
  });

  it.each([
    ['rotated', () => {
      const made = makeClass();
      t.db.classes.rotateJoinCode(made.class.id);
      return made.joinCode;
    }],
    ['closed', () => {
      const made = makeClass();
      t.db.sqlite.prepare('UPDATE classes SET join_open = 0 WHERE id = ?').run(made.class.id);
      return made.joinCode;
    }],
    ['unknown', () => 'abcdefghijklmnop'],
    ['malformed', () => 'short'],
    ['too long', () => 'a'.repeat(150)],
  ])('a %s code → 404 page on GET and POST, nobody created', async (_name, code) => {
    const joinCode = code();
    const get = await t.app.inject({ method: 'GET', url: `/join/${joinCode}` });
    expect(expectPage(get, 404)).toContain('This join link does not work');
    const before = userCount();
    const post = await t.app.inject({ method: 'POST', url: `/join/${joinCode}`, headers: { 'content-type': FORM }, payload: form({ displayName: 'Late' }) });
    expectPage(post, 404);
    expect(setCookie(post)).toBeUndefined();
    expect(userCount()).toBe(before);
  });

  it('the rotated link works with its new code', async () => {
    const made = makeClass();
    const { joinCode } = t.db.classes.rotateJoinCode(made.class.id);
    expectPage(await t.app.inject({ method: 'GET', url: `/join/${joinCode}` }), 200);
  });

  it.each([
    ['sec-fetch-site: cross-site', { 'sec-fetch-site': 'cross-site' }],
    ['a foreign Origin', { origin: 'https://evil.example' }],
  ])('a cross-site form post (%s) → 403, nobody created', async (_name, headers) => {
    const { joinCode } = makeClass();
    const before = userCount();
    const res = await t.app.inject({ method: 'POST', url: `/join/${joinCode}`, headers: { 'content-type': FORM, ...headers }, payload: form({ displayName: 'Mallory' }) });
    expectPage(res, 403);
    expect(setCookie(res)).toBeUndefined();
    expect(userCount()).toBe(before);
  });

  it('a signed-in learner joins with their account: the page asks no name, the post needs _csrf', async () => {
    const { joinCode, class: klass } = makeClass('Second Class');
    const { user } = learner('Already Here');
    const { cookie, csrf } = sessionFor(user.id);
    const get = await t.app.inject({ method: 'GET', url: `/join/${joinCode}`, headers: { cookie } });
    const body = expectPage(get, 200);
    expect(body).toContain('You are signed in as <strong>Already Here</strong>');
    expect(body).not.toContain('Display name');
    expect(pageCsrf(body)).toBe(csrf);

    const other = sessionFor(learner().user.id);
    const before = userCount();
    const without = await t.app.inject({ method: 'POST', url: `/join/${joinCode}`, headers: { cookie, 'content-type': FORM }, payload: form({}) });
    expectPage(without, 403);
    const wrong = await t.app.inject({ method: 'POST', url: `/join/${joinCode}`, headers: { cookie, 'content-type': FORM }, payload: form({ _csrf: other.csrf }) });
    expectPage(wrong, 403);
    expect(t.db.classes.listForMember(user.id)).toEqual([]);

    const joined = await t.app.inject({ method: 'POST', url: `/join/${joinCode}`, headers: { cookie, 'content-type': FORM }, payload: form({ _csrf: csrf }) });
    expect(joined.statusCode).toBe(303);
    expect(joined.headers.location).toBe('/');
    expect(setCookie(joined)).toBeUndefined();
    expect(t.db.classes.listForMember(user.id).map((c) => c.id)).toEqual([klass.id]);
    expect(userCount()).toBe(before);
  });

  it('a display name with markup appears escaped on the catalog', async () => {
    const { joinCode } = makeClass();
    const evil = '<script>alert(1)</script>';
    const res = await t.app.inject({ method: 'POST', url: `/join/${joinCode}`, headers: { 'content-type': FORM }, payload: form({ displayName: evil }) });
    expect(res.statusCode).toBe(303);
    const catalog = await t.app.inject({ method: 'GET', url: '/', headers: { cookie: cookieHeader(res) } });
    const body = expectPage(catalog, 200);
    expect(body).toContain(`Signed in as <strong>${escapeHtml(evil)}</strong>`);
    expect(body).not.toContain(evil);
    expect(body).not.toContain('alert(1)</script>');
  });
});

describe('sign out', () => {
  it('needs the _csrf field, then ends the session: the old cookie gets the redirect', async () => {
    const { token } = learner();
    const signIn = await t.app.inject({ method: 'POST', url: '/signin', headers: { 'content-type': FORM }, payload: form({ token }) });
    const cookie = cookieHeader(signIn);
    const csrf = pageCsrf(expectPage(await t.app.inject({ method: 'GET', url: '/', headers: { cookie } }), 200));

    const noToken = await t.app.inject({ method: 'POST', url: '/signout', headers: { cookie, 'content-type': FORM }, payload: form({}) });
    expectPage(noToken, 403);
    const otherSession = sessionFor(learner().user.id);
    const wrongToken = await t.app.inject({ method: 'POST', url: '/signout', headers: { cookie, 'content-type': FORM }, payload: form({ _csrf: otherSession.csrf }) });
    expectPage(wrongToken, 403);
    const crossSite = await t.app.inject({ method: 'POST', url: '/signout', headers: { cookie, 'content-type': FORM, 'sec-fetch-site': 'cross-site' }, payload: form({ _csrf: csrf }) });
    expectPage(crossSite, 403);
    // Still signed in after the refusals.
    expect((await t.app.inject({ method: 'GET', url: '/', headers: { cookie } })).statusCode).toBe(200);

    const out = await t.app.inject({ method: 'POST', url: '/signout', headers: { cookie, 'content-type': FORM }, payload: form({ _csrf: csrf }) });
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/signin');
    const cleared = setCookie(out)!;
    expect(cleared).toMatch(new RegExp(`^${SESSION_COOKIE}=;`));
    expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970|Max-Age=0/);

    const after = await t.app.inject({ method: 'GET', url: '/', headers: { cookie } });
    expect(after.statusCode).toBe(303);
    expect(after.headers.location).toBe('/signin?next=%2F');
    const api = await t.app.inject({ method: 'GET', url: '/api/v1/exercises/clusterip-basics/attempts', headers: { cookie } });
    expect(api.statusCode).toBe(401);
  });

  it('signed out (or with an ended session) it just goes to /signin', async () => {
    const none = await t.app.inject({ method: 'POST', url: '/signout', headers: { 'content-type': FORM }, payload: form({}) });
    expect(none.statusCode).toBe(303);
    expect(none.headers.location).toBe('/signin');
    const { user } = learner();
    const { cookie, secret } = sessionFor(user.id);
    t.db.sessions.end(secret);
    const ended = await t.app.inject({ method: 'POST', url: '/signout', headers: { cookie, 'content-type': FORM }, payload: form({}) });
    expect(ended.statusCode).toBe(303);
    expect(ended.headers.location).toBe('/signin');
  });

  it('GET /signout is no page (a link cannot sign anyone out)', async () => {
    const { user } = learner();
    const { cookie } = sessionFor(user.id);
    const res = await t.app.inject({ method: 'GET', url: '/signout', headers: { cookie, accept: 'text/html' } });
    expectPage(res, 404);
    expect((await t.app.inject({ method: 'GET', url: '/', headers: { cookie } })).statusCode).toBe(200);
  });
});

describe('catalog', () => {
  it('lists the exercises in catalog order with time and standing', async () => {
    const { user } = learner();
    const { cookie } = sessionFor(user.id);
    const body = expectPage(await t.app.inject({ method: 'GET', url: '/', headers: { cookie } }), 200);
    expect(h1s(body)).toHaveLength(1);
    const links = [...body.matchAll(/<h2><a href="\/exercises\/([^"]+)">/g)].map((m) => m[1]);
    expect(links).toEqual(t.catalog.exercises.map((e) => e.id));
    expect(links).toHaveLength(8);
    for (const e of t.catalog.exercises) expect(body).toContain(`<dd>${e.minutes} min</dd>`);
    expect(body.match(/standing-not-started/g)).toHaveLength(8);
    expect(body).not.toContain('standing-passed');
  });
});

describe('attempt pages', () => {
  /** A finished attempt stored as the grading service stores it. */
  function storedAttempt(userId: number, exerciseId: string, result: 'passed' | 'failed', cause?: string) {
    const exercise = t.catalog.byId(exerciseId)!;
    const maxScore = exercise.checks.reduce((sum, c) => sum + c.points, 0);
    const env = t.db.environments.create({ userId, exerciseId, namespace: namespaceFor(userId, exerciseId, t.db.installation.namespaceSalt), expiresAt: FIXED_NOW + 3600_000 });
    const attempt = t.db.attempts.create({ userId, environmentId: env.id, exerciseId, maxScore });
    t.db.attempts.markRunning(attempt.id);
    let score = 0;
    exercise.checks.forEach((c, i) => {
      const failed = result === 'failed' && i === 0;
      if (!failed) score += c.points;
      t.db.checkResults.record({
        attemptId: attempt.id,
        checkId: c.id,
        status: failed ? 'fail' : 'pass',
        points: failed ? 0 : c.points,
        maxPoints: c.points,
        message: failed ? 'expected <3> endpoints, found `0`' : 'ok',
        hint: failed ? 'look at the selector' : null,
        cause: failed ? cause ?? null : null,
        evidence: failed ? { found: '<none>' } : null,
      });
    });
    return { attempt: t.db.attempts.finish(attempt.id, { result, score }), exercise, score, maxScore };
  }

  it('shows the learner their own attempt: every check a list item with title and status word', async () => {
    const { user } = learner();
    const { cookie } = sessionFor(user.id);
    const { attempt, exercise, score, maxScore } = storedAttempt(user.id, 'clusterip-basics', 'failed');
    const body = expectPage(await t.app.inject({ method: 'GET', url: `/attempts/${attempt.id}`, headers: { cookie } }), 200);
    expect(h1s(body)).toEqual([`Attempt ${attempt.id}: ${escapeHtml(exercise.title)}`]);
    expect(body).toContain(`${score} of ${maxScore} points`);
    // One list item per check (in the order results arrived), each with its title and status word.
    const items = new Map(
      [...body.matchAll(/<li class="check check-(\w+)">([\s\S]*?)<\/li>/g)].map((m) => [/<span class="check-title">([^<]*)<\/span>/.exec(m[2]!)![1]!, { status: m[1]!, text: m[2]! }]),
    );
    expect([...items.keys()].sort()).toEqual(exercise.checks.map((c) => escapeHtml(c.title)).sort());
    exercise.checks.forEach((c, i) => {
      const item = items.get(escapeHtml(c.title))!;
      expect(item.status).toBe(i === 0 ? 'fail' : 'pass');
      expect(item.text).toContain(`<span class="status-word">${item.status}</span>`);
    });
    const failed = items.get(escapeHtml(exercise.checks[0]!.title))!.text;
    // Backticks become <code>; the stored text stays escaped; a fail shows its hint and evidence.
    expect(failed).toContain('expected &lt;3&gt; endpoints, found <code>0</code>');
    expect(failed).toContain('<strong>Hint:</strong> look at the selector');
    expect(failed).toContain('&quot;&lt;none&gt;&quot;');
    expect(failed).toContain('<details class="evidence">');
  });

  it('heads a fail\'s hint with the cause the check diagnosed', async () => {
    const { user } = learner();
    const { cookie } = sessionFor(user.id);
    const { attempt } = storedAttempt(user.id, 'clusterip-basics', 'failed', 'wrong-target-port');
    const body = expectPage(await t.app.inject({ method: 'GET', url: `/attempts/${attempt.id}`, headers: { cookie } }), 200);
    expect(body).toContain('<p class="hint"><strong>Hint (wrong target port):</strong> look at the selector</p>');
  });

  it('another learner’s attempt, an unknown id and a non-number are the same 404 page', async () => {
    const owner = learner();
    const { attempt } = storedAttempt(owner.user.id, 'target-port', 'passed');
    const other = sessionFor(learner().user.id);
    for (const url of [`/attempts/${attempt.id}`, '/attempts/999999', '/attempts/abc', '/attempts/0', '/attempts/1e3']) {
      const res = await t.app.inject({ method: 'GET', url, headers: { cookie: other.cookie } });
      const body = expectPage(res, 404);
      expect(h1s(body)).toEqual(['No such attempt']);
      expect(body).not.toContain(t.catalog.byId('target-port')!.title);
    }
  });

  it('a passed attempt shows on the catalog (passed, best score) and in the exercise page state', async () => {
    const { user } = learner();
    const { cookie } = sessionFor(user.id);
    const { attempt, maxScore } = storedAttempt(user.id, 'multi-port', 'passed');
    const catalog = expectPage(await t.app.inject({ method: 'GET', url: '/', headers: { cookie } }), 200);
    const card = /<li class="exercise-card">(?:(?!<\/li>)[\s\S])*?href="\/exercises\/multi-port"[\s\S]*?<\/li>/.exec(catalog)![0];
    expect(card).toContain('standing-passed');
    expect(card).toContain(`<dd>${maxScore} / ${maxScore}</dd>`);
    const page = expectPage(await t.app.inject({ method: 'GET', url: '/exercises/multi-port', headers: { cookie } }), 200);
    const state = JSON.parse(/<script type="application\/json" id="page-state">([\s\S]*?)<\/script>/.exec(page)![1]!);
    expect(state.history).toMatchObject([{ id: attempt.id, exerciseId: 'multi-port', status: 'finished', result: 'passed', score: maxScore }]);
  });
});

describe('exercise pages', () => {
  let cookie: string;
  beforeAll(() => {
    cookie = sessionFor(learner().user.id).cookie;
  });

  it.each(['clusterip-basics', 'target-port', 'three-tier-shop', 'headless-statefulset', 'session-affinity', 'multi-port', 'local-traffic', 'readiness-endpoints'])(
    '/exercises/%s has one <h1> (the title), the instructions, and the page state as JSON',
    async (id) => {
      const exercise = t.catalog.byId(id)!;
      const res = await t.app.inject({ method: 'GET', url: `/exercises/${id}`, headers: { cookie } });
      const body = expectPage(res, 200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(h1s(body)).toEqual([escapeHtml(exercise.title)]);
      expect(body).toMatch(/<title>[^<]+ · kubelab<\/title>/);
      expect(body).toContain('<article class="instructions prose" aria-label="Instructions">');
      const json = /<script type="application\/json" id="page-state">([\s\S]*?)<\/script>/.exec(body)?.[1];
      expect(json).toBeDefined();
      expect(json).not.toContain('<');
      const state = JSON.parse(json!);
      expect(state).toEqual({
        exerciseId: id,
        title: exercise.title,
        checks: exercise.checks.map((c) => ({ id: c.id, title: c.title, points: c.points })),
        environment: null,
        history: [],
        serverNow: new Date(FIXED_NOW).toISOString(),
        terminalScript: expect.stringMatching(/^\/assets\/terminal\.[0-9a-f]{12}\.js$/),
      });
      // The island for the work panel, and the panels it fills.
      expect(body).toMatch(/<script type="module" src="\/assets\/exercise\.[0-9a-f]{12}\.js"><\/script>/);
      for (const panel of ['env-panel', 'apply-panel', 'grade-panel', 'live-panel', 'history-panel']) expect(body).toContain(`id="${panel}"`);
    },
  );

  it.each(['no-such-exercise', 'UPPER', 'a'.repeat(120)])('an unknown exercise %s → 404 page', async (id) => {
    const res = await t.app.inject({ method: 'GET', url: `/exercises/${id}`, headers: { cookie } });
    const body = expectPage(res, 404);
    expect(h1s(body)).toEqual(['No such exercise']);
    expect(body).toContain('<a href="/">All exercises</a>');
  });
});

describe('unknown paths', () => {
  it('a browser (Accept: text/html) gets an HTML 404 page with the security headers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/no/such/page?token=secret', headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    const body = expectPage(res, 404);
    expect(h1s(body)).toEqual(['Page not found']);
    expect(body).not.toContain('secret');
  });

  it('the 404 page knows who is signed in', async () => {
    const { cookie } = sessionFor(learner('Known Person').user.id);
    const res = await t.app.inject({ method: 'GET', url: '/nowhere', headers: { accept: 'text/html', cookie } });
    expect(expectPage(res, 404)).toContain('Signed in as <strong>Known Person</strong>');
  });

  it.each([
    ['/nowhere', {}],
    ['/nowhere', { accept: 'application/json' }],
    ['/api/v1/nowhere', { accept: 'text/html' }],
    ['/api/nowhere', { accept: 'text/html' }],
  ])('GET %s (%j) → the JSON error shape', async (url, headers) => {
    const res = await t.app.inject({ method: 'GET', url, headers });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual({ error: { code: 'not_found', message: `no route GET ${url}`, details: null } });
  });
});

describe('assets', () => {
  async function assetUrls(): Promise<{ css: string; js: string[] }> {
    const { cookie } = sessionFor(learner().user.id);
    const body = expectPage(await t.app.inject({ method: 'GET', url: '/exercises/clusterip-basics', headers: { cookie } }), 200);
    const css = /<link rel="stylesheet" href="([^"]+)">/.exec(body)![1]!;
    const js = [...body.matchAll(/<script type="module" src="([^"]+)">/g)].map((m) => m[1]!);
    return { css, js };
  }

  it('are served signed out, content-hashed, cacheable forever, gzip when accepted', async () => {
    const { css, js } = await assetUrls();
    expect(css).toMatch(/^\/assets\/style\.[0-9a-f]{12}\.css$/);
    expect(js.length).toBeGreaterThan(0);
    for (const url of [css, ...js]) {
      const plain = await t.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'identity' } });
      expect(plain.statusCode).toBe(200);
      expect(plain.headers['content-type']).toBe(url.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8');
      expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(plain.headers.vary).toMatch(/accept-encoding/i);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.rawPayload.length).toBeGreaterThan(100);

      const gz = await t.app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
      expect(gz.statusCode).toBe(200);
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gz.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(gz.rawPayload.length).toBeLessThan(plain.rawPayload.length);
      expect(gunzipSync(gz.rawPayload).equals(plain.rawPayload)).toBe(true);
    }
  });

  it('a query string does not change the asset; an unknown or stale name is a 404', async () => {
    const { css } = await assetUrls();
    const withQuery = await t.app.inject({ method: 'GET', url: `${css}?v=2` });
    expect(withQuery.statusCode).toBe(200);
    for (const url of ['/assets/style.000000000000.css', '/assets/', '/assets/../package.json', '/assets/%2e%2e/package.json']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(404);
      expect(res.headers['cache-control']).toBeUndefined();
    }
  });
});

describe('with an https public URL', () => {
  let s: TestApp;
  beforeAll(async () => {
    s = await buildTestApp({ env: { KUBELAB_PUBLIC_URL: 'https://lab.example.org' } });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('the session cookie is Secure, from token sign-in, join and sign-out alike', async () => {
    const user = s.db.users.create({ externalKey: 'local:secure', displayName: 'Secure', role: 'learner' });
    const token = s.db.tokens.createToken(user.id, 'test', []).plaintext;
    const headers = { 'content-type': FORM, origin: 'https://lab.example.org', 'sec-fetch-site': 'same-origin' };
    const signIn = await s.app.inject({ method: 'POST', url: '/signin', headers, payload: form({ token }) });
    expect(signIn.statusCode).toBe(303);
    expect(setCookie(signIn)).toMatch(/; Secure/);
    expect(setCookie(signIn)).toMatch(/; HttpOnly/);
    expect(setCookie(signIn)).toMatch(/; SameSite=Lax/);

    const owner = s.db.users.create({ externalKey: 'local:secure-teacher', displayName: 'T', role: 'instructor' });
    const { joinCode } = s.db.classes.create({ name: 'Secure class', ownerUserId: owner.id, exerciseIds: [] });
    const join = await s.app.inject({ method: 'POST', url: `/join/${joinCode}`, headers, payload: form({ displayName: 'Joiner' }) });
    expect(join.statusCode).toBe(303);
    expect(setCookie(join)).toMatch(/; Secure/);

    const cookie = setCookie(signIn)!.split(';')[0]!;
    const page = await s.app.inject({ method: 'GET', url: '/', headers: { cookie } });
    const out = await s.app.inject({ method: 'POST', url: '/signout', headers: { ...headers, cookie }, payload: form({ _csrf: pageCsrf(page.body) }) });
    expect(out.statusCode).toBe(303);
    expect(setCookie(out)).toMatch(/; Secure/);
  });

  it('the public origin is accepted, another origin is not', async () => {
    const user = s.db.users.create({ externalKey: 'local:secure-2', displayName: 'S2', role: 'learner' });
    const token = s.db.tokens.createToken(user.id, 'test', []).plaintext;
    const foreign = await s.app.inject({ method: 'POST', url: '/signin', headers: { 'content-type': FORM, origin: 'https://lab.example.org.evil.example' }, payload: form({ token }) });
    expect(foreign.statusCode).toBe(403);
    const http = await s.app.inject({ method: 'POST', url: '/signin', headers: { 'content-type': FORM, origin: 'http://lab.example.org' }, payload: form({ token }) });
    expect(http.statusCode).toBe(403);
  });
});
