// Part 3 of LTI: an instructor's deep-linking launch shows the exercise picker; the
// answer is a JWT signed with our key (by kid), auto-posted to the LMS, which verifies
// it against our published JWKS and finds one ltiResourceLink whose line item is
// worth the exercise's points.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeProtectedHeader } from 'jose';
import { CLAIM } from '../../server/lti/claims.ts';
import { exercisePoints } from '../../server/lti/deep-linking.ts';
import { DEPLOYMENT_ID, INSTRUCTOR, LEARNER } from './fake-platform.ts';
import { failedCheck, launch, loginAndAuth, postLaunch, PUBLIC_URL, startRig, type Rig } from './tool.ts';

let rig: Rig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await rig?.close();
});

const form = (fields: Record<string, string>) => ({ method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' as const });

async function picker(sub: string) {
  const res = await postLaunch(rig, await loginAndAuth(rig, { sub, roles: [INSTRUCTOR], message: 'LtiDeepLinkingRequest', contextId: `dl-${sub}` }));
  expect(res.status, res.body).toBe(200);
  return { body: res.body, requestId: /name="request" value="([^"]+)"/.exec(res.body)![1]! };
}

describe('deep linking', () => {
  it('round trip: picker → signed response → verified by the LMS, line item worth the exercise’s points', async () => {
    const { body, requestId } = await picker('dl-teacher-1');
    for (const exercise of rig.t.catalog.exercises) expect(body).toContain(`value="${exercise.id}"`);
    const chosen = rig.t.catalog.byId('multi-port')!;
    const answered = await fetch(`${rig.toolUrl}/lti/deep-link`, form({ request: requestId, exercise: chosen.id }));
    const page = await answered.text();
    expect(answered.status, page).toBe(200);
    expect(answered.headers.get('content-security-policy')).toContain(`form-action 'self' ${rig.platform.url}`);
    expect(page).toContain('src="/lti/autopost.js"');
    const action = /<form method="post" action="([^"]+)" data-autopost>/.exec(page)![1]!;
    const jwt = /name="JWT" value="([^"]+)"/.exec(page)![1]!;
    expect(action).toBe(rig.platform.returnUrl);

    const delivered = await fetch(action, form({ JWT: jwt }));
    expect(delivered.status, await delivered.clone().text()).toBe(200);
    const response = rig.platform.deepLinkResponses.at(-1)!;
    expect(response[CLAIM.messageType]).toBe('LtiDeepLinkingResponse');
    expect(response[CLAIM.version]).toBe('1.3.0');
    expect(response[CLAIM.deploymentId]).toBe(DEPLOYMENT_ID);
    expect(response[CLAIM.deepLinkingData]).toBe('opaque-data-7');
    expect(response[CLAIM.deepLinkingContentItems]).toEqual([{
      type: 'ltiResourceLink',
      title: chosen.title,
      text: chosen.summary,
      url: `${PUBLIC_URL}/lti/launch`,
      custom: { exercise: 'multi-port' },
      lineItem: { scoreMaximum: exercisePoints(chosen), label: chosen.title, resourceId: 'multi-port' },
    }]);
    expect(exercisePoints(chosen)).toBeGreaterThan(0);
    const jwks = (await (await fetch(`${rig.toolUrl}/lti/jwks.json`)).json()) as { keys: { kid: string }[] };
    expect(decodeProtectedHeader(jwt).kid).toBe(jwks.keys[0]!.kid);
  });

  it('the link it made launches learners into that exercise', async () => {
    const { landing } = await launch(rig, { sub: 'dl-learner', roles: [LEARNER], resourceLinkId: 'dl-made-link', custom: { exercise: 'multi-port' } });
    expect(landing).toBe('/exercises/multi-port');
  });

  it('answers each picker once; a second answer is refused', async () => {
    const { requestId } = await picker('dl-teacher-2');
    expect((await fetch(`${rig.toolUrl}/lti/deep-link`, form({ request: requestId, exercise: 'clusterip-basics' }))).status).toBe(200);
    const again = await fetch(`${rig.toolUrl}/lti/deep-link`, form({ request: requestId, exercise: 'clusterip-basics' }));
    expect(again.status).toBe(400);
    expect(failedCheck(await again.text())).toBe('deep_linking');
  });

  it('asks again for an exercise that was not picked or does not exist, without spending the picker', async () => {
    const { requestId } = await picker('dl-teacher-3');
    const none = await fetch(`${rig.toolUrl}/lti/deep-link`, form({ request: requestId }));
    expect(none.status).toBe(400);
    expect(await none.text()).toContain('pick an exercise');
    expect((await fetch(`${rig.toolUrl}/lti/deep-link`, form({ request: requestId, exercise: 'nope' }))).status).toBe(400);
    expect((await fetch(`${rig.toolUrl}/lti/deep-link`, form({ request: requestId, exercise: 'clusterip-basics' }))).status).toBe(200);
  });

  it('is for instructors: a learner’s deep-linking launch is refused', async () => {
    const res = await postLaunch(rig, await loginAndAuth(rig, { sub: 'dl-student', roles: [LEARNER], message: 'LtiDeepLinkingRequest' }));
    expect(res.status).toBe(400);
    expect(failedCheck(res.body)).toBe('roles');
  });
});
