import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { at, startHarness, type Harness } from './testing/harness.ts';

let h: Harness;
beforeEach(async () => { h = await startHarness(); });
afterEach(async () => {
  await h.close();
  expect(h.errors).toEqual([]);
});

const cm = (name: string, labels: Record<string, string> = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data: { a: '1' } });
const deploy = (name: string, replicas = 1) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
});

describe('discovery and non-resource paths', () => {
  it('serves legacy discovery with short names and subresources', async () => {
    expect((await h.call('GET', '/api')).body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const groups = (await h.call('GET', '/apis')).body;
    expect(at(groups, 'kind')).toBe('APIGroupList');
    const v1 = await h.call('GET', '/api/v1');
    const resources = at(v1.body, 'resources') as { name: string; shortNames?: string[]; group?: string }[];
    expect(resources.find((r) => r.name === 'services')?.shortNames).toEqual(['svc']);
    expect(resources.map((r) => r.name)).toContain('pods/exec');
    const apps = (await h.call('GET', '/apis/apps/v1')).body;
    const scale = (at(apps, 'resources') as { name: string; group?: string }[]).find((r) => r.name === 'deployments/scale');
    expect(scale?.group).toBe('autoscaling');
  });

  it('answers /version, health, OpenAPI v3 with fieldValidation on PATCH', async () => {
    expect(at((await h.call('GET', '/version')).body, 'gitVersion')).toMatch(/^v1\.32\./);
    expect((await h.call('GET', '/readyz')).body).toBe('ok');
    const index = (await h.call('GET', '/openapi/v3')).body;
    const url = at(index, 'paths.apis/apps/v1.serverRelativeURL') as string;
    const doc = (await h.call('GET', url)).body;
    const patch = at(doc, 'paths./apis/apps/v1/namespaces/{namespace}/deployments/{name}.patch') as Record<string, unknown>;
    expect(patch['x-kubernetes-group-version-kind']).toEqual({ group: 'apps', version: 'v1', kind: 'Deployment' });
    expect(JSON.stringify(patch['parameters'])).toContain('fieldValidation');
  });

  it('refuses without a token, and unknown paths with 404', async () => {
    expect((await h.call('GET', '/api/v1/pods', undefined, { authorization: '' })).status).toBe(401);
    const r = await h.call('GET', '/api/v1/widgets');
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ kind: 'Status', reason: 'NotFound' });
  });

  it('authorizes through the real RBAC: a ServiceAccount token is 403 without a binding', async () => {
    const account = h.store.create('serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'learner', namespace: 'default' } });
    const issued = h.auth.issueServiceAccountToken('default', account, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: {}, spec: {} });
    const token = at(issued, 'status.token') as string;
    const r = await h.call('GET', '/api/v1/namespaces/default/pods', undefined, { authorization: `Bearer ${token}` });
    expect(r.status).toBe(403);
    expect(at(r.body, 'message')).toBe('pods is forbidden: User "system:serviceaccount:default:learner" cannot list resource "pods" in API group "" in the namespace "default"');
    // Discovery is open to every authenticated user (system:discovery).
    expect((await h.call('GET', '/api', undefined, { authorization: `Bearer ${token}` })).status).toBe(200);
  });
});

describe('create, get, list', () => {
  it('creates with kind/apiVersion, namespace from the URL, and 404s a missing one', async () => {
    const r = await h.call('POST', '/api/v1/namespaces/default/configmaps', cm('one'));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'one', namespace: 'default' } });
    const got = await h.call('GET', '/api/v1/namespaces/default/configmaps/one');
    expect(at(got.body, 'metadata.uid')).toBe(at(r.body, 'metadata.uid'));
    const missing = await h.call('GET', '/api/v1/namespaces/default/configmaps/nope');
    expect(missing.status).toBe(404);
    expect(at(missing.body, 'message')).toBe('configmaps "nope" not found');
    const dup = await h.call('POST', '/api/v1/namespaces/default/configmaps', cm('one'));
    expect(dup.status).toBe(409);
    expect(at(dup.body, 'message')).toBe('configmaps "one" already exists');
  });

  it('resolves generateName, and refuses bad bodies, names and namespaces', async () => {
    const gen = await h.call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { generateName: 'web-' } });
    expect(at(gen.body, 'metadata.name')).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect((await h.call('POST', '/api/v1/namespaces/default/configmaps', '{not json')).status).toBe(400);
    const badName = await h.call('POST', '/api/v1/namespaces/default/configmaps', cm('Bad_Name'));
    expect(badName.status).toBe(422);
    expect(at(badName.body, 'message')).toContain('ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name"');
    const mismatch = await h.call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'x', namespace: 'other' } });
    expect(mismatch.status).toBe(400);
    const noNs = await h.call('POST', '/api/v1/namespaces/ghost/configmaps', cm('x'));
    expect(noNs.status).toBe(404);
    expect(at(noNs.body, 'message')).toBe('namespaces "ghost" not found');
    expect((await h.call('POST', '/api/v1/namespaces/default/configmaps', 'a: b', { 'content-type': 'text/csv' })).status).toBe(415);
    const yaml = await h.call('POST', '/api/v1/namespaces/default/configmaps', 'metadata:\n  name: from-yaml\n', { 'content-type': 'application/yaml' });
    expect(yaml.status).toBe(201);
  });

  it('enforces fieldValidation=Strict and warns by default', async () => {
    const body = { ...deploy('d'), spec: { ...deploy('d').spec, replica: 2 } };
    const strict = await h.call('POST', '/apis/apps/v1/namespaces/default/deployments?fieldValidation=Strict', body);
    expect(strict.status).toBe(400);
    expect(at(strict.body, 'message')).toBe('Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replica"');
    const warn = await h.call('POST', '/apis/apps/v1/namespaces/default/deployments', body);
    expect(warn.status).toBe(201);
    expect(warn.headers['warning']).toContain('unknown field \\"spec.replica\\"');
  });

  it('filters lists by label and field selectors and pages with limit/continue', async () => {
    for (const [n, tier] of [['a', 'web'], ['b', 'db'], ['c', 'web'], ['d', 'cache']] as const) {
      await h.call('POST', '/api/v1/namespaces/default/configmaps', cm(n, { tier }));
    }
    const names = (b: unknown) => (at(b, 'items') as { metadata: { name: string } }[]).map((i) => i.metadata.name);
    expect(names((await h.call('GET', '/api/v1/namespaces/default/configmaps?labelSelector=tier%3Dweb')).body)).toEqual(['a', 'c']);
    expect(names((await h.call('GET', '/api/v1/configmaps?labelSelector=tier%20notin%20(web)')).body)).toEqual(['b', 'd']);
    expect(names((await h.call('GET', '/api/v1/configmaps?fieldSelector=metadata.name%3Db')).body)).toEqual(['b']);
    const bad = await h.call('GET', '/api/v1/configmaps?fieldSelector=data.a%3D1');
    expect(bad.status).toBe(400);
    expect(at(bad.body, 'message')).toBe('field label not supported: data.a');
    const page1 = await h.call('GET', '/api/v1/namespaces/default/configmaps?limit=3');
    expect(names(page1.body)).toEqual(['a', 'b', 'c']);
    expect(at(page1.body, 'metadata.remainingItemCount')).toBe(1);
    const token = at(page1.body, 'metadata.continue') as string;
    const page2 = await h.call('GET', `/api/v1/namespaces/default/configmaps?limit=3&continue=${encodeURIComponent(token)}`);
    expect(names(page2.body)).toEqual(['d']);
    expect(at(page2.body, 'metadata.continue')).toBeUndefined();
    expect((await h.call('GET', '/api/v1/configmaps?limit=abc')).status).toBe(400);
    expect((await h.call('GET', '/api/v1/configmaps?continue=%%%')).status).toBe(400);
  });
});

describe('update, patch, status and scale', () => {
  it('bumps generation on spec changes only, ignores status on the main resource, and detects conflicts', async () => {
    const created = (await h.call('POST', '/apis/apps/v1/namespaces/default/deployments', deploy('web'))).body as { metadata: { generation: number; resourceVersion: string } };
    expect(created.metadata.generation).toBe(1);
    const withStatus = { ...created, status: { replicas: 9 } };
    const same = await h.call('PUT', '/apis/apps/v1/namespaces/default/deployments/web', withStatus);
    expect(same.status).toBe(200);
    expect(at(same.body, 'metadata.resourceVersion')).toBe(created.metadata.resourceVersion); // no-op: nothing stored
    expect(at(same.body, 'status')).toBeUndefined();
    const scaled = await h.call('PATCH', '/apis/apps/v1/namespaces/default/deployments/web', { spec: { replicas: 3 } }, { 'content-type': 'application/merge-patch+json' });
    expect(at(scaled.body, 'metadata.generation')).toBe(2);
    const stale = await h.call('PUT', '/apis/apps/v1/namespaces/default/deployments/web', created);
    expect(stale.status).toBe(409);
    expect(at(stale.body, 'message')).toBe('Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again');
    const status = await h.call('PATCH', '/apis/apps/v1/namespaces/default/deployments/web/status', { status: { replicas: 3 }, spec: { replicas: 7 } }, { 'content-type': 'application/merge-patch+json' });
    expect(at(status.body, 'status.replicas')).toBe(3);
    expect(at(status.body, 'spec.replicas')).toBe(3);
    expect(at(status.body, 'metadata.generation')).toBe(2);
  });

  it('serves /scale as autoscaling/v1 Scale', async () => {
    await h.call('POST', '/apis/apps/v1/namespaces/default/deployments', deploy('web', 2));
    const scale = await h.call('GET', '/apis/apps/v1/namespaces/default/deployments/web/scale');
    expect(scale.body).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 2 }, status: { replicas: 0, selector: 'app=web' } });
    const patched = await h.call('PATCH', '/apis/apps/v1/namespaces/default/deployments/web/scale', { spec: { replicas: 5 } }, { 'content-type': 'application/merge-patch+json' });
    expect(at(patched.body, 'spec.replicas')).toBe(5);
    expect(at((await h.call('GET', '/apis/apps/v1/namespaces/default/deployments/web')).body, 'spec.replicas')).toBe(5);
    expect((await h.call('PATCH', '/apis/apps/v1/namespaces/default/deployments/web/scale', '{}', { 'content-type': 'text/plain' })).status).toBe(415);
  });

  it('answers 405 for verbs a path does not serve', async () => {
    const r = await h.call('PUT', '/api/v1/namespaces/default/configmaps', cm('x'));
    expect(r.status).toBe(405);
    expect(at(r.body, 'reason')).toBe('MethodNotAllowed');
  });
});

describe('delete', () => {
  it('keeps an object with finalizers until an update empties them', async () => {
    await h.call('POST', '/api/v1/namespaces/default/configmaps', { ...cm('f'), metadata: { name: 'f', finalizers: ['example.com/hold'] } });
    const del = await h.call('DELETE', '/api/v1/namespaces/default/configmaps/f');
    expect(del.status).toBe(200);
    expect(at(del.body, 'metadata.deletionTimestamp')).toBe('2026-01-01T00:00:00Z');
    const cur = (await h.call('GET', '/api/v1/namespaces/default/configmaps/f')).body as { metadata: Record<string, unknown> };
    const cleared = await h.call('PUT', '/api/v1/namespaces/default/configmaps/f', { ...cur, metadata: { ...cur.metadata, finalizers: [] } });
    expect(cleared.status).toBe(200);
    expect((await h.call('GET', '/api/v1/namespaces/default/configmaps/f')).status).toBe(404);
  });

  it('adds the GC finalizer for Foreground, checks preconditions, and deletes Pods gracefully', async () => {
    await h.call('POST', '/api/v1/namespaces/default/configmaps', cm('g'));
    const pre = await h.call('DELETE', '/api/v1/namespaces/default/configmaps/g', { preconditions: { uid: 'nope' } });
    expect(pre.status).toBe(409);
    const fg = await h.call('DELETE', '/api/v1/namespaces/default/configmaps/g', { propagationPolicy: 'Foreground' });
    expect(at(fg.body, 'metadata.finalizers')).toEqual(['foregroundDeletion']);
    await h.call('POST', '/api/v1/namespaces/default/pods', { metadata: { name: 'p' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x' }] } });
    const pod = await h.call('DELETE', '/api/v1/namespaces/default/pods/p');
    expect(at(pod.body, 'metadata.deletionGracePeriodSeconds')).toBe(30);
    expect(at(pod.body, 'metadata.deletionTimestamp')).toBe('2026-01-01T00:00:30Z');
    await h.call('DELETE', '/api/v1/namespaces/default/pods/p?gracePeriodSeconds=0');
    expect((await h.call('GET', '/api/v1/namespaces/default/pods/p')).status).toBe(404);
  });

  it('terminates namespaces and refuses new content in them', async () => {
    await h.call('POST', '/api/v1/namespaces', { metadata: { name: 'team' }, spec: { finalizers: ['kubernetes'] } });
    const del = await h.call('DELETE', '/api/v1/namespaces/team');
    expect(at(del.body, 'status.phase')).toBe('Terminating');
    const refused = await h.call('POST', '/api/v1/namespaces/team/configmaps', cm('x'));
    expect(refused.status).toBe(403);
    expect(at(refused.body, 'message')).toBe('configmaps "x" is forbidden: unable to create new content in namespace team because it is being terminated');
    expect((await h.call('DELETE', '/api/v1/namespaces/default')).status).toBe(403);
  });
});

describe('malformed input', () => {
  it.each([
    ['GET', '/api/v1/namespaces/default/pods/%zz', undefined, 400],
    ['GET', '/api/v1/pods?watch=maybe', undefined, 400],
    ['GET', '/api/v1/pods?limit=-1', undefined, 400],
    ['GET', '/api/v1/pods?labelSelector=a%20in%20(b', undefined, 400],
    ['POST', '/api/v1/namespaces/default/configmaps', '[]', 400],
    ['POST', '/api/v1/namespaces/default/configmaps', 'null', 400],
    ['POST', '/api/v1/namespaces/default/configmaps', '{"metadata":"x"}', 400],
    ['POST', '/api/v1/namespaces/default/configmaps', '{"metadata":{"name":"q","labels":{"a":1}}}', 400],
    ['POST', '/api/v1/namespaces/default/configmaps', '{"apiVersion":"apps/v1","metadata":{"name":"q"}}', 400],
    ['DELETE', '/api/v1/namespaces/default/configmaps/x', '{"gracePeriodSeconds":"x"}', 400],
  ] as const)('%s %s %s → %i', async (method, path, body, status) => {
    const r = await h.call(method, path, body);
    expect(r.status).toBe(status);
    expect(r.body).toMatchObject({ kind: 'Status', code: status });
  });
});
