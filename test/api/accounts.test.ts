// /api/v1/users: who may do what (a learner 403 everywhere, an instructor only the
// learners of their own classes and 404 for anyone else, admins everyone), what a
// disable and a revoke do to sessions and tokens at once, the audit trail without
// secrets, and bad input named by field.
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { csrfTokenFor } from '../../server/db/sessions.ts';
import { hashToken } from '../../server/db/tokens.ts';
import type { Role } from '../../server/db/users.ts';
import { SESSION_COOKIE } from '../../server/http/routes/environments-auth.ts';
import { buildTestApp, FIXED_NOW, type TestApp } from '../helpers/app.ts';

let t: TestApp;
let clock = FIXED_NOW;
beforeAll(async () => {
  t = await buildTestApp({ now: () => clock });
});
afterAll(async () => {
  await t?.close();
});

let made = 0;
function person(role: Role, name = `${role} ${made + 1}`) {
  made += 1;
  const user = t.db.users.create({ externalKey: `local:accounts-${made}`, displayName: name, role });
  const { plaintext, token } = t.db.tokens.createToken(user.id, `${role} laptop`, []);
  return { user, token: plaintext, tokenId: token.id, auth: { authorization: `Bearer ${plaintext}` } };
}
/** An instructor with one class holding the given learners. */
function classOf(instructor: { user: { id: number } }, ...learners: { user: { id: number } }[]) {
  const { class: made } = t.db.classes.create({ name: 'Week 3', ownerUserId: instructor.user.id, exerciseIds: ['clusterip-basics'] });
  for (const l of learners) t.db.classes.addMember(made.id, l.user.id);
  return made;
}

const call = (options: InjectOptions) => t.app.inject(options);

const ErrorBody = z.strictObject({ error: z.strictObject({ code: z.string(), message: z.string(), details: z.unknown() }) });
function expectError(res: Awaited<ReturnType<typeof call>>, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  const body = ErrorBody.parse(res.json());
  expect(body.error.code).toBe(code);
  return body.error;
}

const ids = (res: Awaited<ReturnType<typeof call>>) => (res.json() as { users: { id: number }[] }).users.map((u) => u.id);

describe('a learner', () => {
  it('gets 403 on every accounts route, whatever the ids, and changes nothing', async () => {
    const learner = person('learner');
    const other = person('learner');
    const routes: InjectOptions[] = [
      { method: 'GET', url: '/api/v1/users' },
      { method: 'GET', url: `/api/v1/users/${other.user.id}` },
      { method: 'PATCH', url: `/api/v1/users/${other.user.id}`, payload: { disabled: true } },
      { method: 'PATCH', url: `/api/v1/users/${learner.user.id}`, payload: { role: 'admin' } },
      { method: 'GET', url: `/api/v1/users/${other.user.id}/tokens` },
      { method: 'POST', url: `/api/v1/users/${other.user.id}/tokens/${other.tokenId}/revoke` },
      { method: 'GET', url: '/api/v1/users/not-a-number' },
    ];
    for (const route of routes) expectError(await call({ ...route, headers: learner.auth }), 403, 'forbidden');
    expect(t.db.users.select(other.user.id).disabledAt).toBeNull();
    expect(t.db.users.select(learner.user.id).role).toBe('learner');
    expect(t.db.tokens.select(other.tokenId).revokedAt).toBeNull();
  });

  it('nobody signed in gets 401', async () => {
    expectError(await call({ method: 'GET', url: '/api/v1/users' }), 401, 'unauthorized');
  });
});

describe('an instructor', () => {
  it('lists only the learners of their own classes, and gets 404 for anyone else', async () => {
    const mine = person('instructor');
    const theirs = person('instructor');
    const [a, b, c] = [person('learner'), person('learner'), person('learner')];
    classOf(mine, a, b);
    classOf(theirs, c, b);
    const admin = person('admin');

    const list = await call({ method: 'GET', url: '/api/v1/users', headers: mine.auth });
    expect(list.statusCode).toBe(200);
    expect(ids(list)).toEqual([a.user.id, b.user.id]);

    for (const other of [c, theirs, admin, mine]) {
      expectError(await call({ method: 'GET', url: `/api/v1/users/${other.user.id}`, headers: mine.auth }), 404, 'not_found');
      expectError(await call({ method: 'GET', url: `/api/v1/users/${other.user.id}/tokens`, headers: mine.auth }), 404, 'not_found');
      expectError(await call({ method: 'PATCH', url: `/api/v1/users/${other.user.id}`, headers: mine.auth, payload: { disabled: true } }), 404, 'not_found');
      expectError(await call({ method: 'POST', url: `/api/v1/users/${other.user.id}/tokens/${other.tokenId}/revoke`, headers: mine.auth }), 404, 'not_found');
    }
    // A token of someone else named under one of my learners is not found either.
    expectError(await call({ method: 'POST', url: `/api/v1/users/${a.user.id}/tokens/${c.tokenId}/revoke`, headers: mine.auth }), 404, 'not_found');
    expectError(await call({ method: 'GET', url: '/api/v1/users/999999', headers: mine.auth }), 404, 'not_found');
    expect(t.db.users.select(c.user.id).disabledAt).toBeNull();
    expect(t.db.tokens.select(c.tokenId).revokedAt).toBeNull();
  });

  it('may disable, enable and revoke for their learners, but not change roles (403)', async () => {
    const mine = person('instructor');
    const learner = person('learner');
    classOf(mine, learner);
    const url = `/api/v1/users/${learner.user.id}`;
    expectError(await call({ method: 'PATCH', url, headers: mine.auth, payload: { role: 'instructor' } }), 403, 'forbidden');
    expect(t.db.users.select(learner.user.id).role).toBe('learner');

    const off = await call({ method: 'PATCH', url, headers: mine.auth, payload: { disabled: true } });
    expect(off.statusCode).toBe(200);
    expect(off.json().user).toMatchObject({ id: learner.user.id, role: 'learner', disabled: true, disabledAt: new Date(clock).toISOString() });
    const on = await call({ method: 'PATCH', url, headers: mine.auth, payload: { disabled: false } });
    expect(on.json().user).toMatchObject({ disabled: false, disabledAt: null });

    const revoked = await call({ method: 'POST', url: `${url}/tokens/${learner.tokenId}/revoke`, headers: mine.auth });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().token).toMatchObject({ id: learner.tokenId, status: 'revoked' });
  });

  it('loses reach over a learner an admin made an instructor', async () => {
    const mine = person('instructor');
    const learner = person('learner');
    classOf(mine, learner);
    t.db.users.setRole(learner.user.id, 'instructor');
    expectError(await call({ method: 'GET', url: `/api/v1/users/${learner.user.id}`, headers: mine.auth }), 404, 'not_found');
  });
});

describe('an admin', () => {
  it('lists everyone a page at a time, with last seen from tokens and sessions', async () => {
    const admin = person('admin');
    const seen = person('learner');
    clock += 120_000;
    expect((await call({ method: 'GET', url: '/api/v1/exercises/clusterip-basics/attempts', headers: seen.auth })).statusCode).toBe(200);

    const all: { id: number; lastSeenAt: string | null }[] = [];
    let cursor: string | null = null;
    do {
      const res = await call({ method: 'GET', url: `/api/v1/users?limit=2${cursor ? `&cursor=${cursor}` : ''}`, headers: admin.auth });
      expect(res.statusCode).toBe(200);
      const body = res.json() as { users: { id: number; lastSeenAt: string | null }[]; nextCursor: string | null };
      expect(body.users.length).toBeLessThanOrEqual(2);
      all.push(...body.users);
      cursor = body.nextCursor;
    } while (cursor !== null);
    expect(all.map((u) => u.id)).toEqual(t.db.users.list().map((u) => u.id));
    expect(all.find((u) => u.id === seen.user.id)?.lastSeenAt).toBe(new Date(clock).toISOString());
    const one = await call({ method: 'GET', url: `/api/v1/users/${seen.user.id}`, headers: admin.auth });
    expect(Object.keys(one.json().user).sort()).toEqual(['createdAt', 'disabled', 'disabledAt', 'externalKey', 'id', 'lastSeenAt', 'name', 'role']);
  });

  it('makes an instructor, and both changes of one request land together or not at all', async () => {
    const admin = person('admin');
    const grace = person('learner');
    const res = await call({ method: 'PATCH', url: `/api/v1/users/${grace.user.id}`, headers: admin.auth, payload: { role: 'instructor' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ role: 'instructor', disabled: false });
    // Her own token now opens the instructors' routes.
    expect((await call({ method: 'GET', url: '/api/v1/users', headers: grace.auth })).statusCode).toBe(200);

    // Demoting and disabling oneself: the role part is refused, so nothing happens.
    const own = expectError(await call({ method: 'PATCH', url: `/api/v1/users/${admin.user.id}`, headers: admin.auth, payload: { role: 'learner', disabled: true } }), 409, 'conflict');
    expect(own.details).toEqual({ rule: 'own_account' });
    expect(t.db.users.select(admin.user.id)).toMatchObject({ role: 'admin', disabledAt: null });
    expectError(await call({ method: 'PATCH', url: `/api/v1/users/${admin.user.id}`, headers: admin.auth, payload: { disabled: true } }), 409, 'conflict');
  });

  it('revokes a token: it stops working at once; revoking again keeps the first time', async () => {
    const admin = person('admin');
    const learner = person('learner');
    const url = `/api/v1/users/${learner.user.id}/tokens/${learner.tokenId}/revoke`;
    const first = await call({ method: 'POST', url, headers: admin.auth });
    expect(first.statusCode).toBe(200);
    expect(first.json().token).toMatchObject({ id: learner.tokenId, label: 'learner laptop', status: 'revoked', revokedAt: new Date(clock).toISOString() });
    expectError(await call({ method: 'GET', url: '/api/v1/exercises/clusterip-basics/attempts', headers: learner.auth }), 401, 'unauthorized');
    clock += 1000;
    const again = await call({ method: 'POST', url, headers: admin.auth });
    expect(again.json().token.revokedAt).toBe(first.json().token.revokedAt);
    expect(t.db.audit.list().filter((a) => a.action === 'token.revoke' && a.target === `token:${learner.tokenId}`)).toHaveLength(1);
  });

  it('lists a user’s tokens with label, created and last used, never the secret or its hash', async () => {
    const admin = person('admin');
    const learner = person('learner');
    const second = t.db.tokens.createToken(learner.user.id, 'lms', []);
    clock += 60_000;
    await call({ method: 'GET', url: '/api/v1/exercises/clusterip-basics/attempts', headers: learner.auth });
    const res = await call({ method: 'GET', url: `/api/v1/users/${learner.user.id}/tokens`, headers: admin.auth });
    expect(res.statusCode).toBe(200);
    expect(res.json().tokens).toEqual([
      { id: learner.tokenId, label: 'learner laptop', status: 'active', createdAt: new Date(clock - 60_000).toISOString(), lastUsedAt: new Date(clock).toISOString(), expiresAt: null, revokedAt: null },
      { id: second.token.id, label: 'lms', status: 'active', createdAt: new Date(clock - 60_000).toISOString(), lastUsedAt: null, expiresAt: null, revokedAt: null },
    ]);
    for (const secret of [learner.token, second.plaintext]) {
      expect(res.body).not.toContain(secret);
      expect(res.body).not.toContain(hashToken(secret));
    }
  });
});

describe('disabling', () => {
  it('stops the user’s sessions and tokens at once; enabling brings the tokens back but not the sessions', async () => {
    const admin = person('admin');
    const learner = person('learner');
    const { secret, session } = t.db.sessions.create(learner.user.id, 'token');
    const cookie = `${SESSION_COOKIE}=${secret}`;
    const mine = '/api/v1/exercises/clusterip-basics/attempts';
    expect((await call({ method: 'GET', url: mine, headers: { cookie } })).statusCode).toBe(200);
    expect((await call({ method: 'GET', url: mine, headers: learner.auth })).statusCode).toBe(200);

    const off = await call({ method: 'PATCH', url: `/api/v1/users/${learner.user.id}`, headers: admin.auth, payload: { disabled: true } });
    expect(off.statusCode).toBe(200);
    expectError(await call({ method: 'GET', url: mine, headers: { cookie } }), 401, 'unauthorized');
    expectError(await call({ method: 'GET', url: mine, headers: learner.auth }), 401, 'unauthorized');
    // The portal's pages see the same: back to sign-in, and the token cannot start a new session.
    const page = await call({ method: 'GET', url: '/', headers: { cookie } });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/signin?next=%2F');
    const signin = await call({ method: 'POST', url: '/signin', payload: new URLSearchParams({ token: learner.token }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(signin.statusCode).toBe(401);

    await call({ method: 'PATCH', url: `/api/v1/users/${learner.user.id}`, headers: admin.auth, payload: { disabled: false } });
    expect((await call({ method: 'GET', url: mine, headers: learner.auth })).statusCode).toBe(200);
    expectError(await call({ method: 'GET', url: mine, headers: { cookie, 'x-csrf-token': csrfTokenFor(session) } }), 401, 'unauthorized');
  });

  it('a signed-in browser must send the CSRF token to change an account', async () => {
    const admin = person('admin');
    const learner = person('learner');
    const { secret, session } = t.db.sessions.create(admin.user.id, 'token');
    const headers = { cookie: `${SESSION_COOKIE}=${secret}` };
    const url = `/api/v1/users/${learner.user.id}`;
    expectError(await call({ method: 'PATCH', url, headers, payload: { disabled: true } }), 403, 'forbidden');
    expect(t.db.users.select(learner.user.id).disabledAt).toBeNull();
    const ok = await call({ method: 'PATCH', url, headers: { ...headers, 'x-csrf-token': csrfTokenFor(session) }, payload: { disabled: true } });
    expect(ok.statusCode).toBe(200);
  });
});

describe('the audit trail', () => {
  it('has one entry per change, naming actor and target, with no secret in it', async () => {
    const admin = person('admin');
    const teacher = person('instructor');
    const learner = person('learner');
    classOf(teacher, learner);
    const before = t.db.audit.list({ limit: 1 })[0]?.id ?? 0;
    const base = `/api/v1/users/${learner.user.id}`;
    await call({ method: 'PATCH', url: base, headers: teacher.auth, payload: { disabled: true } });
    await call({ method: 'PATCH', url: base, headers: teacher.auth, payload: { disabled: true } }); // no change, no entry
    await call({ method: 'PATCH', url: base, headers: admin.auth, payload: { disabled: false } });
    await call({ method: 'POST', url: `${base}/tokens/${learner.tokenId}/revoke`, headers: teacher.auth });
    await call({ method: 'PATCH', url: base, headers: admin.auth, payload: { role: 'instructor' } });

    const entries = t.db.audit.list().filter((a) => a.id > before).reverse();
    expect(entries.map(({ actorUserId, action, target, details }) => ({ actorUserId, action, target, details }))).toEqual([
      { actorUserId: teacher.user.id, action: 'user.disable', target: `user:${learner.user.id}`, details: { via: 'api', sessionsEnded: 0 } },
      { actorUserId: admin.user.id, action: 'user.enable', target: `user:${learner.user.id}`, details: { via: 'api' } },
      { actorUserId: teacher.user.id, action: 'token.revoke', target: `token:${learner.tokenId}`, details: { via: 'api', owner: learner.user.id, name: 'learner laptop' } },
      { actorUserId: admin.user.id, action: 'user.role', target: `user:${learner.user.id}`, details: { via: 'api', from: 'learner', to: 'instructor' } },
    ]);
    const text = JSON.stringify(entries);
    for (const secret of [admin.token, teacher.token, learner.token]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(hashToken(secret));
    }
  });
});

describe('bad input', () => {
  it.each([
    ['a non-numeric user id', 'GET', '/api/v1/users/abc', undefined, 'params.id'],
    ['a zero user id', 'GET', '/api/v1/users/0', undefined, 'params.id'],
    ['an exponent', 'GET', '/api/v1/users/1e3/tokens', undefined, 'params.id'],
    ['a huge id', 'GET', `/api/v1/users/${'9'.repeat(20)}`, undefined, 'params.id'],
    ['a bad token id', 'POST', '/api/v1/users/1/tokens/x/revoke', undefined, 'params.tokenId'],
    ['an unknown role', 'PATCH', '/api/v1/users/1', { role: 'root' }, 'body.role'],
    ['disabled as a string', 'PATCH', '/api/v1/users/1', { disabled: 'yes' }, 'body.disabled'],
    ['an unknown field', 'PATCH', '/api/v1/users/1', { name: 'x' }, 'body.name'],
    ['an empty change', 'PATCH', '/api/v1/users/1', {}, 'body'],
    ['a bad limit', 'GET', '/api/v1/users?limit=500', undefined, 'querystring.limit'],
    ['a bad cursor', 'GET', '/api/v1/users?cursor=-1', undefined, 'querystring.cursor'],
    ['an unknown parameter', 'GET', '/api/v1/users?role=admin', undefined, 'querystring.role'],
  ] as const)('%s → 400 naming the field', async (_name, method, url, payload, field) => {
    const admin = person('admin');
    const res = await call({ method, url, headers: admin.auth, ...(payload ? { payload } : {}) });
    const error = expectError(res, 400, 'invalid_request');
    expect(z.array(z.object({ path: z.string() })).parse(error.details).map((d) => d.path)).toContain(field);
  });
});
