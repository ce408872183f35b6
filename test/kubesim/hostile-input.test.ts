// One learner cannot hurt the others (#17): bad input to the embedded API is refused
// with the apiserver's own 4xx shapes, never a 500, and a refused request stores nothing.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../kubesim/core/clock.ts';
import { settle } from '../../kubesim/controlplane/index.ts';
import { startCluster, type RunningCluster } from '../../kubesim/index.ts';
import { apiCall } from './api-call.ts';

let cluster: RunningCluster;
const clock = new ManualClock();
const ns = '/api/v1/namespaces/default';

beforeAll(async () => {
  cluster = await startCluster({ seed: 17, clock });
  await cluster.controlPlane.idle();
});
afterAll(async () => {
  await cluster?.close();
});

/** Send a request that must be refused; checks the store did not move. */
async function refused(method: string, path: string, body: string | object, headers: Record<string, string> = {}) {
  await cluster.controlPlane.idle();
  const before = cluster.store.resourceVersion;
  const reply = await apiCall(cluster, method, path, body, headers);
  await cluster.controlPlane.idle();
  expect(cluster.store.resourceVersion).toBe(before);
  return reply;
}

const template = (spec: Record<string, unknown>) => ({
  metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec },
});

describe('bodies that used to crash the API server', () => {
  it('refuses JSON nested too deep with 400, as the apiserver does', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const r = await refused('POST', `${ns}/configmaps`, deep);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ kind: 'Status', reason: 'BadRequest', message: "couldn't get version/kind; json parse error: exceeded max depth" });
    expect((await apiCall(cluster, 'POST', `${ns}/configmaps`, { metadata: { name: 'deep' } })).status).toBe(201);
    const patch = await refused('PATCH', `${ns}/configmaps/deep`, `{"data":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`, { 'content-type': 'application/merge-patch+json' });
    expect(patch.status).toBe(400);
  });

  it('refuses deeply nested YAML before the parser recurses (an overflow there can abort the process)', async () => {
    for (const type of ['application/yaml', 'application/apply-patch+yaml']) {
      const method = type === 'application/yaml' ? 'POST' : 'PATCH';
      const path = method === 'POST' ? `${ns}/configmaps` : `${ns}/configmaps/deep?fieldManager=me`;
      const r = await refused(method, path, '['.repeat(50_000) + ']'.repeat(50_000), { 'content-type': type });
      expect(r.status).toBe(400);
      expect(String((r.body as { message: string }).message)).toMatch(/exceeded max depth$/);
    }
  });

  it('drops a top-level __proto__ key: no pollution, no 500', async () => {
    const r = await apiCall(cluster, 'POST', `${ns}/configmaps`, '{"__proto__":{"polluted":"yes"},"metadata":{"name":"proto"},"data":{"a":"1"}}');
    expect(r.status).toBe(201);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const stored = cluster.store.get('configmaps', 'default', 'proto')!;
    expect(Object.getPrototypeOf(stored)).toBe(Object.prototype);
    expect((stored as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('refuses metadata.ownerReferences of the wrong type and stores nothing', async () => {
    const r = await refused('POST', `${ns}/configmaps`, { metadata: { name: 'owned', ownerReferences: 'x' } });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({
      reason: 'BadRequest',
      message: 'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal string into Go struct field ObjectMeta.metadata.ownerReferences of type []v1.OwnerReference',
    });
    expect(cluster.store.get('configmaps', 'default', 'owned')).toBeUndefined();
  });

  it.each([
    ['Service spec.selector', `${ns}/services`, { metadata: { name: 's' }, spec: { selector: 'x', ports: [{ port: 80 }] } },
      'Service in version "v1" cannot be handled as a Service: json: cannot unmarshal string into Go struct field ServiceSpec.spec.selector of type map[string]string'],
    ['container command', `${ns}/pods`, { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox', command: [true] }] } },
      'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal bool into Go struct field Container.spec.containers.command of type string'],
    ['Deployment replicas', '/apis/apps/v1/namespaces/default/deployments',
      { metadata: { name: 'd' }, spec: { replicas: 'three', selector: { matchLabels: { app: 'x' } }, template: template({}) } },
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32'],
    ['template container port', '/apis/apps/v1/namespaces/default/statefulsets',
      { metadata: { name: 'st' }, spec: { replicas: 1, serviceName: 'st', selector: { matchLabels: { app: 'x' } }, template: template({ containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 1.5 }] }] }) } },
      'StatefulSet in version "v1" cannot be handled as a StatefulSet: json: cannot unmarshal number 1.5 into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32'],
  ])('refuses a wrong type in %s with 400 naming the field', async (_what, path, body, message) => {
    const r = await refused('POST', path, body);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ kind: 'Status', code: 400, reason: 'BadRequest', message });
  });

  it('names no field for an IntOrString, as its own decoder does', async () => {
    const r = await refused('POST', `${ns}/services`, { metadata: { name: 'tp' }, spec: { ports: [{ port: 80, targetPort: true }] } });
    expect(r.body).toMatchObject({ code: 400, message: 'Service in version "v1" cannot be handled as a Service: json: cannot unmarshal bool into Go value of type int32' });
  });

  it('stores nulls as Go would (omitted), so Pods beside a Service with selector: null still start', async () => {
    await apiCall(cluster, 'POST', '/api/v1/namespaces', { metadata: { name: 'nulls' } });
    const svc = await apiCall(cluster, 'POST', '/api/v1/namespaces/nulls/services', { metadata: { name: 'web' }, spec: { selector: null, ports: [{ port: 80 }] } });
    expect(svc.status).toBe(201);
    expect(cluster.store.get('services', 'nulls', 'web')?.['spec']).not.toHaveProperty('selector');
    const pod = await apiCall(cluster, 'POST', '/api/v1/namespaces/nulls/pods', {
      metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx', env: [{ name: 'A', value: null }], command: null }] },
    });
    expect(pod.status).toBe(201);
    await settle(cluster.controlPlane, clock, { maxMs: 60_000 });
    expect(cluster.store.get('pods', 'nulls', 'p')?.['status']).toMatchObject({ phase: 'Running' });
  });

  it('refuses a wrong type arriving through a patch, leaving the object as it was', async () => {
    expect((await apiCall(cluster, 'POST', `${ns}/services`, { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } })).status).toBe(201);
    const r = await refused('PATCH', `${ns}/services/web`, { spec: { selector: 'x' } }, { 'content-type': 'application/merge-patch+json' });
    expect(r.status).toBe(400);
    expect(cluster.store.get('services', 'default', 'web')?.['spec']).toMatchObject({ selector: { app: 'web' } });
  });

  it('answers server-side apply with a self-referencing YAML alias with 400', async () => {
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata: &m\n  name: loop\n  labels: *m\n';
    const r = await refused('PATCH', `${ns}/configmaps/loop?fieldManager=me`, yaml, { 'content-type': 'application/apply-patch+yaml' });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ reason: 'BadRequest' });
  });
});

describe('paths with dot segments', () => {
  it.each(['..', '%2e%2e', '%2E.', '.', 'x\\..'])('refuses DELETE .../pods/%s with 400 and deletes nothing', async (tail) => {
    const created = await apiCall(cluster, 'POST', '/api/v1/namespaces', { metadata: { name: 'dots' } });
    expect([201, 409]).toContain(created.status);
    for (const path of [`/api/v1/namespaces/dots/pods/${tail}`, `/api/v1/namespaces/dots/${tail}/pods`]) {
      const r = await refused('DELETE', path, '');
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ kind: 'Status', reason: 'BadRequest' });
    }
    expect(cluster.store.get('namespaces', undefined, 'dots')?.metadata.deletionTimestamp).toBeUndefined();
  });
});
