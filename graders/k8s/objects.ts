// Reading the snapshot the way Kubernetes itself relates objects: label selectors,
// owner references, Pod readiness.
import type { WorkloadRef } from '../params.ts';
import type { Observed } from '../types.ts';
import type { LabelSelector, Pod, Service, Workload } from './schemas.ts';

/**
 * Orders names (of objects, of labels) by code unit, as Kubernetes itself sorts them.
 * Not localeCompare: its first call builds an ICU collator, ~10 ms of a one-shot grade,
 * and its order would follow the machine's locale.
 */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `app=web,tier=backend`, sorted, as kubectl shows selectors. */
export function formatLabels(labels: Readonly<Record<string, string>>): string {
  const pairs = Object.entries(labels).sort(([a], [b]) => byCodeUnit(a, b));
  return pairs.length === 0 ? '(no labels)' : pairs.map(([k, v]) => `${k}=${v}`).join(',');
}

/** A Service selector (equality only): every key=value must be on the object. */
export function matchesSelector(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** A workload's LabelSelector (matchLabels + matchExpressions). */
export function matchesLabelSelector(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  if (!matchesSelector(selector.matchLabels ?? {}, labels)) return false;
  return (selector.matchExpressions ?? []).every((e) => {
    const has = Object.hasOwn(labels, e.key);
    const value = labels[e.key];
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
        return has && value !== undefined && values.includes(value);
      case 'NotIn':
        return !has || (value !== undefined && !values.includes(value));
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        return false;
    }
  });
}

export function isPodReady(pod: Pod): boolean {
  return pod.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

export function isTerminating(obj: { metadata: { deletionTimestamp?: string | undefined } }): boolean {
  return obj.metadata.deletionTimestamp !== undefined;
}

export function findService(observed: Observed, name: string): Service | undefined {
  return observed.services.find((s) => s.metadata.name === name);
}

export function findWorkload(observed: Observed, ref: WorkloadRef): Workload | undefined {
  const list = ref.kind === 'Deployment' ? observed.deployments : observed.statefulSets;
  return list.find((w) => w.metadata.name === ref.name);
}

function ownedBy(obj: { metadata: { ownerReferences: { kind: string; name: string; uid?: string | undefined }[] } }, kind: string, owner: { metadata: { name: string; uid?: string | undefined } }): boolean {
  return obj.metadata.ownerReferences.some(
    (r) => r.kind === kind && r.name === owner.metadata.name && (r.uid === undefined || owner.metadata.uid === undefined || r.uid === owner.metadata.uid),
  );
}

/**
 * The live (not terminating) Pods a workload owns: Deployment → its ReplicaSets → Pods,
 * StatefulSet → Pods. Owner references, not labels: a Pod the learner labelled by hand
 * is not part of the workload.
 */
export function workloadPods(observed: Observed, ref: WorkloadRef): Pod[] {
  const workload = findWorkload(observed, ref);
  if (!workload) return [];
  let owners: { kind: string; obj: Workload }[];
  if (ref.kind === 'Deployment') {
    owners = observed.replicaSets.filter((rs) => ownedBy(rs, 'Deployment', workload)).map((obj) => ({ kind: 'ReplicaSet', obj }));
  } else owners = [{ kind: 'StatefulSet', obj: workload }];
  return observed.pods
    .filter((p) => !isTerminating(p) && owners.some((o) => ownedBy(p, o.kind, o.obj)))
    .sort((a, b) => byCodeUnit(a.metadata.name, b.metadata.name));
}

/** `Deployment backend` */
export function describeRef(ref: WorkloadRef): string {
  return `${ref.kind} ${ref.name}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function podNames(pods: readonly Pod[]): string {
  return pods.map((p) => p.metadata.name).join(', ');
}
