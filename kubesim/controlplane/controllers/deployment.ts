// Deployment controller: one ReplicaSet per Pod template (`<deploy>-<hash>`), rolling
// updates within maxSurge/maxUnavailable, Recreate, history cleanup, and the status
// and conditions `kubectl rollout status` reads.
// Source: pkg/controller/deployment/{sync.go,rolling.go,recreate.go,progress.go},
//         pkg/controller/deployment/util/deployment_util.go

import type { StoredObject, StoreEvent } from '../../core/types.ts';
import type { ControllerContext } from '../context.ts';
import type { Controller } from '../runner.ts';
import { at, intOrString, num, rec, recs, stableJson, str, strMap, timestamp } from '../util/obj.ts';
import { controllerRef, objKey, ownerKeys, ownerRefTo, setCondition, splitKey } from './helpers.ts';
import { podTemplateHash } from './podtemplatehash.ts';
import { defaultPodSpec } from '../strategies/podspec.ts';

const HASH_LABEL = 'pod-template-hash';
const REVISION = 'deployment.kubernetes.io/revision';

function replicasOf(rs: StoredObject): number {
  return num(at(rs, 'spec', 'replicas')) ?? 0;
}

function statusNum(obj: StoredObject, field: string): number {
  return num(at(obj, 'status', field)) ?? 0;
}

/** Template without the hash label, to compare a ReplicaSet's template with the Deployment's. */
function bareTemplate(template: unknown): string {
  const t = structuredClone(rec(template) ?? {});
  // Compare as stored: the ReplicaSet's template went through defaulting on create.
  const podSpec = rec(t.spec);
  if (podSpec) defaultPodSpec(podSpec);
  const labels = rec(rec(t.metadata)?.labels);
  if (labels) delete labels[HASH_LABEL];
  return stableJson(t);
}

/** Resolve an int-or-percent against replicas (surge rounds up, unavailable down). */
export function resolve(value: unknown, total: number, roundUp: boolean): number {
  const v = intOrString(value);
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.endsWith('%')) {
    const pct = (Number(v.slice(0, -1)) * total) / 100;
    return roundUp ? Math.ceil(pct) : Math.floor(pct);
  }
  return 0;
}

export function deploymentController(ctx: ControllerContext): Controller {
  const scale = (rs: StoredObject, to: number, d: StoredObject) => {
    const from = replicasOf(rs);
    if (from === to) return;
    rs.spec = { ...(rec(rs.spec) ?? {}), replicas: to };
    rs.metadata.annotations = { ...rs.metadata.annotations, 'deployment.kubernetes.io/desired-replicas': String(num(at(d, 'spec', 'replicas')) ?? 1) };
    ctx.client.update('apps/replicasets', rs);
    const verb = to > from ? 'up' : 'down';
    ctx.event({ involvedObject: d, reason: 'ScalingReplicaSet', message: `Scaled ${verb} replica set ${rs.metadata.name} from ${from} to ${to}`, source: { component: 'deployment-controller' } });
  };

  const self: Controller = {
    name: 'deployment-controller',
    keysFor(event: StoreEvent) {
      if (event.resource === 'apps/deployments') return [objKey(event.object)];
      if (event.resource === 'apps/replicasets') return ownerKeys(event, 'Deployment');
      return [];
    },
    reconcile(key: string) {
      const { namespace, name } = splitKey(key);
      const d = ctx.store.get('apps/deployments', namespace, name);
      if (!d || d.metadata.deletionTimestamp) return;
      const spec = rec(d.spec) ?? {};
      const replicas = num(spec.replicas) ?? 1;
      const owned = ctx.store.list('apps/replicasets', namespace).filter((rs) => controllerRef(rs)?.uid === d.metadata.uid);
      const wanted = bareTemplate(spec.template);
      let newRS = owned.find((rs) => bareTemplate(at(rs, 'spec', 'template')) === wanted);
      const old = owned.filter((rs) => rs !== newRS);
      const maxRevision = Math.max(0, ...owned.map((rs) => Number(rs.metadata.annotations?.[REVISION] ?? 0)));
      const strategy = rec(spec.strategy) ?? {};
      const recreate = str(strategy.type) === 'Recreate';
      const surge = recreate ? 0 : resolve(at(strategy, 'rollingUpdate', 'maxSurge'), replicas, true);
      let unavailable = recreate ? 0 : resolve(at(strategy, 'rollingUpdate', 'maxUnavailable'), replicas, false);
      if (!recreate && surge === 0 && unavailable === 0) unavailable = 1;
      if (d.spec && rec(d.spec)?.paused === true) return writeStatus(ctx, self, d, newRS, owned, unavailable);

      if (!newRS) {
        const collisionCount = num(at(d, 'status', 'collisionCount')) ?? 0;
        const hash = podTemplateHash(spec.template, collisionCount);
        const template = structuredClone(rec(spec.template) ?? {});
        const tmeta = rec(template.metadata) ?? {};
        tmeta.labels = { ...strMap(tmeta.labels), [HASH_LABEL]: hash };
        template.metadata = tmeta;
        const oldTotal = old.reduce((n, rs) => n + replicasOf(rs), 0);
        const initial = recreate || oldTotal === 0 ? (recreate && oldTotal > 0 ? 0 : replicas) : Math.max(0, Math.min(replicas, replicas + surge - oldTotal));
        const selector = structuredClone(rec(spec.selector) ?? {});
        selector.matchLabels = { ...strMap(selector.matchLabels), [HASH_LABEL]: hash };
        newRS = ctx.client.create('apps/replicasets', {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          metadata: {
            name: `${name}-${hash}`,
            namespace,
            labels: strMap(tmeta.labels),
            annotations: {
              'deployment.kubernetes.io/desired-replicas': String(replicas),
              'deployment.kubernetes.io/max-replicas': String(replicas + surge),
              [REVISION]: String(maxRevision + 1),
            },
            ownerReferences: [ownerRefTo(d)],
          },
          spec: { replicas: initial, minReadySeconds: num(spec.minReadySeconds) ?? 0, selector, template },
        }, 'deployment-controller');
        if (initial > 0) {
          ctx.event({ involvedObject: d, reason: 'ScalingReplicaSet', message: `Scaled up replica set ${newRS.metadata.name} from 0 to ${initial}`, source: { component: 'deployment-controller' } });
        }
        d.metadata.annotations = { ...d.metadata.annotations, [REVISION]: String(maxRevision + 1) };
        ctx.store.update('apps/deployments', d);
        return; // the new ReplicaSet's events bring us back
      }
      if (newRS.metadata.annotations?.[REVISION] !== String(maxRevision) && old.length > 0 && Number(newRS.metadata.annotations?.[REVISION] ?? 0) < maxRevision) {
        // Rolling back to an older template makes it the newest revision again.
        newRS.metadata.annotations = { ...newRS.metadata.annotations, [REVISION]: String(maxRevision + 1) };
        newRS = ctx.client.update('apps/replicasets', newRS);
        d.metadata.annotations = { ...d.metadata.annotations, [REVISION]: String(maxRevision + 1) };
        ctx.store.update('apps/deployments', d);
        return;
      }

      if (recreate) {
        const oldRunning = old.some((rs) => replicasOf(rs) > 0 || statusNum(rs, 'replicas') > 0);
        for (const rs of old) scale(rs, 0, d);
        if (!oldRunning) scale(newRS, replicas, d);
      } else {
        // reconcileNewReplicaSet
        const all = [newRS, ...old];
        const total = all.reduce((n, rs) => n + replicasOf(rs), 0);
        if (replicasOf(newRS) > replicas) scale(newRS, replicas, d);
        else if (replicasOf(newRS) < replicas) {
          const room = replicas + surge - total;
          if (room > 0) scale(newRS, replicasOf(newRS) + Math.min(room, replicas - replicasOf(newRS)), d);
        }
        // reconcileOldReplicaSets
        const fresh = all.map((rs) => ctx.store.get('apps/replicasets', rs.metadata.namespace, rs.metadata.name) ?? rs);
        const [nrs, ...olds] = fresh;
        if (nrs) {
          const allPods = fresh.reduce((n, rs) => n + replicasOf(rs), 0);
          const minAvailable = replicas - unavailable;
          const newUnavailable = replicasOf(nrs) - statusNum(nrs, 'availableReplicas');
          let budget = allPods - minAvailable - newUnavailable;
          const oldestFirst = [...olds].sort((a, b) => a.metadata.creationTimestamp.localeCompare(b.metadata.creationTimestamp));
          // cleanupUnhealthyReplicas: old Pods that are not available go first.
          for (const rs of oldestFirst) {
            if (budget <= 0) break;
            const unhealthy = replicasOf(rs) - statusNum(rs, 'availableReplicas');
            const cut = Math.min(budget, unhealthy);
            if (cut > 0) {
              scale(rs, replicasOf(rs) - cut, d);
              budget -= cut;
            }
          }
          // scaleDownOldReplicaSetsForRollingUpdate: then available ones, keeping minAvailable.
          const current = fresh.map((rs) => ctx.store.get('apps/replicasets', rs.metadata.namespace, rs.metadata.name) ?? rs);
          const totalAvailable = current.reduce((n, rs) => n + statusNum(rs, 'availableReplicas'), 0);
          let down = totalAvailable - minAvailable;
          for (const rs of current.slice(1).sort((a, b) => a.metadata.creationTimestamp.localeCompare(b.metadata.creationTimestamp))) {
            if (down <= 0) break;
            const cut = Math.min(down, replicasOf(rs));
            if (cut > 0) {
              scale(rs, replicasOf(rs) - cut, d);
              down -= cut;
            }
          }
        }
      }
      // cleanupDeployment: keep revisionHistoryLimit old, empty ReplicaSets.
      const limit = num(spec.revisionHistoryLimit) ?? 10;
      const empties = old
        .map((rs) => ctx.store.get('apps/replicasets', rs.metadata.namespace, rs.metadata.name))
        .filter((rs): rs is StoredObject => !!rs && replicasOf(rs) === 0 && statusNum(rs, 'replicas') === 0)
        .sort((a, b) => Number(a.metadata.annotations?.[REVISION] ?? 0) - Number(b.metadata.annotations?.[REVISION] ?? 0));
      for (const rs of empties.slice(0, Math.max(0, empties.length - limit))) ctx.store.remove('apps/replicasets', namespace, rs.metadata.name);
      const latest = ctx.store.list('apps/replicasets', namespace).filter((rs) => controllerRef(rs)?.uid === d.metadata.uid);
      writeStatus(ctx, self, d, latest.find((rs) => rs.metadata.uid === newRS?.metadata.uid), latest, unavailable);
    },
  };
  return self;
}

function writeStatus(
  ctx: ControllerContext, self: Controller, d: StoredObject, newRS: StoredObject | undefined, all: StoredObject[], maxUnavailable: number,
): void {
  const spec = rec(d.spec) ?? {};
  const replicas = num(spec.replicas) ?? 1;
  const now = timestamp(ctx.clock.now());
  const sum = (field: string) => all.reduce((n, rs) => n + statusNum(rs, field), 0);
  const available = sum('availableReplicas');
  const updated = newRS ? statusNum(newRS, 'replicas') : 0;
  const total = sum('replicas');
  const prevStatus = rec(d.status) ?? {};
  let conditions = recs(prevStatus.conditions);
  const availableOk = available >= replicas - maxUnavailable;
  conditions = setCondition(conditions, availableOk
    ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
    : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' }, now);
  const rsName = newRS?.metadata.name ?? '';
  const complete = newRS !== undefined && updated === replicas && available >= replicas && total === replicas && replicasOf(newRS) === replicas;
  const prevProgressing = conditions.find((c) => c.type === 'Progressing');
  const progressed = stableJson([updated, available, total]) !== stableJson([prevStatus.updatedReplicas ?? 0, prevStatus.availableReplicas ?? 0, prevStatus.replicas ?? 0]);
  let progressing: Record<string, unknown> | undefined;
  if (complete) {
    progressing = { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rsName}" has successfully progressed.` };
  } else if (newRS) {
    const deadline = num(spec.progressDeadlineSeconds) ?? 600;
    const lastUpdate = Date.parse(str(prevProgressing?.lastUpdateTime) ?? now);
    const timedOut = !progressed && prevProgressing?.reason !== 'NewReplicaSetAvailable' && ctx.clock.now() - lastUpdate >= deadline * ctx.pace.secondMs;
    if (timedOut || prevProgressing?.reason === 'ProgressDeadlineExceeded') {
      progressing = { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${rsName}" has timed out progressing.` };
    } else {
      const created = prevProgressing === undefined;
      progressing = created
        ? { type: 'Progressing', status: 'True', reason: 'NewReplicaSetCreated', message: `Created new replica set "${rsName}"` }
        : { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${rsName}" is progressing.` };
      ctx.runner.enqueueAfter(self, objKey(d), deadline * ctx.pace.secondMs);
    }
  }
  if (progressing) {
    const same = prevProgressing && prevProgressing.reason === progressing.reason && prevProgressing.status === progressing.status && !progressed;
    const withTimes = { ...progressing, lastUpdateTime: same ? prevProgressing.lastUpdateTime : now };
    conditions = setCondition(conditions, withTimes, now);
  }
  const failure = newRS ? recs(at(newRS, 'status', 'conditions')).find((c) => c.type === 'ReplicaFailure') : undefined;
  conditions = failure
    ? setCondition(conditions, { type: 'ReplicaFailure', status: 'True', reason: failure.reason, message: failure.message, lastUpdateTime: now }, now)
    : conditions.filter((c) => c.type !== 'ReplicaFailure');
  for (const c of conditions) if (c.lastUpdateTime === undefined) c.lastUpdateTime = now;
  // Keep the order kubectl shows: Available, Progressing, ReplicaFailure.
  const order = ['Available', 'Progressing', 'ReplicaFailure'];
  conditions.sort((a, b) => order.indexOf(String(a.type)) - order.indexOf(String(b.type)));
  const status: Record<string, unknown> = {
    observedGeneration: d.metadata.generation ?? 1,
    replicas: total,
    updatedReplicas: updated,
    readyReplicas: sum('readyReplicas'),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, total - available, replicas - available),
    conditions,
  };
  for (const k of ['replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas']) if (status[k] === 0) delete status[k];
  if (prevStatus.collisionCount !== undefined) status.collisionCount = prevStatus.collisionCount;
  d.status = status;
  ctx.client.updateIfChanged('apps/deployments', d);
}
