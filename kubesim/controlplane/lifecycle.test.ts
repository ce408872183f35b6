import { describe, expect, it } from 'vitest';
import { StatusError } from '../core/errors.ts';
import type { StoredObject } from '../core/types.ts';
import { isReady } from './controllers/helpers.ts';
import { startTestCluster, type TestCluster } from './testing/cluster.ts';
import { deployment, service } from './testing/manifests.ts';
import { at, rec, recs, str } from './util/obj.ts';

const waiting = (p: StoredObject) => str(at(recs(at(p, 'status', 'containerStatuses'))[0], 'state', 'waiting', 'reason'));
const events = (c: TestCluster, reason: string) => c.store.list('events', 'default').filter((e) => e.reason === reason).map((e) => String(e.message));
const slicesOf = (c: TestCluster, svc: string) =>
  c.store.list('discovery.k8s.io/endpointslices', 'default').filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === svc);

describe('kubelet, probes and endpoints', () => {
  it('keeps Pods with a failing readiness probe out of ready endpoints until the probe is fixed', async () => {
    const c = await startTestCluster();
    const probe = (path: string) => ({ readinessProbe: { httpGet: { path, port: 80 }, periodSeconds: 2 } });
    c.create('apps/deployments', deployment('web', { container: probe('/healthz') }));
    c.create('services', service('web-service', { selector: { app: 'web' }, ports: [{ port: 80 }] }));
    await c.settle(3000);
    expect(c.pods().every((p) => !isReady(p))).toBe(true);
    const conditions = recs(slicesOf(c, 'web-service')[0]?.endpoints).map((e) => rec(e.conditions)?.ready);
    expect(conditions).toEqual([false, false, false]);
    expect(events(c, 'Unhealthy')[0]).toBe('Readiness probe failed: HTTP probe failed with statuscode: 404');
    const ep = c.store.get('endpoints', 'default', 'web-service');
    expect(recs(recs(ep?.subsets)[0]?.notReadyAddresses)).toHaveLength(3);

    const d = c.store.get('apps/deployments', 'default', 'web')!;
    const containers = recs(at(d, 'spec', 'template', 'spec', 'containers'));
    Object.assign(containers[0]!, probe('/'));
    c.update('apps/deployments', d);
    await c.settle(5000);
    const ready = recs(slicesOf(c, 'web-service')[0]?.endpoints).filter((e) => rec(e.conditions)?.ready === true);
    expect(ready).toHaveLength(3);
    expect(c.errors).toEqual([]);
  });

  it('resolves a named targetPort to the container port', async () => {
    const c = await startTestCluster();
    c.create('apps/deployments', deployment('api', { image: 'hashicorp/http-echo', container: { args: ['-listen=:3000', '-text=hi'], ports: [{ name: 'web', containerPort: 3000 }] } }));
    c.create('services', service('api-service', { selector: { app: 'api' }, ports: [{ port: 80, targetPort: 'web' }] }));
    await c.settle();
    const [slice] = slicesOf(c, 'api-service');
    expect(slice?.ports).toEqual([{ name: '', port: 3000, protocol: 'TCP' }]);
    expect(recs(slice?.endpoints)).toHaveLength(3);
  });

  it('backs off pulling an unknown image', async () => {
    const c = await startTestCluster();
    c.create('apps/deployments', deployment('bad', { replicas: 1, image: 'ngnix:1.28' }));
    await c.settle(2000);
    const [pod] = c.pods();
    expect(waiting(pod!)).toBe('ImagePullBackOff');
    expect(events(c, 'Failed')).toContain('Error: ErrImagePull');
    expect(events(c, 'Failed').some((m) => m.startsWith('Failed to pull image "ngnix:1.28"'))).toBe(true);
  });

  it.each(['golang:1.23', 'python:3.12', 'traefik/whoami', 'praqma/network-multitool'])('ends %s, a real image it does not simulate, in ImagePullBackOff saying so and what it runs', async (image) => {
    const c = await startTestCluster();
    c.create('apps/deployments', deployment('other', { replicas: 1, image }));
    await c.settle(2000);
    const [pod] = c.pods();
    expect(waiting(pod!)).toBe('ImagePullBackOff');
    const failed = events(c, 'Failed').find((m) => m.startsWith(`Failed to pull image "${image}"`));
    expect(failed).toMatch(/rpc error: code = NotFound desc = failed to pull and unpack image "(.*)": failed to resolve reference "\1": \1: not found: this image is not available on the embedded cluster; it runs: alpine, busybox, curlimages\/curl, debian, hashicorp\/http-echo, httpd, kubelab\/workspace, mysql, nginx, nicolaka\/netshoot, postgres, prom\/node-exporter, redis, ubuntu$/);
  });

  it('crash-loops postgres without POSTGRES_PASSWORD, with growing back-off', async () => {
    const c = await startTestCluster();
    c.create('apps/deployments', deployment('db', { replicas: 1, image: 'postgres:16', container: { ports: [{ containerPort: 5432 }] } }));
    await c.settle(2000);
    const [pod] = c.pods();
    expect(waiting(pod!)).toBe('CrashLoopBackOff');
    const status = recs(at(pod, 'status', 'containerStatuses'))[0];
    expect(status?.restartCount).toBeGreaterThanOrEqual(1);
    expect(at(status, 'lastState', 'terminated', 'exitCode')).toBe(1);
    expect(str(at(status, 'state', 'waiting', 'message'))).toMatch(/^back-off \d+s restarting failed container=main pod=db-/);
    expect(events(c, 'BackOff')[0]).toMatch(/^Back-off restarting failed container main in pod db-/);
  });
});

describe('deletion', () => {
  it('collects dependents in the background, foreground and orphan modes', async () => {
    const c = await startTestCluster();
    c.create('apps/deployments', deployment('bg', { replicas: 2 }));
    c.create('apps/deployments', deployment('fg', { replicas: 2 }));
    c.create('apps/deployments', deployment('or', { replicas: 2 }));
    await c.settle();
    const mark = (name: string, finalizer: string) => {
      const d = c.store.get('apps/deployments', 'default', name)!;
      d.metadata.finalizers = [finalizer];
      d.metadata.deletionTimestamp = d.metadata.creationTimestamp;
      c.store.update('apps/deployments', d);
    };
    c.store.remove('apps/deployments', 'default', 'bg');
    mark('fg', 'foregroundDeletion');
    mark('or', 'orphan');
    await c.settle();
    const owners = (prefix: string) => c.store.list('apps/replicasets', 'default').filter((r) => r.metadata.name.startsWith(prefix));
    expect(owners('bg-')).toEqual([]);
    expect(c.pods().filter((p) => p.metadata.name.startsWith('bg-'))).toEqual([]);
    expect(c.store.get('apps/deployments', 'default', 'fg')).toBeUndefined();
    expect(owners('fg-')).toEqual([]);
    expect(c.store.list('pods', 'default').filter((p) => p.metadata.name.startsWith('fg-'))).toEqual([]);
    expect(c.store.get('apps/deployments', 'default', 'or')).toBeUndefined();
    expect(owners('or-')).toHaveLength(1);
    expect(owners('or-')[0]?.metadata.ownerReferences).toEqual([]);
    expect(c.pods().filter((p) => p.metadata.name.startsWith('or-'))).toHaveLength(2);
  });

  it('finishes deleting a namespace, Pods gracefully', async () => {
    const c = await startTestCluster();
    c.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'lab' } });
    c.create('apps/deployments', deployment('web', { ns: 'lab' }));
    c.create('services', service('web', { selector: { app: 'web' }, ports: [{ port: 80 }] }, 'lab'));
    await c.settle();
    expect(c.store.list('pods', 'lab')).toHaveLength(3);
    const ns = c.store.get('namespaces', undefined, 'lab')!;
    ns.metadata.deletionTimestamp = ns.metadata.creationTimestamp;
    ns.status = { phase: 'Terminating' };
    c.store.update('namespaces', ns);
    await c.settle();
    expect(c.store.get('namespaces', undefined, 'lab')).toBeUndefined();
    expect(c.store.list('pods', 'lab')).toEqual([]);
    expect(c.errors).toEqual([]);
  });
});

describe('admission and scheduling', () => {
  it('refuses over-quota Pods and turns them into FailedCreate events on the ReplicaSet', async () => {
    const c = await startTestCluster();
    c.create('resourcequotas', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'lab-quota', namespace: 'default' }, spec: { hard: { pods: '2' } } });
    c.create('apps/deployments', deployment('big', { replicas: 5 }));
    await c.settle();
    expect(c.pods()).toHaveLength(2);
    const failed = c.store.list('events', 'default').find((e) => e.reason === 'FailedCreate');
    expect(String(failed?.message)).toMatch(/^Error creating: pods "big-[a-z0-9]+-[a-z0-9]{5}" is forbidden: exceeded quota: lab-quota, requested: pods=1, used: pods=2, limited: pods=2$/);
    expect(at(c.store.get('resourcequotas', 'default', 'lab-quota'), 'status', 'used')).toEqual({ pods: '2' });
  });

  it('asks for limits when the quota tracks them', async () => {
    const c = await startTestCluster();
    c.create('resourcequotas', { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'compute', namespace: 'default' }, spec: { hard: { 'limits.cpu': '2' } } });
    try {
      c.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'web', image: 'nginx:1.28' }] } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(StatusError);
      expect((e as Error).message).toBe('pods "p" is forbidden: failed quota: compute: must specify limits.cpu for: web');
    }
  });

  it.each([
    ['a nodeSelector nobody matches', { nodeSelector: { disk: 'ssd' } },
      "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.."],
    ['the control plane only, without toleration', { nodeSelector: { 'node-role.kubernetes.io/control-plane': '' } },
      "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.."],
  ])('reports FailedScheduling for %s', async (_name, extra, message) => {
    const c = await startTestCluster();
    c.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'web', image: 'nginx:1.28' }], ...extra } });
    await c.settle(1000);
    const pod = c.store.get('pods', 'default', 'p');
    expect(recs(at(pod, 'status', 'conditions')).find((x) => x.type === 'PodScheduled')).toMatchObject({ status: 'False', reason: 'Unschedulable', message });
    expect(events(c, 'FailedScheduling')).toEqual([message]);
  });

  it('places a Pod that tolerates the taint and selects the control plane there', async () => {
    const c = await startTestCluster();
    c.create('pods', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' },
      spec: {
        containers: [{ name: 'web', image: 'nginx:1.28' }],
        nodeSelector: { 'kubernetes.io/hostname': 'kind-control-plane' },
        tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }],
      },
    });
    await c.settle(1000);
    expect(at(c.store.get('pods', 'default', 'p'), 'spec', 'nodeName')).toBe('kind-control-plane');
    expect(str(at(c.store.get('pods', 'default', 'p'), 'status', 'podIP'))).toMatch(/^10\.244\.0\.\d+$/);
  });

  it('gives the same Pod names, nodes and IPs for the same seed', async () => {
    const run = async () => {
      const c = await startTestCluster(42);
      c.create('apps/deployments', deployment('web'));
      await c.settle();
      return c.pods().map((p) => [p.metadata.name, at(p, 'spec', 'nodeName'), at(p, 'status', 'podIP')]);
    };
    expect(await run()).toEqual(await run());
  });
});
