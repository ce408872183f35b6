// When is a namespace worth grading? Right after `kubectl apply` Pods are still
// starting, ReplicaSets are still scaling and EndpointSlices lag their Pods by a
// moment; grading then would fail a correct solution. So the engine re-observes until
// nothing is still on its way, or its budget runs out. "Stuck" counts as settled: a
// crash-looping Pod or a failing readiness probe will not fix itself, and waiting for
// it would only make a learner's failed attempt slow.
import { SERVICE_NAME_LABEL } from './checks/endpoints.ts';
import { isPodReady, isTerminating, matchesSelector } from './k8s/objects.ts';
import type { Pod, Workload } from './k8s/schemas.ts';
import type { Observed } from './types.ts';

const STUCK_WAITING = new Set(['CrashLoopBackOff', 'ImagePullBackOff', 'ErrImagePull', 'CreateContainerError', 'InvalidImageName', 'RunContainerError']);

/** An Event about this Pod with one of these reasons, seen at least `times` times (its count). */
function hasEvent(observed: Observed, pod: Pod, reasons: readonly string[], times = 1): boolean {
  return observed.events.some((e) => e.involvedObject.kind === 'Pod' && e.involvedObject.name === pod.metadata.name && reasons.includes(e.reason ?? '') && (e.count ?? 1) >= times);
}

/** The Pod will not change by itself: Ready, or stuck in a state that needs the learner. */
export function podSettled(observed: Observed, pod: Pod): boolean {
  if (isTerminating(pod)) return false;
  if (isPodReady(pod)) return true;
  if (pod.status.phase === 'Failed' || pod.status.phase === 'Succeeded') return true;
  return podStuck(observed, pod);
}

function podStuck(observed: Observed, pod: Pod): boolean {
  const waiting = pod.status.containerStatuses.map((c) => c.state.waiting?.reason ?? '');
  if (waiting.some((r) => STUCK_WAITING.has(r))) return true;
  // A missing Secret or ConfigMap is often only late: `kubectl apply -f dir/` goes in
  // file-name order, so secret.yaml lands after deployment.yaml, and the kubelet retries
  // on its own. Stuck only once a retry has failed too (its event seen twice).
  if (waiting.includes('CreateContainerConfigError') && hasEvent(observed, pod, ['Failed'], 2)) return true;
  if (pod.status.phase === 'Pending') {
    return hasEvent(observed, pod, ['FailedScheduling', 'FailedCreatePodSandBox']) || hasEvent(observed, pod, ['FailedMount'], 2);
  }
  // Running, not ready: settled once a readiness probe has failed at least once.
  return pod.status.phase === 'Running' && hasEvent(observed, pod, ['Unhealthy', 'BackOff']);
}

function ownedPods(observed: Observed, kind: string, owner: Workload): Pod[] {
  return observed.pods.filter((p) => p.metadata.ownerReferences.some((r) => r.kind === kind && r.name === owner.metadata.name));
}

function controllerCaughtUp(w: Workload): boolean {
  return w.metadata.generation === undefined || (w.status.observedGeneration ?? 0) >= w.metadata.generation;
}

/** What is still on its way, for the grade's evidence; empty when settled. */
export function unsettled(observed: Observed): string[] {
  const waiting: string[] = [];
  for (const pod of observed.pods) {
    if (!podSettled(observed, pod)) waiting.push(`Pod ${pod.metadata.name}`);
  }
  for (const rs of observed.replicaSets) {
    const live = ownedPods(observed, 'ReplicaSet', rs).filter((p) => !isTerminating(p)).length;
    if (!controllerCaughtUp(rs) || live !== rs.spec.replicas) waiting.push(`ReplicaSet ${rs.metadata.name}`);
  }
  for (const d of observed.deployments) {
    const rsNames = new Set(observed.replicaSets.filter((rs) => rs.metadata.ownerReferences.some((r) => r.kind === 'Deployment' && r.name === d.metadata.name)).map((rs) => rs.metadata.name));
    const pods = observed.pods.filter((p) => p.metadata.ownerReferences.some((r) => r.kind === 'ReplicaSet' && rsNames.has(r.name)));
    const done = d.status.updatedReplicas === d.spec.replicas && d.status.replicas === d.spec.replicas && pods.length === d.spec.replicas;
    // A rollout waiting on a Pod that will never be ready is as far as it will get.
    const blocked = pods.some((p) => !isPodReady(p) && podStuck(observed, p));
    if (!controllerCaughtUp(d) || (!done && !blocked)) waiting.push(`Deployment ${d.metadata.name}`);
  }
  for (const s of observed.statefulSets) {
    const pods = ownedPods(observed, 'StatefulSet', s);
    const blocked = pods.some((p) => !isPodReady(p) && podStuck(observed, p));
    const done = pods.length === s.spec.replicas && pods.every(isPodReady);
    if (!controllerCaughtUp(s) || (!done && !blocked)) waiting.push(`StatefulSet ${s.metadata.name}`);
  }
  for (const svc of observed.services) {
    const selector = svc.spec.selector;
    if (!selector || Object.keys(selector).length === 0) continue;
    // The EndpointSlice controller has caught up when the slices list every selected Pod with an IP, ready as the Pod is.
    const want = new Set(observed.pods.filter((p) => p.status.podIP && matchesSelector(selector, p.metadata.labels) && p.status.phase !== 'Failed' && p.status.phase !== 'Succeeded').map((p) => `${p.status.podIP}:${svc.spec.publishNotReadyAddresses === true || (isPodReady(p) && !isTerminating(p))}`));
    const have = new Set<string>();
    for (const slice of observed.endpointSlices.filter((s) => s.metadata.labels[SERVICE_NAME_LABEL] === svc.metadata.name)) {
      for (const e of slice.endpoints) for (const ip of e.addresses) have.add(`${ip}:${e.conditions.ready !== false}`);
    }
    if (want.size !== have.size || [...want].some((k) => !have.has(k))) waiting.push(`EndpointSlices of Service ${svc.metadata.name}`);
  }
  return waiting;
}
