import { describe, expect, it } from 'vitest';
import { at, rec, recs, str } from './util/obj.ts';
import { startTestCluster } from './testing/cluster.ts';
import { deployment, service, statefulSet } from './testing/manifests.ts';
import { isReady } from './controllers/helpers.ts';

const nodeOf = (p: object) => str(at(p, 'spec', 'nodeName'));

describe('workload controllers on the real runtime', () => {
  it('boots like kind: three nodes, CoreDNS ready on the control plane, kube-dns endpoints', async () => {
    const c = await startTestCluster();
    expect(c.store.list('nodes').map((n) => n.metadata.name)).toEqual(['kind-control-plane', 'kind-worker', 'kind-worker2']);
    const dns = c.pods('kube-system');
    expect(dns).toHaveLength(2);
    expect(dns.every((p) => nodeOf(p) === 'kind-control-plane' && isReady(p))).toBe(true);
    const ep = c.store.get('endpoints', 'kube-system', 'kube-dns');
    expect(recs(recs(ep?.subsets)[0]?.addresses)).toHaveLength(2);
    expect(c.store.get('serviceaccounts', 'default', 'default')).toBeDefined();
    expect(c.errors).toEqual([]);
  });

  it('runs a Deployment as 3 ready Pods spread over the two workers, rolled out', async () => {
    const c = await startTestCluster();
    c.create('apps/deployments', deployment('backend'));
    await c.settle();
    const pods = c.pods();
    expect(pods).toHaveLength(3);
    expect(pods.every(isReady)).toBe(true);
    expect(new Set(pods.map(nodeOf))).toEqual(new Set(['kind-worker', 'kind-worker2']));
    for (const p of pods) expect(p.metadata.name).toMatch(/^backend-[bcdfghjklmnpqrstvwxz2456789]+-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    const d = c.store.get('apps/deployments', 'default', 'backend');
    expect(at(d, 'status', 'updatedReplicas')).toBe(3);
    expect(at(d, 'status', 'availableReplicas')).toBe(3);
    expect(recs(at(d, 'status', 'conditions')).find((x) => x.type === 'Progressing')?.reason).toBe('NewReplicaSetAvailable');
    expect(c.errors).toEqual([]);
  });

  it('rolls out a template change and scales down', async () => {
    const c = await startTestCluster();
    c.create('apps/deployments', deployment('web'));
    await c.settle();
    const before = new Set(c.pods().map((p) => p.metadata.name));
    const d = c.store.get('apps/deployments', 'default', 'web')!;
    const tmpl = structuredClone(d);
    const containers = recs(at(tmpl, 'spec', 'template', 'spec', 'containers'));
    containers[0]!.image = 'nginx:1.27';
    c.update('apps/deployments', tmpl);
    await c.settle();
    const after = c.store.list('pods', 'default');
    expect(after).toHaveLength(3);
    expect(after.every((p) => !before.has(p.metadata.name))).toBe(true);
    expect(after.every((p) => str(recs(at(p, 'spec', 'containers'))[0]?.image) === 'nginx:1.27')).toBe(true);
    expect(c.store.list('apps/replicasets', 'default')).toHaveLength(2);
    const scaled = c.store.get('apps/deployments', 'default', 'web')!;
    scaled.spec = { ...rec(scaled.spec), replicas: 1 };
    c.update('apps/deployments', scaled);
    await c.settle();
    expect(c.store.list('pods', 'default')).toHaveLength(1);
    expect(c.errors).toEqual([]);
  });

  it('creates StatefulSet Pods in order with stable hostnames', async () => {
    const c = await startTestCluster();
    c.create('services', service('db', { clusterIP: 'None', selector: { app: 'db' }, ports: [{ port: 80 }] }));
    c.create('apps/statefulsets', statefulSet('db', 'db'));
    await c.settle(0);
    expect(c.pods().map((p) => p.metadata.name)).toEqual(['db-0']);
    await c.settle();
    const pods = c.pods();
    expect(pods.map((p) => p.metadata.name)).toEqual(['db-0', 'db-1', 'db-2']);
    const created = pods.map((p) => p.metadata.creationTimestamp);
    expect([...created].sort()).toEqual(created);
    for (const [i, p] of pods.entries()) {
      expect(at(p, 'spec', 'hostname')).toBe(`db-${i}`);
      expect(at(p, 'spec', 'subdomain')).toBe('db');
      expect(p.metadata.labels?.['apps.kubernetes.io/pod-index']).toBe(String(i));
    }
    const slices = c.store.list('discovery.k8s.io/endpointslices', 'default').filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'db');
    expect(recs(slices[0]?.endpoints).map((e) => e.hostname)).toEqual(['db-0', 'db-1', 'db-2']);
    expect(slices[0]?.metadata.labels?.['service.kubernetes.io/headless']).toBe('');
    const sts = c.store.get('apps/statefulsets', 'default', 'db');
    expect(at(sts, 'status', 'readyReplicas')).toBe(3);
    expect(at(sts, 'status', 'currentRevision')).toBe(at(sts, 'status', 'updateRevision'));
    expect(c.errors).toEqual([]);
  });
});
