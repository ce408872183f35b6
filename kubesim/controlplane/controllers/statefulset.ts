// StatefulSet controller: Pods `<sts>-<ordinal>` with hostname/subdomain and the
// identity labels; OrderedReady creates N+1 only once 0..N are Running and Ready,
// scales down from the highest ordinal one at a time, rolls updates from the highest
// ordinal down to the partition; status for `kubectl rollout status sts/x`.
// Source: pkg/controller/statefulset/stateful_set_control.go, stateful_set_utils.go

import { StatusError } from '../../core/errors.ts';
import type { StoredObject, StoreEvent } from '../../core/types.ts';
import type { ControllerContext } from '../context.ts';
import type { Controller } from '../runner.ts';
import { at, num, rec, str, strMap } from '../util/obj.ts';
import { BURST_REPLICAS, controllerRef, deleteObject, isAvailable, isReady, isTerminal, objKey, ownerKeys, ownerRefTo, podPhase, splitKey } from './helpers.ts';
import { podTemplateHash } from './podtemplatehash.ts';

const REVISION_LABEL = 'controller-revision-hash';

function ordinalOf(stsName: string, pod: StoredObject): number {
  const m = new RegExp(`^${stsName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-(\\d+)$`).exec(pod.metadata.name);
  return m ? Number(m[1]) : -1;
}

function runningAndReady(pod: StoredObject): boolean {
  return podPhase(pod) === 'Running' && isReady(pod) && !pod.metadata.deletionTimestamp;
}

export function statefulSetController(ctx: ControllerContext): Controller {
  const source = { component: 'statefulset-controller' };
  return {
    name: 'statefulset-controller',
    keysFor(event: StoreEvent) {
      if (event.resource === 'apps/statefulsets') return [objKey(event.object)];
      if (event.resource === 'pods') return ownerKeys(event, 'StatefulSet');
      return [];
    },
    reconcile(key: string) {
      const { namespace, name } = splitKey(key);
      const sts = ctx.store.get('apps/statefulsets', namespace, name);
      if (!sts || sts.metadata.deletionTimestamp) return;
      const spec = rec(sts.spec) ?? {};
      const replicas = num(spec.replicas) ?? 1;
      const parallel = str(spec.podManagementPolicy) === 'Parallel';
      const partition = num(at(spec, 'updateStrategy', 'rollingUpdate', 'partition')) ?? 0;
      const onDelete = str(at(spec, 'updateStrategy', 'type')) === 'OnDelete';
      const updateRevision = `${name}-${podTemplateHash(spec.template)}`;
      const owned = ctx.store.scan('pods', namespace).filter((p) => controllerRef(p)?.uid === sts.metadata.uid);
      const byOrdinal = new Map(owned.map((p) => [ordinalOf(name, p), p]));
      const prevStatus = rec(sts.status) ?? {};
      let currentRevision = str(prevStatus.currentRevision) ?? updateRevision;

      const createPod = (i: number): boolean => {
        const template = rec(spec.template) ?? {};
        const podName = `${name}-${i}`;
        const podSpec = structuredClone(rec(template.spec) ?? {});
        podSpec.hostname = podName;
        const serviceName = str(spec.serviceName);
        if (serviceName) podSpec.subdomain = serviceName;
        // Pods below the partition keep the current revision's template (we only keep the latest template).
        try {
          ctx.client.create('pods', {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: {
              name: podName,
              namespace,
              labels: {
                ...strMap(at(template, 'metadata', 'labels')),
                'apps.kubernetes.io/pod-index': String(i),
                [REVISION_LABEL]: updateRevision,
                'statefulset.kubernetes.io/pod-name': podName,
              },
              ownerReferences: [ownerRefTo(sts)],
            },
            spec: podSpec,
          }, 'statefulset-controller');
          ctx.event({ involvedObject: sts, reason: 'SuccessfulCreate', message: `create Pod ${podName} in StatefulSet ${name} successful`, source });
          return true;
        } catch (error) {
          if (!(error instanceof StatusError)) throw error;
          ctx.event({ involvedObject: sts, reason: 'FailedCreate', message: `create Pod ${podName} in StatefulSet ${name} failed error: ${error.message}`, type: 'Warning', source });
          return false;
        }
      };
      const deletePod = (pod: StoredObject) => {
        deleteObject(ctx.store, ctx.clock, 'pods', pod);
        ctx.event({ involvedObject: sts, reason: 'SuccessfulDelete', message: `delete Pod ${pod.metadata.name} in StatefulSet ${name} successful`, source });
      };

      work: {
        // Failed Pods are replaced.
        for (const pod of owned) if (isTerminal(pod) && !pod.metadata.deletionTimestamp) deletePod(pod);
        let created = 0;
        for (let i = 0; i < replicas; i++) {
          const pod = byOrdinal.get(i);
          if (!pod) {
            if (!createPod(i)) break work;
            // Parallel: a bounded batch per sync; the new Pods' events bring us back.
            if (!parallel || ++created >= BURST_REPLICAS) break work;
            continue;
          }
          if (!parallel && !runningAndReady(pod)) break work;
        }
        // Scale down: highest ordinal first, one at a time unless Parallel.
        const extra = owned.filter((p) => ordinalOf(name, p) >= replicas).sort((a, b) => ordinalOf(name, b) - ordinalOf(name, a));
        if (extra.length > 0) {
          if (owned.some((p) => p.metadata.deletionTimestamp) && !parallel) break work;
          for (const pod of extra.slice(0, parallel ? BURST_REPLICAS : 1)) if (!pod.metadata.deletionTimestamp) deletePod(pod);
          break work;
        }
        if (onDelete) break work;
        // Rolling update: highest ordinal first, down to the partition, once all are ready.
        if (owned.some((p) => !runningAndReady(p))) break work;
        const stale = owned
          .filter((p) => ordinalOf(name, p) >= partition && p.metadata.labels?.[REVISION_LABEL] !== updateRevision)
          .sort((a, b) => ordinalOf(name, b) - ordinalOf(name, a));
        const first = stale[0];
        if (first) deletePod(first);
      }

      const pods = ctx.store.scan('pods', namespace).filter((p) => controllerRef(p)?.uid === sts.metadata.uid);
      const updated = pods.filter((p) => p.metadata.labels?.[REVISION_LABEL] === updateRevision);
      if (updated.length === replicas && pods.length === replicas && pods.every(runningAndReady)) currentRevision = updateRevision;
      const minReady = num(spec.minReadySeconds) ?? 0;
      const status: Record<string, unknown> = {
        observedGeneration: sts.metadata.generation ?? 1,
        replicas: pods.length,
        readyReplicas: pods.filter(isReady).length,
        currentReplicas: pods.filter((p) => p.metadata.labels?.[REVISION_LABEL] === currentRevision).length,
        updatedReplicas: updated.length,
        availableReplicas: pods.filter((p) => isAvailable(p, minReady, ctx.clock.now(), ctx.pace.secondMs)).length,
        currentRevision,
        updateRevision,
        collisionCount: 0,
      };
      for (const k of ['readyReplicas', 'currentReplicas', 'updatedReplicas']) if (status[k] === 0) delete status[k];
      sts.status = status;
      ctx.client.updateIfChanged('apps/statefulsets', sts);
    },
  };
}
