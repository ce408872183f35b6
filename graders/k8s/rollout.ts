// A Deployment rollout that cannot finish: the new ReplicaSet's Pods never become
// ready, so the controller keeps the old ReplicaSet's Pods (maxUnavailable) and the
// namespace shows old and new Pods side by side. Learners read the old Pods' failures
// and conclude their fix did not apply; naming the rollout tells them it did.
// https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#deployment-status
import type { Observed } from '../types.ts';
import { isPodReady, isTerminating, plural } from './objects.ts';
import { describePodState } from './pod-state.ts';
import type { Pod, Workload } from './schemas.ts';

const REVISION = 'deployment.kubernetes.io/revision';
const HASH_LABEL = 'pod-template-hash';

export interface StuckRollout {
  deployment: string;
  newReplicaSet: string;
  hash: string;
  /** The new ReplicaSet's Pods that are not ready, each with why. */
  notReady: { pod: string; state: string }[];
  oldReplicaSets: string[];
  oldPods: string[];
}

const revision = (rs: Workload): number => Number(rs.metadata.annotations[REVISION] ?? 0);
const ownedBy = (obj: { metadata: { ownerReferences: { kind: string; name: string }[] } }, kind: string, name: string) =>
  obj.metadata.ownerReferences.some((o) => o.kind === kind && o.name === name);

/** The stuck rollout of Deployment `name`, or undefined when it has none (one ReplicaSet with Pods, or the new Pods are ready). */
export function stuckRollout(observed: Observed, name: string): StuckRollout | undefined {
  const sets = observed.replicaSets.filter((rs) => ownedBy(rs, 'Deployment', name)).sort((a, b) => revision(b) - revision(a));
  const [newest, ...older] = sets;
  if (!newest) return undefined;
  const podsOf = (rs: Workload): Pod[] => observed.pods.filter((p) => !isTerminating(p) && ownedBy(p, 'ReplicaSet', rs.metadata.name));
  const fresh = podsOf(newest);
  const oldPods = older.flatMap(podsOf);
  const notReady = fresh.filter((p) => !isPodReady(p));
  if (oldPods.length === 0 || notReady.length === 0) return undefined;
  return {
    deployment: name,
    newReplicaSet: newest.metadata.name,
    hash: newest.metadata.labels[HASH_LABEL] ?? newest.spec.template.metadata.labels[HASH_LABEL] ?? '',
    notReady: notReady.map((p) => ({ pod: p.metadata.name, state: describePodState(observed, p) })),
    oldReplicaSets: older.filter((rs) => podsOf(rs).length > 0).map((rs) => rs.metadata.name),
    oldPods: oldPods.map((p) => p.metadata.name).sort(),
  };
}

/** One sentence: the rollout is stuck, on which new ReplicaSet, and why its Pods are not ready. */
export function describeStuckRollout(r: StuckRollout): string {
  const why = r.notReady.map((p) => `${p.pod} (${p.state})`).join('; ');
  return `The rollout of Deployment ${r.deployment} is stuck: its new ReplicaSet ${r.newReplicaSet} (Pods labelled pod-template-hash=${r.hash}, your latest template) has ${plural(r.notReady.length, 'Pod')} not ready: ${why}. Kubernetes keeps the ${plural(r.oldPods.length, 'Pod')} of the old ReplicaSet${r.oldReplicaSets.length === 1 ? '' : 's'} ${r.oldReplicaSets.join(', ')} (your previous template) until the new Pods are ready, so your change did apply; it is the new Pods that fail`;
}
