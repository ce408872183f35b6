// The LTI test rig: kubelab (buildTestApp, listening on 127.0.0.1:0 so the fake
// platform can fetch our JWKS) beside a fake LMS, a clock both share, and the browser
// side of a launch (login → auth → form_post → hand-over) driven with real HTTP.
import { expect } from 'vitest';
import { SESSION_COOKIE } from '../../server/http/routes/environments-auth.ts';
import { buildTestApp, FIXED_NOW, type TestApp } from '../helpers/app.ts';
import { CLIENT_ID, DEPLOYMENT_ID, ISSUER, startFakePlatform, type FakePlatform, type LaunchSpec } from './fake-platform.ts';

export const PUBLIC_URL = 'https://kubelab.test';

export interface Rig {
  readonly t: TestApp;
  readonly platform: FakePlatform;
  /** Where the tool listens for real (the public URL is nominal). */
  readonly toolUrl: string;
  readonly clock: { now: number };
  readonly admin: { id: number; auth: { authorization: string } };
  readonly platformId: number;
  close(): Promise<void>;
}

export async function startRig(): Promise<Rig> {
  const clock = { now: FIXED_NOW };
  const now = () => clock.now;
  const t = await buildTestApp({ now, env: { KUBELAB_PUBLIC_URL: PUBLIC_URL }, lti: { scheduler: { every: () => () => undefined } } });
  const toolUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const platform = await startFakePlatform({ now, toolLaunchUrl: `${PUBLIC_URL}/lti/launch` });
  platform.toolJwksUrl = `${toolUrl}/lti/jwks.json`;
  const adminUser = t.db.users.create({ externalKey: 'local:lti-admin', displayName: 'Admin', role: 'admin' });
  const admin = { id: adminUser.id, auth: { authorization: `Bearer ${t.db.tokens.createToken(adminUser.id, 'admin', []).plaintext}` } };
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/lti/platforms',
    headers: admin.auth,
    payload: { name: 'Canvas', issuer: ISSUER, clientId: CLIENT_ID, authUrl: platform.authUrl, tokenUrl: platform.tokenUrl, jwksUrl: platform.jwksUrl, deploymentIds: [DEPLOYMENT_ID] },
  });
  expect(res.statusCode, res.body).toBe(201);
  const platformId = (res.json() as { platform: { id: number } }).platform.id;
  return {
    t, platform, toolUrl, clock, admin, platformId,
    close: async () => {
      await platform.close();
      await t.close();
    },
  };
}

/** The id_token and state the LMS posts back, as a browser would find them in its form. */
export interface LaunchForm {
  readonly id_token: string;
  readonly state: string;
}

let hints = 0;

/** Login initiation and the LMS's auth answer: the form the browser is about to post. */
export async function loginAndAuth(rig: Rig, spec: LaunchSpec): Promise<LaunchForm> {
  hints += 1;
  const hint = `hint-${hints}`;
  rig.platform.launches.set(hint, spec);
  const query = new URLSearchParams({ iss: ISSUER, login_hint: spec.sub, target_link_uri: spec.targetLinkUri ?? `${PUBLIC_URL}/lti/launch`, lti_message_hint: hint, client_id: CLIENT_ID });
  const login = await fetch(`${rig.toolUrl}/lti/login?${query}`, { redirect: 'manual' });
  expect(login.status, await login.clone().text()).toBe(302);
  const location = login.headers.get('location')!;
  expect(location.startsWith(rig.platform.authUrl)).toBe(true);
  const auth = await fetch(location);
  const body = await auth.text();
  expect(auth.status, body).toBe(200);
  return { id_token: /name="id_token" value="([^"]+)"/.exec(body)![1]!, state: /name="state" value="([^"]+)"/.exec(body)![1]! };
}

export async function postLaunch(rig: Rig, form: LaunchForm): Promise<{ status: number; body: string; cookie: string | undefined; setCookie: string }> {
  const res = await fetch(`${rig.toolUrl}/lti/launch`, { method: 'POST', body: new URLSearchParams({ ...form }), redirect: 'manual' });
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`)) ?? '';
  const cookie = setCookie ? setCookie.split(';')[0] : undefined;
  return { status: res.status, body: await res.text(), cookie, setCookie };
}

/** A whole launch as a browser that keeps the cookie: where the learner lands. */
export async function launch(rig: Rig, spec: LaunchSpec): Promise<{ landing: string; cookie: string }> {
  const posted = await postLaunch(rig, await loginAndAuth(rig, spec));
  expect(posted.status, posted.body).toBe(200);
  const next = /content="0;url=([^"]+)"/.exec(posted.body)![1]!.replaceAll('&amp;', '&');
  const res = await fetch(`${rig.toolUrl}${next}`, { headers: { cookie: posted.cookie! }, redirect: 'manual' });
  expect(res.status, await res.clone().text()).toBe(303);
  return { landing: res.headers.get('location')!, cookie: posted.cookie! };
}

/** The check a refused launch names on its error page. */
export function failedCheck(body: string): string | undefined {
  return /What failed: <strong>([^<]+)<\/strong>/.exec(body)?.[1];
}
