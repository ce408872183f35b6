// ReplicaSet controller: keep spec.replicas active Pods, create through admission (so
// ResourceQuota refusals become FailedCreate events, as on a real cluster), delete the
// least valuable Pods first, and report status.
// Source: pkg/controller/replicaset/replica_set.go, pkg/controller/controller_utils.go (ActivePodsWithRanks)

import { StatusError } from '../../core/errors.ts';
import type { StoredObject, StoreEvent } from '../../core/types.ts';
import type { ControllerContext } from '../context.ts';
import type { Controller } from '../runner.ts';
import { at, num, rec, recs, str, strMap, timestamp } from '../util/obj.ts';
import { selectorMatches } from '../util/selector.ts';
import {
  BURST_REPLICAS, controllerRef, deleteObject, isActive, isAvailable, isReady, objKey, ownerKeys, ownerRefTo, podPhase, splitKey,
} from './helpers.ts';

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** Lower sorts first = deleted first: unscheduled, pending, not ready, restarted more, newer. */
function deletionOrder(a: StoredObject, b: StoredObject): number {
  const nodeA = str(at(a, 'spec', 'nodeName')) ? 1 : 0;
  const nodeB = str(at(b, 'spec', 'nodeName')) ? 1 : 0;
  if (nodeA !== nodeB) return nodeA - nodeB;
  const pa = PHASE_RANK[podPhase(a)] ?? 0;
  const pb = PHASE_RANK[podPhase(b)] ?? 0;
  if (pa !== pb) return pa - pb;
  const ra = isReady(a) ? 1 : 0;
  const rb = isReady(b) ? 1 : 0;
  if (ra !== rb) return ra - rb;
  const ta = a.metadata.creationTimestamp;
  const tb = b.metadata.creationTimestamp;
  if (ta !== tb) return tb.localeCompare(ta);
  return b.metadata.name.localeCompare(a.metadata.name);
}

export function replicaSetController(ctx: ControllerContext): Controller {
  const failures = new Map<string, string>();
  // After a refused create, wait for the back-off before trying again (the rate-limited
  // requeue), even when our own status write wakes us sooner.
  const retryAt = new Map<string, number>();
  const self: Controller = {
    name: 'replicaset-controller',
    keysFor(event: StoreEvent) {
      if (event.resource === 'apps/replicasets') return [objKey(event.object)];
      if (event.resource === 'pods') return ownerKeys(event, 'ReplicaSet');
      return [];
    },
    reconcile(key: string) {
      const { namespace, name } = splitKey(key);
      const rs = ctx.store.get('apps/replicasets', namespace, name);
      if (!rs || rs.metadata.deletionTimestamp) return;
      const spec = rec(rs.spec) ?? {};
      const want = num(spec.replicas) ?? 1;
      // scan, not list: copying every Pod of a namespace on each sync is quadratic at scale.
      const pods = ctx.store.scan('pods', namespace);
      const mine = pods.filter((p) => controllerRef(p)?.uid === rs.metadata.uid);
      // Adopt orphans the selector matches (ClaimPods).
      for (const found of pods) {
        if (!controllerRef(found) && !found.metadata.deletionTimestamp && selectorMatches(spec.selector, found.metadata.labels ?? {})) {
          const p = structuredClone(found);
          p.metadata.ownerReferences = [...(p.metadata.ownerReferences ?? []), ownerRefTo(rs)];
          mine.push(ctx.store.update('pods', p));
        }
      }
      const active = mine.filter(isActive);
      const diff = active.length - want;
      const backingOff = (retryAt.get(key) ?? 0) > ctx.clock.now();
      if (diff < 0 && !backingOff) {
        failures.delete(key);
        retryAt.delete(key);
        const template = rec(spec.template) ?? {};
        for (let i = 0; i < Math.min(-diff, BURST_REPLICAS); i++) {
          try {
            const pod = ctx.client.create('pods', {
              apiVersion: 'v1',
              kind: 'Pod',
              metadata: {
                generateName: `${name}-`,
                namespace,
                labels: strMap(at(template, 'metadata', 'labels')),
                ...(rec(at(template, 'metadata', 'annotations')) ? { annotations: strMap(at(template, 'metadata', 'annotations')) } : {}),
                ownerReferences: [ownerRefTo(rs)],
              },
              spec: structuredClone(rec(template.spec) ?? {}),
            }, 'replicaset-controller');
            ctx.event({ involvedObject: rs, reason: 'SuccessfulCreate', message: `Created pod: ${pod.metadata.name}`, source: { component: 'replicaset-controller' } });
          } catch (error) {
            if (!(error instanceof StatusError)) throw error;
            const message = `Error creating: ${error.message}`;
            failures.set(key, message);
            ctx.event({ involvedObject: rs, reason: 'FailedCreate', message, type: 'Warning', source: { component: 'replicaset-controller' } });
            // Retry later, as the controller's rate-limited queue does.
            retryAt.set(key, ctx.clock.now() + 10 * ctx.pace.secondMs);
            ctx.runner.enqueueAfter(self, key, 10 * ctx.pace.secondMs);
            break;
          }
        }
      } else if (diff > 0) {
        for (const pod of [...active].sort(deletionOrder).slice(0, Math.min(diff, BURST_REPLICAS))) {
          deleteObject(ctx.store, ctx.clock, 'pods', pod);
          ctx.event({ involvedObject: rs, reason: 'SuccessfulDelete', message: `Deleted pod: ${pod.metadata.name}`, source: { component: 'replicaset-controller' } });
        }
      }
      writeStatus(ctx, self, key, failures.get(key));
    },
  };
  return self;
}

function writeStatus(ctx: ControllerContext, self: Controller, key: string, failure: string | undefined): void {
  const { namespace, name } = splitKey(key);
  const rs = ctx.store.get('apps/replicasets', namespace, name);
  if (!rs) return;
  const spec = rec(rs.spec) ?? {};
  const minReady = num(spec.minReadySeconds) ?? 0;
  const now = ctx.clock.now();
  const pods = ctx.store.scan('pods', namespace).filter((p) => controllerRef(p)?.uid === rs.metadata.uid && isActive(p));
  const templateLabels = strMap(at(spec, 'template', 'metadata', 'labels'));
  const ready = pods.filter(isReady);
  const available = pods.filter((p) => isAvailable(p, minReady, now, ctx.pace.secondMs));
  if (available.length < ready.length) ctx.runner.enqueueAfter(self, key, minReady * ctx.pace.secondMs);
  const status: Record<string, unknown> = {
    replicas: pods.length,
    fullyLabeledReplicas: pods.filter((p) => Object.entries(templateLabels).every(([k, v]) => p.metadata.labels?.[k] === v)).length,
    readyReplicas: ready.length,
    availableReplicas: available.length,
    observedGeneration: rs.metadata.generation ?? 1,
  };
  if (failure) {
    const prev = recs(at(rs, 'status', 'conditions')).find((c) => c.type === 'ReplicaFailure');
    const since = str(prev?.lastTransitionTime) ?? timestamp(now);
    status.conditions = [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: failure, lastTransitionTime: since }];
  }
  // kubectl shows zero counts as absent fields, as the real API omits them.
  for (const k of ['readyReplicas', 'availableReplicas']) if (status[k] === 0) delete status[k];
  rs.status = status;
  ctx.client.updateIfChanged('apps/replicasets', rs);
}
