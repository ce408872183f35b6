// Part 1 of LTI: platforms registered by admins only, with bad input named by field;
// the tool's key published as a JWKS without private parts, rotatable with the old
// key still published; the admin page with the four URLs to paste.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SESSION_COOKIE } from '../../server/http/routes/environments-auth.ts';
import { CLIENT_ID, DEPLOYMENT_ID, ISSUER } from './fake-platform.ts';
import { PUBLIC_URL, startRig, type Rig } from './tool.ts';

let rig: Rig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await rig?.close();
});

const Jwks = z.object({ keys: z.array(z.object({ kid: z.string(), kty: z.literal('RSA'), n: z.string(), e: z.string(), alg: z.literal('RS256'), use: z.literal('sig') }).loose()) });
const valid = { name: 'Moodle', issuer: 'https://moodle.school.example', clientId: 'abc', authUrl: 'https://moodle.school.example/mod/lti/auth.php', tokenUrl: 'https://moodle.school.example/mod/lti/token.php', jwksUrl: 'https://moodle.school.example/mod/lti/certs.php', deploymentIds: ['1'] };

describe('platform registration API', () => {
  it('lists the registered platform with the tool URLs to paste', async () => {
    const res = await rig.t.app.inject({ method: 'GET', url: '/api/v1/lti/platforms', headers: rig.admin.auth });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { platforms: { issuer: string; clientId: string; deploymentIds: string[] }[]; tool: Record<string, string> };
    expect(body.platforms.map((p) => [p.issuer, p.clientId, p.deploymentIds])).toContainEqual([ISSUER, CLIENT_ID, [DEPLOYMENT_ID]]);
    expect(body.tool).toEqual({ loginUrl: `${PUBLIC_URL}/lti/login`, launchUrl: `${PUBLIC_URL}/lti/launch`, jwksUrl: `${PUBLIC_URL}/lti/jwks.json`, deepLinkingUrl: `${PUBLIC_URL}/lti/launch` });
  });

  it('refuses a second registration of the same issuer and client id (409), and removes one (204)', async () => {
    const made = await rig.t.app.inject({ method: 'POST', url: '/api/v1/lti/platforms', headers: rig.admin.auth, payload: valid });
    expect(made.statusCode, made.body).toBe(201);
    const again = await rig.t.app.inject({ method: 'POST', url: '/api/v1/lti/platforms', headers: rig.admin.auth, payload: valid });
    expect(again.statusCode).toBe(409);
    const id = (made.json() as { platform: { id: number } }).platform.id;
    expect((await rig.t.app.inject({ method: 'DELETE', url: `/api/v1/lti/platforms/${id}`, headers: rig.admin.auth })).statusCode).toBe(204);
    expect((await rig.t.app.inject({ method: 'DELETE', url: `/api/v1/lti/platforms/${id}`, headers: rig.admin.auth })).statusCode).toBe(404);
  });

  it.each([
    ['authUrl', { authUrl: 'ftp://x.example/auth' }],
    ['tokenUrl', { tokenUrl: 'http://moodle.school.example/token' }],
    ['deploymentIds', { deploymentIds: [] }],
    ['issuer', { issuer: '' }],
    ['secret', { secret: 'x' }],
  ])('names the bad field %s (400)', async (field, change) => {
    const res = await rig.t.app.inject({ method: 'POST', url: '/api/v1/lti/platforms', headers: rig.admin.auth, payload: { ...valid, ...change } });
    expect(res.statusCode).toBe(400);
    expect((res.json() as { error: { message: string } }).error.message).toContain(field);
  });

  it('is for admins: an instructor gets 403, nobody signed in 401', async () => {
    const teacher = rig.t.db.users.create({ externalKey: 'local:lti-teacher', displayName: 'T', role: 'instructor' });
    const auth = { authorization: `Bearer ${rig.t.db.tokens.createToken(teacher.id, 't', []).plaintext}` };
    expect((await rig.t.app.inject({ method: 'GET', url: '/api/v1/lti/platforms', headers: auth })).statusCode).toBe(403);
    expect((await rig.t.app.inject({ method: 'POST', url: '/api/v1/lti/platforms', headers: auth, payload: valid })).statusCode).toBe(403);
    expect((await rig.t.app.inject({ method: 'POST', url: '/api/v1/lti/keys/rotate', headers: auth })).statusCode).toBe(403);
    expect((await rig.t.app.inject({ method: 'GET', url: '/api/v1/lti/platforms' })).statusCode).toBe(401);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await rig.t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json() as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/lti/platforms', '/api/v1/lti/platforms/{id}', '/api/v1/lti/keys/rotate', '/api/v1/lti/scores']));
  });
});

describe('the tool key', () => {
  it('is published at the public JWKS URL without its private half; rotating keeps the old key published', async () => {
    const before = Jwks.parse((await rig.t.app.inject({ method: 'GET', url: '/lti/jwks.json' })).json());
    expect(before.keys.length).toBeGreaterThanOrEqual(1);
    for (const key of before.keys) expect(Object.keys(key)).not.toEqual(expect.arrayContaining(['d']));
    const rotated = await rig.t.app.inject({ method: 'POST', url: '/api/v1/lti/keys/rotate', headers: rig.admin.auth });
    expect(rotated.statusCode, rotated.body).toBe(201);
    expect(rotated.body).not.toMatch(/PRIVATE|"d":/);
    const kid = (rotated.json() as { key: { kid: string } }).key.kid;
    const after = Jwks.parse((await rig.t.app.inject({ method: 'GET', url: '/lti/jwks.json' })).json());
    expect(after.keys.map((k) => k.kid)).toEqual([kid, ...before.keys.map((k) => k.kid)]);
    const listed = (await rig.t.app.inject({ method: 'GET', url: '/api/v1/lti/keys', headers: rig.admin.auth })).json() as { keys: { kid: string; retiredAt: string | null }[] };
    expect(listed.keys[0]).toMatchObject({ kid, retiredAt: null });
    expect(listed.keys.slice(1).every((k) => k.retiredAt !== null)).toBe(true);
  });

  it('drops a retired key from the JWKS after the grace period', async () => {
    await rig.t.app.inject({ method: 'POST', url: '/api/v1/lti/keys/rotate', headers: rig.admin.auth });
    const published = Jwks.parse((await rig.t.app.inject({ method: 'GET', url: '/lti/jwks.json' })).json()).keys.length;
    expect(published).toBeGreaterThan(1);
    rig.clock.now += 8 * 24 * 3600_000;
    try {
      expect(Jwks.parse((await rig.t.app.inject({ method: 'GET', url: '/lti/jwks.json' })).json()).keys).toHaveLength(1);
    } finally {
      rig.clock.now -= 8 * 24 * 3600_000;
    }
  });
});

describe('the admin page', () => {
  it('shows the four URLs to paste to a signed-in admin; sends the signed-out to sign in; refuses others (403)', async () => {
    const { secret } = rig.t.db.sessions.create(rig.admin.id, 'token');
    const res = await rig.t.app.inject({ method: 'GET', url: '/admin/lti', cookies: { [SESSION_COOKIE]: secret } });
    expect(res.statusCode).toBe(200);
    for (const path of ['/lti/login', '/lti/launch', '/lti/jwks.json']) expect(res.body).toContain(`${PUBLIC_URL}${path}`);
    expect(res.body).toContain('Deep linking URL');
    expect(res.body).toContain(ISSUER);
    expect(res.body).not.toContain('PRIVATE KEY');
    const anonymous = await rig.t.app.inject({ method: 'GET', url: '/admin/lti' });
    expect(anonymous.statusCode).toBe(303);
    const teacher = rig.t.db.users.create({ externalKey: 'local:lti-page-teacher', displayName: 'T', role: 'instructor' });
    const teacherPage = await rig.t.app.inject({ method: 'GET', url: '/admin/lti', cookies: { [SESSION_COOKIE]: rig.t.db.sessions.create(teacher.id, 'token').secret } });
    expect(teacherPage.statusCode).toBe(403);
    expect(teacherPage.body).not.toContain('/lti/jwks.json');
  });
});
