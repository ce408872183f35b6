// Strategic merge patches exactly as kubectl 1.32 sends them (`kubectl apply`
// three-way patches and `kubectl patch` bodies), applied to the objects they target.
import { describe, expect, it } from 'vitest';
import { StatusError } from '../../core/errors.ts';
import { resourceFor } from '../../core/registry.ts';
import type { KubeObject } from '../../core/types.ts';
import { PatchApplyError, applyPatch } from './index.ts';

const SMP = 'application/strategic-merge-patch+json';
const deployments = resourceFor('apps', 'deployments')!;
const services = resourceFor('', 'services')!;
const pods = resourceFor('', 'pods')!;

function deployment(containers: Record<string, unknown>[]): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web', tier: 'front' }, finalizers: ['a', 'b'] },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers, tolerations: [{ key: 'x', operator: 'Exists' }] },
      },
    },
  };
}

const web = { name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80, name: 'http' }], env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] };
const sidecar = { name: 'sidecar', image: 'busybox' };

const service: KubeObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'db', namespace: 'default' },
  spec: {
    type: 'ClusterIP',
    clusterIP: '10.96.3.4',
    selector: { app: 'db' },
    ports: [
      { name: 'pg', port: 5432, protocol: 'TCP', targetPort: 5432 },
      { name: 'metrics', port: 9100, protocol: 'TCP', targetPort: 9100 },
    ],
  },
};

type Case = [string, KubeObject, string, unknown, (o: KubeObject) => unknown, unknown];
/** Read a dotted path ("spec.ports.1") out of an object, for assertions. */
function at(o: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), o);
}
const names = (v: unknown) => (v as { name: string }[]).map((c) => c.name);

describe('strategic merge patch (kubectl)', () => {
  it.each<Case>([
    ['changed replica count (apply)', deployment([web]), 'apps', { metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}\n' } }, spec: { replicas: 3 } }, (o) => [at(o, 'spec.replicas'), o.metadata.annotations], [3, { 'kubectl.kubernetes.io/last-applied-configuration': '{}\n' }]],
    ['added label', deployment([web]), 'apps', { metadata: { labels: { env: 'prod' } } }, (o) => o.metadata.labels, { app: 'web', tier: 'front', env: 'prod' }],
    ['removed label', deployment([web]), 'apps', { metadata: { labels: { tier: null } } }, (o) => o.metadata.labels, { app: 'web' }],
    ['changed container image keeps the rest of the container', deployment([web, sidecar]), 'apps',
      { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'web' }, { name: 'sidecar' }], containers: [{ image: 'nginx:1.27', name: 'web' }] } } } },
      (o) => at(o, 'spec.template.spec.containers'), [{ ...web, image: 'nginx:1.27' }, sidecar]],
    ['$setElementOrder reorders containers', deployment([web, sidecar]), 'apps',
      { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'web' }] } } } },
      (o) => names(at(o, 'spec.template.spec.containers')), ['sidecar', 'web']],
    ['apply adds a container at its place in $setElementOrder', deployment([web]), 'apps',
      { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'web' }, { name: 'sidecar' }], containers: [sidecar] } } } },
      (o) => names(at(o, 'spec.template.spec.containers')), ['web', 'sidecar']],
    ['kubectl patch without order puts a new container first (mergeSortedSlice)', deployment([web]), 'apps',
      { spec: { template: { spec: { containers: [sidecar] } } } },
      (o) => names(at(o, 'spec.template.spec.containers')), ['sidecar', 'web']],
    ['apply removes a container with $patch: delete', deployment([web, sidecar]), 'apps',
      { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'web' }], containers: [{ $patch: 'delete', name: 'sidecar' }] } } } },
      (o) => at(o, 'spec.template.spec.containers'), [web]],
    ['env merged by name, null removes a field of one entry', deployment([web]), 'apps',
      { spec: { template: { spec: { containers: [{ name: 'web', env: [{ name: 'B', value: '3' }, { name: 'A', value: null }] }] } } } },
      (o) => at(o, 'spec.template.spec.containers.0.env'), [{ name: 'B', value: '3' }, { name: 'A' }]],
    ['container ports merged by containerPort', deployment([web]), 'apps',
      { spec: { template: { spec: { containers: [{ name: 'web', '$setElementOrder/ports': [{ containerPort: 80 }, { containerPort: 443 }], ports: [{ containerPort: 443, name: 'https' }] }] } } } },
      (o) => at(o, 'spec.template.spec.containers.0.ports'), [{ containerPort: 80, name: 'http' }, { containerPort: 443, name: 'https' }]],
    ['tolerations have no merge key: replaced', deployment([web]), 'apps',
      { spec: { template: { spec: { tolerations: [{ key: 'y', operator: 'Exists' }] } } } },
      (o) => at(o, 'spec.template.spec.tolerations'), [{ key: 'y', operator: 'Exists' }]],
    ['$retainKeys switches the deployment strategy', deployment([web]), 'apps',
      { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' } } },
      (o) => at(o, 'spec.strategy'), { type: 'Recreate' }],
    ['$deleteFromPrimitiveList removes a finalizer', deployment([web]), 'apps',
      { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }, (o) => o.metadata.finalizers, ['b']],
    ['finalizers merge as a set', deployment([web]), 'apps',
      { metadata: { finalizers: ['b', 'c'] } }, (o) => o.metadata.finalizers, ['a', 'b', 'c']],
    ['$patch: replace on a list', deployment([web, sidecar]), 'apps',
      { spec: { template: { spec: { containers: [{ name: 'only', image: 'x' }, { $patch: 'replace' }] } } } },
      (o) => at(o, 'spec.template.spec.containers'), [{ name: 'only', image: 'x' }]],
    ['$patch: replace on a map', deployment([web]), 'apps',
      { spec: { selector: { $patch: 'replace', matchLabels: { app: 'other' } } } },
      (o) => at(o, 'spec.selector'), { matchLabels: { app: 'other' } }],
    ['$patch: delete on a map empties it', deployment([web]), 'apps',
      { spec: { template: { metadata: { labels: { $patch: 'delete' } } } } },
      (o) => at(o, 'spec.template.metadata.labels'), {}],
    ['$patch: merge on a map is the default', deployment([web]), 'apps',
      { metadata: { labels: { $patch: 'merge', x: 'y' } } }, (o) => o.metadata.labels, { app: 'web', tier: 'front', x: 'y' }],
    ['removing a port from a Service (apply)', service, 'svc',
      { spec: { '$setElementOrder/ports': [{ port: 5432 }], ports: [{ $patch: 'delete', port: 9100 }] } },
      (o) => at(o, 'spec.ports'), [{ name: 'pg', port: 5432, protocol: 'TCP', targetPort: 5432 }]],
    ['changing a Service port target by port', service, 'svc',
      { spec: { '$setElementOrder/ports': [{ port: 5432 }, { port: 9100 }], ports: [{ port: 9100, targetPort: 9200 }] } },
      (o) => at(o, 'spec.ports.1'), { name: 'metrics', port: 9100, protocol: 'TCP', targetPort: 9200 }],
    ['adding clusterIP: None is applied (validation refuses it later)', service, 'svc',
      { spec: { clusterIP: 'None' } }, (o) => at(o, 'spec.clusterIP'), 'None'],
    ['selector labels replaced via null + new key', service, 'svc',
      { spec: { selector: { app: null, role: 'db' } } }, (o) => at(o, 'spec.selector'), { role: 'db' }],
  ])('%s', (_name, original, which, patch, pick, expected) => {
    const resource = which === 'svc' ? services : deployments;
    const body = JSON.parse(JSON.stringify(patch)) as unknown; // drops undefined, as the wire would
    const out = applyPatch(SMP, original, JSON.stringify(body), resource);
    expect(pick(out)).toEqual(expected);
  });

  it('does not modify the original', () => {
    const original = deployment([web]);
    const snapshot = structuredClone(original);
    applyPatch(SMP, original, { spec: { template: { spec: { containers: [{ name: 'web', image: 'x' }] } } } }, deployments);
    expect(original).toEqual(snapshot);
  });

  it('ownerReferences merge by uid', () => {
    const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'a', uid: '1' }] } };
    const out = applyPatch(SMP, pod, { metadata: { ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'b', uid: '2' }] } }, pods);
    expect(out.metadata.ownerReferences?.map((r) => r.uid)).toEqual(['2', '1']);
  });

  it.each<[string, unknown, number]>([
    ['not JSON', '{"spec":', 400],
    ['a list body', '[]', 400],
    ['element without merge key', { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }, 422],
    ['$patch: merge in a list', { spec: { template: { spec: { containers: [{ $patch: 'merge' }] } } } }, 422],
    ['unknown $patch', { spec: { $patch: 'explode' } }, 400],
    ['bad $retainKeys', { spec: { strategy: { $retainKeys: 'type' } } }, 400],
    ['bad $setElementOrder', { spec: { template: { spec: { '$setElementOrder/containers': 'web' } } } }, 400],
    ['bad $deleteFromPrimitiveList', { metadata: { '$deleteFromPrimitiveList/finalizers': 'a' } }, 400],
    ['list of lists', { spec: { template: { spec: { containers: [[1]] } } } }, 422],
  ])('refuses %s', (_name, body, code) => {
    const call = () => applyPatch(SMP, deployment([web]), typeof body === 'string' ? body : JSON.stringify(body), deployments);
    expect(call).toThrow(StatusError);
    try {
      call();
    } catch (err) {
      expect((err as StatusError).code).toBe(code);
      if (code === 422) expect(err).toBeInstanceOf(PatchApplyError);
    }
  });
});
