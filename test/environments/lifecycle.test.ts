import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvironmentNotFoundError } from '../../server/environments/errors.ts';
import { startReaper } from '../../server/environments/reaper.ts';
import { reconcile } from '../../server/environments/reconcile.ts';
import { namespaceFor, nodeReaderBindingFor } from '../../server/environments/naming.ts';
import { startHarness, START, TTL_MS, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const nsRef = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', name });

describe('environment lifecycle', () => {
  it('reset deletes what the learner made and restores the setup state', async () => {
    const service = h.service();
    const user = h.learner('resetter');
    const { environment } = await service.ensure(user, 'readiness-endpoints');
    const ns = environment.namespace;
    const oldUid = (await h.admin.get(nsRef(ns))).metadata.uid;
    await service.apply(user, 'readiness-endpoints', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: scratch}\n');
    await h.admin.patch({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: ns }, { spec: { replicas: 1 } });

    const after = await service.reset(user, 'readiness-endpoints');
    expect(after.status).toBe('ready');
    expect((await h.admin.get(nsRef(ns))).metadata.uid).not.toBe(oldUid);
    expect(await h.admin.find({ apiVersion: 'v1', kind: 'ConfigMap', name: 'scratch', namespace: ns })).toBeUndefined();
    const web = await h.admin.get({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: ns });
    expect((web['spec'] as { replicas: number }).replicas).toBe(3);
    await h.admin.get({ apiVersion: 'v1', kind: 'Service', name: 'web-service', namespace: ns });
  });

  it('extend pushes the expiry (database and label) and issues a fresh kubeconfig', async () => {
    const service = h.service();
    const user = h.learner('extender');
    await service.ensure(user, 'clusterip-basics');
    h.clock.now = START + 3600_000;
    try {
      const { environment, kubeconfig } = await service.extend(user, 'clusterip-basics');
      expect(environment.expiresAt).toBe(h.clock.now + TTL_MS);
      expect(kubeconfig).toContain(environment.namespace);
      const labels = (await h.admin.get(nsRef(environment.namespace))).metadata.labels;
      expect(labels?.['kubelab.io/expires-at']).toBe(String((h.clock.now + TTL_MS) / 1000));
    } finally {
      h.clock.now = START;
    }
  });

  it('delete removes the namespace and its node-reader binding, and the record says deleted', async () => {
    const service = h.service();
    const user = h.learner('deleter');
    const ns = (await service.ensure(user, 'clusterip-basics')).environment.namespace;
    const gone = await service.remove(user, 'clusterip-basics');
    expect(gone.status).toBe('deleted');
    expect(await h.admin.find(nsRef(ns))).toBeUndefined();
    expect(await h.admin.find({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name: nodeReaderBindingFor(ns) })).toBeUndefined();
    expect(() => service.get(user, 'clusterip-basics')).toThrow(EnvironmentNotFoundError);
    // And it can be created again afterwards (the row is reused: namespaces are unique).
    const again = await service.ensure(user, 'clusterip-basics');
    expect(again).toMatchObject({ created: true, environment: { status: 'ready', namespace: ns } });
  });

  it('the reaper deletes expired environments when the injected clock says so', async () => {
    const service = h.service();
    const early = h.learner('early');
    const late = h.learner('late');
    await service.ensure(early, 'target-port');
    h.clock.now = START + 30 * 60_000;
    await service.ensure(late, 'target-port');
    let tick: (() => void) | undefined;
    const reaper = startReaper({ service, now: () => h.clock.now, scheduler: { every: (_ms, fn) => ((tick = fn), () => (tick = undefined)) } });
    try {
      h.clock.now = START + TTL_MS; // early's time is up, late has 30 minutes left
      tick?.();
      const reaped = await reaper.sweep();
      const all = [...reaped, ...(await reaper.sweep())];
      expect(all).toContain(namespaceFor(early, 'target-port', h.db.installation.namespaceSalt));
      expect(all).not.toContain(namespaceFor(late, 'target-port', h.db.installation.namespaceSalt));
      expect(await h.admin.find(nsRef(namespaceFor(early, 'target-port', h.db.installation.namespaceSalt)))).toBeUndefined();
      expect(await h.admin.find(nsRef(namespaceFor(late, 'target-port', h.db.installation.namespaceSalt)))).toBeDefined();
      expect(h.db.environments.selectOptionalByNamespace(namespaceFor(early, 'target-port', h.db.installation.namespaceSalt))?.status).toBe('deleted');
    } finally {
      await reaper.stop();
      h.clock.now = START;
    }
    expect(tick).toBeUndefined();
  });

  it('a restart reconciles: orphan namespaces go, records of vanished namespaces are marked deleted', async () => {
    const before = h.service();
    const kept = h.learner('kept');
    const vanished = h.learner('vanished');
    const keptNs = (await before.ensure(kept, 'clusterip-basics')).environment.namespace;
    const vanishedNs = (await before.ensure(vanished, 'clusterip-basics')).environment.namespace;
    // Behind kubelab's back: an admin deletes one namespace, and a namespace kubelab
    // made is left without a record (as after restoring an older database).
    await h.admin.delete(nsRef(vanishedNs));
    const orphan = 'kl-orphan-0000000000000000';
    await h.admin.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: orphan, labels: { 'app.kubernetes.io/managed-by': 'kubelab' } } });
    await h.admin.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'someone-elses', labels: { team: 'x' } } });

    const restarted = h.service();
    const report = await reconcile(h.db, restarted);
    expect(report.orphansDeleted).toContain(orphan);
    expect(report.recordsMarkedDeleted).toContain(vanishedNs);
    expect(report.orphansDeleted).not.toContain(keptNs);
    expect(h.db.environments.selectOptionalByNamespace(vanishedNs)?.status).toBe('deleted');
    expect(h.db.environments.selectOptionalByNamespace(keptNs)?.status).toBe('ready');
    expect(await h.admin.find(nsRef('someone-elses'))).toBeDefined();
    const orphanNow = await h.admin.find(nsRef(orphan));
    expect(orphanNow === undefined || orphanNow.metadata.deletionTimestamp !== undefined).toBe(true);
  });
});
