// Start-up agreement between SQLite and the cluster, after a crash or a restart with a
// different database: the cluster keeps only namespaces SQLite knows as live, and SQLite
// stops claiming namespaces the cluster no longer has. Only kubelab-labelled objects are
// ever touched, so sharing a cluster with other workloads is safe.
import type { Db } from '../db/index.ts';
import * as L from './labels.ts';
import { deleteEnvironment } from './provision.ts';
import type { EnvironmentService } from './service.ts';

export interface ReconcileReport {
  /** kubelab namespaces (or node-reader bindings) SQLite does not know as live: deleted. */
  orphansDeleted: string[];
  /** Live records whose namespace is gone: marked deleted. */
  recordsMarkedDeleted: string[];
  /** Records a dead process left mid-provisioning: marked failed so a PUT retries them. */
  recordsMarkedFailed: string[];
}

export async function reconcile(db: Db, service: EnvironmentService): Promise<ReconcileReport> {
  const cluster = service.cluster;
  const report: ReconcileReport = { orphansDeleted: [], recordsMarkedDeleted: [], recordsMarkedFailed: [] };
  const namespaces = await cluster.list({ apiVersion: 'v1', kind: 'Namespace', labelSelector: L.MANAGED_SELECTOR });
  const inCluster = new Set(namespaces.map((n) => n.metadata.name ?? ''));
  const live = new Map(db.environments.listLive().map((e) => [e.namespace, e]));

  for (const name of inCluster) {
    if (live.has(name)) continue;
    await deleteEnvironment(cluster, name);
    report.orphansDeleted.push(name);
  }

  const bindings = await cluster.list({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', labelSelector: L.MANAGED_SELECTOR });
  for (const binding of bindings) {
    const ns = binding.metadata.labels?.[L.ENVIRONMENT_NAMESPACE];
    if (ns === undefined || live.has(ns) || inCluster.has(ns)) continue;
    await cluster.delete({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name: binding.metadata.name ?? '' });
    report.orphansDeleted.push(`clusterrolebinding/${binding.metadata.name}`);
  }

  for (const env of live.values()) {
    await service.withLearnerLock(env.userId, async () => {
      const current = db.environments.selectOptional(env.id);
      if (!current || current.status === 'deleted') return;
      if (!inCluster.has(env.namespace)) {
        // Also clears a node-reader binding left behind by a half-finished delete.
        await deleteEnvironment(cluster, env.namespace);
        db.environments.setStatus(env.id, 'deleted');
        report.recordsMarkedDeleted.push(env.namespace);
      } else if (current.status === 'deleting') {
        await deleteEnvironment(cluster, env.namespace);
        db.environments.setStatus(env.id, 'deleted');
        report.recordsMarkedDeleted.push(env.namespace);
      } else if (current.status === 'provisioning') {
        db.environments.setStatus(env.id, 'failed', 'interrupted by a server restart; create it again to finish');
        report.recordsMarkedFailed.push(env.namespace);
      }
    });
  }
  return report;
}
