// Small shared pieces of controller logic: controller references, Pod readiness,
// and deletion as the apiserver performs it (graceful for bound Pods).

import type { Clock } from '../../core/clock.ts';
import type { Store } from '../../core/store.ts';
import type { KubeObject, OwnerReference, StoredObject, StoreEvent } from '../../core/types.ts';
import { at, num, recs, str, timestamp } from '../util/obj.ts';

export function objKey(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}

export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

export function controllerRef(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((r) => r.controller === true);
}

export function ownerRefTo(owner: StoredObject): OwnerReference {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true };
}

/** Keys of the owners of kind `kind` an event's object (old and new) points at. */
export function ownerKeys(event: StoreEvent, kind: string): string[] {
  const out = new Set<string>();
  for (const obj of [event.object, event.old]) {
    const ref = obj ? controllerRef(obj) : undefined;
    if (ref && ref.kind === kind) out.add(`${obj?.metadata.namespace ?? ''}/${ref.name}`);
  }
  return [...out];
}

export function ownedBy(objs: StoredObject[], owner: StoredObject): StoredObject[] {
  return objs.filter((o) => controllerRef(o)?.uid === owner.metadata.uid);
}

export function podPhase(pod: KubeObject): string {
  return str(at(pod, 'status', 'phase')) ?? 'Pending';
}

export function isTerminal(pod: KubeObject): boolean {
  const phase = podPhase(pod);
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Counted by workload controllers: not finished and not being deleted. */
export function isActive(pod: KubeObject): boolean {
  return !isTerminal(pod) && !pod.metadata.deletionTimestamp;
}

export function podCondition(pod: KubeObject, type: string): Record<string, unknown> | undefined {
  return recs(at(pod, 'status', 'conditions')).find((c) => c.type === type);
}

export function isReady(pod: KubeObject): boolean {
  return podCondition(pod, 'Ready')?.status === 'True';
}

/** Ready for at least minReadySeconds (AvailableReplicas). `secondMs` maps seconds to clock ms. */
export function isAvailable(pod: KubeObject, minReadySeconds: number, now: number, secondMs: number): boolean {
  if (!isReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const since = Date.parse(str(podCondition(pod, 'Ready')?.lastTransitionTime) ?? '');
  return Number.isFinite(since) && since + minReadySeconds * secondMs <= now;
}

/**
 * Delete as the apiserver does for a DELETE with default options: a bound Pod gets
 * deletionTimestamp + grace period and is removed by its kubelet; an unbound Pod,
 * or any other object without finalizers, goes at once; finalizers defer removal.
 */
export function deleteObject(store: Store, clock: Clock, key: string, obj: StoredObject): void {
  const current = store.get(key, obj.metadata.namespace, obj.metadata.name);
  if (!current || current.metadata.deletionTimestamp) return;
  const bound = key === 'pods' && str(at(current, 'spec', 'nodeName')) && !isTerminal(current);
  if (bound) {
    const grace = num(at(current, 'spec', 'terminationGracePeriodSeconds')) ?? 30;
    current.metadata.deletionTimestamp = timestamp(clock.now() + grace * 1000);
    current.metadata.deletionGracePeriodSeconds = grace;
    store.update(key, current);
    return;
  }
  if ((current.metadata.finalizers ?? []).length > 0) {
    current.metadata.deletionTimestamp = timestamp(clock.now());
    current.metadata.deletionGracePeriodSeconds = 0;
    store.update(key, current);
    return;
  }
  store.remove(key, current.metadata.namespace, current.metadata.name);
}

/** Set a condition, keeping lastTransitionTime when the status did not change. */
export function setCondition(conditions: Record<string, unknown>[], next: Record<string, unknown>, now: string): Record<string, unknown>[] {
  const prev = conditions.find((c) => c.type === next.type);
  const transition = prev && prev.status === next.status ? prev.lastTransitionTime : now;
  const merged = { ...next, lastTransitionTime: transition };
  return prev ? conditions.map((c) => (c === prev ? merged : c)) : [...conditions, merged];
}

/**
 * At most this many Pods created or deleted per sync of one ReplicaSet or StatefulSet;
 * the rest on later syncs (each batch's Pod events requeue the owner), so a huge
 * replica count never blocks the process. Source: pkg/controller/replicaset
 * (BurstReplicas = 500).
 */
export const BURST_REPLICAS = 500;
