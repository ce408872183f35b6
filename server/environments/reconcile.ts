// Start-up agreement between SQLite and the clusters, after a crash or a restart with a
// different database: each pool member keeps only namespaces SQLite knows as live (or
// warm) on that member, and SQLite stops claiming namespaces a member no longer has.
// Only kubelab-labelled objects are ever touched, so sharing a cluster with other
// workloads is safe. A member that does not answer is skipped and reported; its rows
// stay as they are until it is back (the next start-up reconciles it).
import { ClusterUnavailableError } from '../cluster/errors.ts';
import type { PoolMember } from '../cluster/pool/pool.ts';
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
  /** Pool members that did not answer: not reconciled this time. */
  unreachableClusters: string[];
  /** Members that live records name but the pool configuration no longer has. */
  unknownClusters: string[];
}

export async function reconcile(db: Db, service: EnvironmentService): Promise<ReconcileReport> {
  const report: ReconcileReport = { orphansDeleted: [], recordsMarkedDeleted: [], recordsMarkedFailed: [], unreachableClusters: [], unknownClusters: [] };
  for (const member of service.pool.members) {
    try {
      await reconcileMember(db, service, member, report);
    } catch (err) {
      if (!(err instanceof ClusterUnavailableError)) throw err;
      service.pool.reportUnreachable(member.name, err.message);
      report.unreachableClusters.push(member.name);
    }
  }
  const known = new Set(service.pool.members.map((m) => m.name));
  report.unknownClusters = [...new Set(db.environments.listLive().map((e) => e.cluster).filter((c) => !known.has(c)))];
  return report;
}

async function reconcileMember(db: Db, service: EnvironmentService, member: PoolMember, report: ReconcileReport): Promise<void> {
  const cluster = member.client;
  const namespaces = await cluster.list({ apiVersion: 'v1', kind: 'Namespace', labelSelector: L.MANAGED_SELECTOR });
  const inCluster = new Set(namespaces.map((n) => n.metadata.name ?? ''));
  const live = new Map(db.environments.listLiveOnCluster(member.name).map((e) => [e.namespace, e]));
  const warm = db.clusterPool.listWarmOnCluster(member.name);
  const known = new Set([...live.keys(), ...warm.map((w) => w.namespace)]);

  for (const name of inCluster) {
    if (known.has(name)) continue;
    await deleteEnvironment(cluster, name);
    report.orphansDeleted.push(name);
  }

  const bindings = await cluster.list({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', labelSelector: L.MANAGED_SELECTOR });
  for (const binding of bindings) {
    const ns = binding.metadata.labels?.[L.ENVIRONMENT_NAMESPACE];
    if (ns === undefined || known.has(ns) || inCluster.has(ns)) continue;
    await cluster.delete({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name: binding.metadata.name ?? '' });
    report.orphansDeleted.push(`clusterrolebinding/${binding.metadata.name}`);
  }

  // Warm slots: gone from the cluster → forget them; interrupted mid-provisioning → failed, so the refill replaces them.
  for (const w of warm) {
    if (!inCluster.has(w.namespace)) db.clusterPool.removeWarm(w.id);
    else if (w.status === 'provisioning') db.clusterPool.setWarmStatus(w.id, 'failed', 'interrupted by a server restart');
  }

  for (const env of live.values()) {
    await service.withLearnerLock(env.userId, async () => {
      const current = db.environments.selectOptional(env.id);
      if (!current || current.status === 'deleted' || current.cluster !== member.name) return;
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
}
