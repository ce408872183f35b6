// Service API keys through the real app: made by admins (server-wide) and instructors
// (their class), the secret shown once and only its hash at rest, every route open to
// keys checking the scope it names and the key's class, routes for people closed to
// keys, revocation and a disabled maker stopping a key at once, and the audit trail.
import { readFileSync, existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { hashToken } from '../../../server/db/tokens.ts';
import { buildTestApp, FIXED_NOW, type TestApp } from '../../helpers/app.ts';
import { classOf, expectError, makeKey, person, type Call } from './people.ts';

let t: TestApp;
let clock = FIXED_NOW;
beforeAll(async () => {
  t = await buildTestApp({ now: () => clock });
});
afterAll(async () => {
  await t?.close();
});

const ALL_SCOPES = ['results:read', 'classes:write', 'environments:write'];

describe('making a key', () => {
  it('shows an admin the klk_ secret once; the database file holds only its sha256', async () => {
    const admin = person(t, 'admin');
    const key = await makeKey(t, admin, { name: 'Moodle', scopes: ['results:read'] });
    expect(key.secret).toMatch(/^klk_[A-Za-z0-9_-]{43}$/);
    expect(key.view).toMatchObject({ name: 'Moodle', scopes: ['results:read'], classId: null, status: 'active', createdBy: admin.user.id, hint: key.secret.slice(0, 8), lastUsedAt: null });

    // Read the file as another process would: the hash is there, the secret nowhere (nor in the WAL).
    const raw = new Database(t.db.file, { readonly: true });
    try {
      const row = raw.prepare('SELECT key_hash FROM service_api_keys WHERE id = ?').get(key.id) as { key_hash: string };
      expect(row.key_hash).toBe(hashToken(key.secret));
    } finally {
      raw.close();
    }
    for (const file of [t.db.file, `${t.db.file}-wal`].filter(existsSync)) {
      expect(readFileSync(file).includes(Buffer.from(key.secret))).toBe(false);
    }

    // Never shown again: not in the list, not in one key's view, not in the audit entry.
    const list = await t.app.inject({ url: '/api/v1/api-keys', headers: admin.auth });
    const one = await t.app.inject({ url: `/api/v1/api-keys/${key.id}`, headers: admin.auth });
    for (const res of [list, one]) {
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain(key.secret);
      expect(res.body).not.toContain(hashToken(key.secret));
    }
    const audit = t.db.audit.list().find((e) => e.action === 'api_key.create' && e.target === `api-key:${key.id}`);
    expect(audit).toMatchObject({ actorUserId: admin.user.id, details: { via: 'api', name: 'Moodle', scopes: ['results:read'], classId: null } });
    expect(JSON.stringify(audit)).not.toContain(key.secret);
  });

  it('records when a key was last used, to the minute', async () => {
    const admin = person(t, 'admin');
    const key = await makeKey(t, admin, { scopes: ['results:read'] });
    expect((await t.app.inject({ url: '/api/v1/classes', headers: key.auth })).statusCode).toBe(200);
    const view = (await t.app.inject({ url: `/api/v1/api-keys/${key.id}`, headers: admin.auth })).json() as { apiKey: { lastUsedAt: string } };
    expect(view.apiKey.lastUsedAt).toBe(new Date(clock).toISOString());
  });

  it('lets an instructor make keys only for a class they teach', async () => {
    const teacher = person(t, 'instructor');
    const other = person(t, 'instructor');
    const theirs = classOf(t, other, 'Not yours');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: teacher.auth, payload: { name: 'x', scopes: ['results:read'] } });
    expectError(res, 403, 'forbidden');
    expectError(await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: teacher.auth, payload: { name: 'x', scopes: ['results:read'], classId: theirs.id } }), 404, 'class_not_found');
    const mine = classOf(t, teacher);
    const key = await makeKey(t, teacher, { scopes: ['results:read'], classId: mine.id });
    expect(key.view).toMatchObject({ classId: mine.id });
    // The other instructor cannot see or revoke it: it is not found to them.
    expectError(await t.app.inject({ url: `/api/v1/api-keys/${key.id}`, headers: other.auth }), 404, 'not_found');
    expectError(await t.app.inject({ method: 'POST', url: `/api/v1/api-keys/${key.id}/revoke`, headers: other.auth }), 404, 'not_found');
    const listed = (await t.app.inject({ url: '/api/v1/api-keys?limit=200', headers: other.auth })).json() as { apiKeys: { id: number }[] };
    expect(listed.apiKeys.map((k) => k.id)).not.toContain(key.id);
  });

  it('refuses learners, unknown scopes and bad names, naming the field', async () => {
    const learner = person(t, 'learner');
    expectError(await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: learner.auth, payload: { name: 'x', scopes: ['results:read'] } }), 403, 'forbidden');
    const admin = person(t, 'admin');
    const bad = expectError(await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: admin.auth, payload: { name: 'x', scopes: ['grades:delete'] } }), 400, 'invalid_request');
    expect(JSON.stringify(bad.details)).toContain('body.scopes');
    const empty = expectError(await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: admin.auth, payload: { name: '', scopes: ['results:read'] } }), 400, 'invalid_request');
    expect(JSON.stringify(empty.details)).toContain('body.name');
  });
});

describe('what a key may call', () => {
  // Every route open to keys, with the scope it needs. `classId` is filled in per test.
  const routes = (classId: number): { call: Call; scope: string }[] => [
    { call: { method: 'GET', url: '/api/v1/classes' }, scope: 'results:read' },
    { call: { method: 'GET', url: `/api/v1/classes/${classId}` }, scope: 'results:read' },
    { call: { method: 'GET', url: `/api/v1/classes/${classId}/matrix` }, scope: 'results:read' },
    { call: { method: 'GET', url: `/api/v1/classes/${classId}/exercises/clusterip-basics/insight` }, scope: 'results:read' },
    { call: { method: 'GET', url: `/api/v1/classes/${classId}/export?format=json` }, scope: 'results:read' },
    { call: { method: 'PATCH', url: `/api/v1/classes/${classId}`, payload: { name: 'Renamed by the LMS' } }, scope: 'classes:write' },
    { call: { method: 'POST', url: `/api/v1/classes/${classId}/join-code` }, scope: 'classes:write' },
    { call: { method: 'POST', url: `/api/v1/classes/${classId}/environments/clusterip-basics/extend` }, scope: 'environments:write' },
  ];

  it('calls each route with the scope it names and gets 403 insufficient_scope with the others', async () => {
    const admin = person(t, 'admin');
    const klass = classOf(t, admin);
    for (const { call, scope } of routes(klass.id)) {
      const without = await makeKey(t, admin, { scopes: ALL_SCOPES.filter((s) => s !== scope) });
      const refused = expectError(await t.app.inject({ ...call, headers: without.auth }), 403, 'insufficient_scope');
      expect(refused.details, `${call.method} ${call.url}`).toMatchObject({ requiredScope: scope });
      const withIt = await makeKey(t, admin, { scopes: [scope] });
      const res = await t.app.inject({ ...call, headers: withIt.auth });
      expect(res.statusCode, `${call.method} ${call.url}: ${res.body}`).toBe(200);
    }
  });

  it('makes a class with a server-wide classes:write key; a class key cannot', async () => {
    const admin = person(t, 'admin');
    const server = await makeKey(t, admin, { scopes: ['classes:write'] });
    const made = await t.app.inject({ method: 'POST', url: '/api/v1/classes', headers: server.auth, payload: { name: 'From the LMS' } });
    expect(made.statusCode, made.body).toBe(201);
    const klass = classOf(t, admin);
    const classKey = await makeKey(t, admin, { scopes: ALL_SCOPES, classId: klass.id });
    expectError(await t.app.inject({ method: 'POST', url: '/api/v1/classes', headers: classKey.auth, payload: { name: 'Sneaky' } }), 403, 'insufficient_scope');
  });

  it('keeps a class key inside its class: other classes are 404, the list shows only its own', async () => {
    const teacher = person(t, 'instructor');
    const mine = classOf(t, teacher, 'Mine');
    const alsoMine = classOf(t, teacher, 'Also mine');
    const someoneElses = classOf(t, person(t, 'instructor'), 'Theirs');
    const key = await makeKey(t, teacher, { scopes: ALL_SCOPES, classId: mine.id });

    const listed = (await t.app.inject({ url: '/api/v1/classes', headers: key.auth })).json() as { classes: { id: number }[] };
    expect(listed.classes.map((c) => c.id)).toEqual([mine.id]);
    expect((await t.app.inject({ url: `/api/v1/classes/${mine.id}/matrix`, headers: key.auth })).statusCode).toBe(200);
    for (const other of [alsoMine, someoneElses]) {
      for (const url of [`/api/v1/classes/${other.id}`, `/api/v1/classes/${other.id}/matrix`, `/api/v1/classes/${other.id}/export`]) {
        expectError(await t.app.inject({ url, headers: key.auth }), 404, 'class_not_found');
      }
      expectError(await t.app.inject({ method: 'PATCH', url: `/api/v1/classes/${other.id}`, headers: key.auth, payload: { name: 'x' } }), 404, 'class_not_found');
    }
    // Its maker's own token still reaches both of the maker's classes: the narrowing is the key's.
    expect((await t.app.inject({ url: `/api/v1/classes/${alsoMine.id}`, headers: teacher.auth })).statusCode).toBe(200);
  });

  it('closes routes that act for a person to every key, whatever its scopes', async () => {
    const admin = person(t, 'admin');
    const key = await makeKey(t, admin, { scopes: ALL_SCOPES });
    const closed: Call[] = [
      { method: 'GET', url: '/api/v1/users' },
      { method: 'GET', url: `/api/v1/users/${admin.user.id}/tokens` },
      { method: 'GET', url: '/api/v1/api-keys' },
      { method: 'POST', url: '/api/v1/api-keys', payload: { name: 'child', scopes: ['results:read'] } },
      { method: 'POST', url: `/api/v1/api-keys/${key.id}/revoke` },
      { method: 'GET', url: '/api/v1/exercises/clusterip-basics/environment' },
      { method: 'GET', url: '/api/v1/exercises/clusterip-basics/attempts' },
      { method: 'POST', url: '/api/v1/exercises/clusterip-basics/attempts' },
    ];
    for (const call of closed) expectError(await t.app.inject({ ...call, headers: key.auth }), 403, 'insufficient_scope');
    expect(t.db.apiKeys.select(key.id).revokedAt).toBeNull();
  });
});

describe('stopping a key', () => {
  it('answers 401 at once after a revoke, which is audited once', async () => {
    const teacher = person(t, 'instructor');
    const klass = classOf(t, teacher);
    const key = await makeKey(t, teacher, { scopes: ['results:read'], classId: klass.id });
    expect((await t.app.inject({ url: `/api/v1/classes/${klass.id}`, headers: key.auth })).statusCode).toBe(200);
    clock += 1000;
    const revoked = await t.app.inject({ method: 'POST', url: `/api/v1/api-keys/${key.id}/revoke`, headers: teacher.auth });
    expect(revoked.json()).toMatchObject({ apiKey: { status: 'revoked', revokedAt: new Date(clock).toISOString() } });
    expectError(await t.app.inject({ url: `/api/v1/classes/${klass.id}`, headers: key.auth }), 401, 'unauthorized');
    clock += 1000;
    const again = await t.app.inject({ method: 'POST', url: `/api/v1/api-keys/${key.id}/revoke`, headers: teacher.auth });
    expect(again.json()).toEqual(revoked.json());
    const entries = t.db.audit.list().filter((e) => e.action === 'api_key.revoke' && e.target === `api-key:${key.id}`);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorUserId: teacher.user.id, details: { via: 'api' } });
  });

  it('stops a key when its maker is disabled or no longer teaches the class', async () => {
    const admin = person(t, 'admin');
    const server = await makeKey(t, admin, { scopes: ['results:read'] });
    t.db.users.setDisabled(admin.user.id, true);
    expectError(await t.app.inject({ url: '/api/v1/classes', headers: server.auth }), 401, 'unauthorized');

    const teacher = person(t, 'instructor');
    const klass = classOf(t, teacher);
    const key = await makeKey(t, teacher, { scopes: ['results:read'], classId: klass.id });
    t.db.users.setRole(teacher.user.id, 'learner');
    expectError(await t.app.inject({ url: `/api/v1/classes/${klass.id}`, headers: key.auth }), 401, 'unauthorized');
  });

  it('refuses an unknown klk_ secret like any unknown token', async () => {
    expectError(await t.app.inject({ url: '/api/v1/classes', headers: { authorization: `Bearer klk_${'A'.repeat(43)}` } }), 401, 'unauthorized');
  });
});

describe('the OpenAPI document', () => {
  const Doc = z.object({
    components: z.object({ securitySchemes: z.record(z.string(), z.object({ type: z.string() }).loose()) }),
    paths: z.record(z.string(), z.record(z.string(), z.object({ security: z.array(z.record(z.string(), z.array(z.string()))).optional() }).loose())),
  });

  it('declares the service-key scheme, the api-keys routes, and on each route the scope a key needs', async () => {
    const doc = Doc.parse((await t.app.inject('/api/v1/openapi.json')).json());
    expect(doc.components.securitySchemes['serviceKey']).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/api-keys', '/api/v1/api-keys/{keyId}', '/api/v1/api-keys/{keyId}/revoke']));
    expect(doc.paths['/api/v1/classes/{classId}/matrix']?.['get']?.security).toEqual([{ bearerAuth: [] }, { sessionCookie: [] }, { serviceKey: ['results:read'] }]);
    expect(doc.paths['/api/v1/classes/{classId}']?.['patch']?.security).toContainEqual({ serviceKey: ['classes:write'] });
    expect(doc.paths['/api/v1/classes/{classId}/environments/{exerciseId}/{action}']?.['post']?.security).toContainEqual({ serviceKey: ['environments:write'] });
    expect(doc.paths['/api/v1/api-keys']?.['post']?.security).toEqual([{ bearerAuth: [] }, { sessionCookie: [] }]);
    // Every route but the public ones says how to authenticate.
    const open = new Set(['/healthz', '/readyz', '/api/v1/exercises', '/api/v1/exercises/{id}']);
    for (const [path, operations] of Object.entries(doc.paths)) {
      if (open.has(path)) continue;
      for (const [method, operation] of Object.entries(operations)) expect(operation.security, `${method} ${path}`).toBeDefined();
    }
  });
});
