import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CapacityError, LearnerLimitError } from '../../server/environments/errors.ts';
import { LEARNER_RULES } from '../../server/environments/manifests.ts';
import { namespaceFor, nodeReaderBindingFor, ownerHash } from '../../server/environments/naming.ts';
import { eventually, startHarness, START, TTL_MS, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

/** uid of every object an environment consists of, to prove nothing was created twice. */
async function uids(ns: string): Promise<Record<string, string>> {
  const refs = [
    { apiVersion: 'v1', kind: 'Namespace', name: ns },
    { apiVersion: 'v1', kind: 'ServiceAccount', name: 'learner', namespace: ns },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', name: 'learner', namespace: ns },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', name: 'learner', namespace: ns },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name: nodeReaderBindingFor(ns) },
    { apiVersion: 'v1', kind: 'ResourceQuota', name: 'learner-quota', namespace: ns },
    { apiVersion: 'v1', kind: 'LimitRange', name: 'learner-defaults', namespace: ns },
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', name: 'same-namespace-only', namespace: ns },
  ];
  const out: Record<string, string> = {};
  for (const ref of refs) out[ref.kind] = (await h.admin.get(ref)).metadata.uid ?? '';
  return out;
}

async function countNamed(apiVersion: string, kind: string, namespace: string, name: string): Promise<number> {
  return (await h.admin.list({ apiVersion, kind, namespace })).filter((o) => o.metadata.name === name).length;
}

describe('provisioning a learner environment', () => {
  it('creates the namespace with owner, exercise, expiry and Pod Security labels, and every object', async () => {
    const user = h.learner('ada');
    const { environment, created } = await h.service().ensure(user, 'readiness-endpoints');
    expect(created).toBe(true);
    expect(environment).toMatchObject({ status: 'ready', error: null, userId: user, expiresAt: START + TTL_MS });
    const ns = namespaceFor(user, 'readiness-endpoints', h.db.installation.namespaceSalt);
    expect(environment.namespace).toBe(ns);

    const namespace = await h.admin.get({ apiVersion: 'v1', kind: 'Namespace', name: ns });
    expect(namespace.metadata.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'kubelab',
      'kubelab.io/owner': ownerHash(user),
      'kubelab.io/exercise': 'readiness-endpoints',
      'kubelab.io/expires-at': String((START + TTL_MS) / 1000),
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/warn': 'baseline',
    });
    expect(JSON.stringify(namespace.metadata.labels)).not.toContain(`"${user}"`);

    const role = await h.admin.get({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', name: 'learner', namespace: ns });
    expect(role['rules']).toEqual(LEARNER_RULES);
    const binding = await h.admin.get({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name: nodeReaderBindingFor(ns) });
    expect(binding['roleRef']).toMatchObject({ kind: 'ClusterRole', name: 'kubelab-node-reader' });
    expect(binding['subjects']).toEqual([{ kind: 'ServiceAccount', name: 'learner', namespace: ns }]);

    const quota = await h.admin.get({ apiVersion: 'v1', kind: 'ResourceQuota', name: 'learner-quota', namespace: ns });
    expect((quota['spec'] as { hard: Record<string, string> }).hard).toMatchObject({ pods: '20', services: '10' });
    const netpol = await h.admin.get({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', name: 'same-namespace-only', namespace: ns });
    expect(netpol['spec']).toMatchObject({ podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] });
    expect(Object.keys(await uids(ns))).toHaveLength(8);

    // The exercise's setup/ state, applied as admin.
    const web = await h.admin.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: ns });
    expect((web['spec'] as { replicas: number }).replicas).toBe(3);
    await h.admin.get({ apiVersion: 'v1', kind: 'Service', name: 'web-service', namespace: ns });
    // LimitRange defaults let the setup's resource-less Pods in under the quota.
    const pods = await eventually('3 setup pods', async () => {
      const list = await h.admin.list({ apiVersion: 'v1', kind: 'Pod', namespace: ns });
      return list.length >= 3 ? list : undefined;
    });
    expect(pods).toHaveLength(3);

    expect(h.db.environments.selectOptionalByNamespace(ns)?.status).toBe('ready');
  });

  it('repeating creates nothing twice', async () => {
    const user = h.learner('grace');
    const service = h.service();
    const first = await service.ensure(user, 'clusterip-basics');
    const before = await uids(first.environment.namespace);
    const again = await service.ensure(user, 'clusterip-basics');
    expect(again.created).toBe(false);
    expect(again.environment.id).toBe(first.environment.id);
    expect(await uids(first.environment.namespace)).toEqual(before);
  });

  it('two concurrent requests, in one process or two, make one environment', async () => {
    const user = h.learner('linus');
    const service = h.service();
    const inProcess = await Promise.all([service.ensure(user, 'target-port'), service.ensure(user, 'target-port')]);
    expect(inProcess.map((r) => r.created).sort()).toEqual([false, true]);
    expect(inProcess[0].environment.id).toBe(inProcess[1].environment.id);

    // Two services share nothing in memory, like two server processes: only SQLite's
    // UNIQUE namespace and the API's AlreadyExists keep them from doubling up.
    const other = h.learner('margaret');
    const [a, b] = await Promise.all([h.service().ensure(other, 'target-port'), h.service().ensure(other, 'target-port')]);
    expect(a.environment.id).toBe(b.environment.id);
    expect(a.environment.status).toBe('ready');
    expect(b.environment.status).toBe('ready');
    const ns = a.environment.namespace;
    expect(await countNamed('v1', 'ServiceAccount', ns, 'learner')).toBe(1);
    expect(await countNamed('rbac.authorization.k8s.io/v1', 'RoleBinding', ns, 'learner')).toBe(1);
    const namespaces = await h.admin.list({ apiVersion: 'v1', kind: 'Namespace', labelSelector: `kubelab.io/owner=${ownerHash(other)}` });
    expect(namespaces).toHaveLength(1);
  });

  it('limits environments per learner and in total, with distinct codes', async () => {
    const user = h.learner('barbara');
    const service = h.service({ maxEnvironmentsPerLearner: 1 });
    await service.ensure(user, 'clusterip-basics');
    const perLearner = await service.ensure(user, 'target-port').catch((e: unknown) => e);
    expect(perLearner).toBeInstanceOf(LearnerLimitError);
    expect(perLearner).toMatchObject({ statusCode: 429, code: 'learner_environment_limit' });

    const live = h.db.environments.countLive();
    const full = await h.service({ maxEnvironments: live }).ensure(h.learner('edsger'), 'clusterip-basics').catch((e: unknown) => e);
    expect(full).toBeInstanceOf(CapacityError);
    expect(full).toMatchObject({ statusCode: 429, code: 'environment_capacity_reached' });
    expect((full as Error).message).toMatch(/lab is full/);
  });
});
