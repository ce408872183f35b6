// `workload-ready`: the workload asks for the expected number of replicas and that
// many of its Pods are Ready. A fail names each Pod that is not, and why.
import { describeRef, findWorkload, isPodReady, plural, workloadPods } from '../k8s/objects.ts';
import { describePodState } from '../k8s/pod-state.ts';
import { describeStuckRollout, stuckRollout } from '../k8s/rollout.ts';
import type { CheckParams } from '../params.ts';
import { fail, pass, type CheckFn } from '../types.ts';

export const workloadReadyCheck: CheckFn<CheckParams<'workload-ready'>> = async (params, observed) => {
  const ref = describeRef(params);
  const workload = findWorkload(observed, params);
  if (!workload) {
    const otherKind = params.kind === 'Deployment' ? observed.statefulSets : observed.deployments;
    const sameName = otherKind.find((w) => w.metadata.name === params.name);
    const found = sameName ? `; found a ${params.kind === 'Deployment' ? 'StatefulSet' : 'Deployment'} with that name instead` : '';
    return fail(`No ${ref} in your namespace${found}.`, null, 'no-workload');
  }
  const desired = workload.spec.replicas;
  const want = params.replicas ?? Math.max(desired, 1);
  const pods = workloadPods(observed, params);
  const ready = pods.filter(isPodReady);
  const evidence = {
    desiredReplicas: desired,
    pods: pods.map((p) => ({ name: p.metadata.name, node: p.spec.nodeName ?? null, state: describePodState(observed, p) })),
  };
  if (params.replicas !== undefined && desired !== params.replicas) {
    return fail(`${ref} asks for ${plural(desired, 'replica')}; the exercise needs ${params.replicas} replicas.`, evidence, 'wrong-replicas');
  }
  if (desired === 0) return fail(`${ref} is scaled to 0 replicas.`, evidence, 'scaled-to-zero');
  if (ready.length >= want) return pass(`${ref} has ${ready.length} of ${want} replicas ready.`, evidence);
  const notReady = pods.filter((p) => !isPodReady(p));
  const missing = want - pods.length;
  const details = [
    ...notReady.map((p) => `${p.metadata.name} (${describePodState(observed, p)})`),
    ...(missing > 0 ? [`${plural(missing, 'Pod')} not created yet${params.kind === 'StatefulSet' ? ' (a StatefulSet starts each Pod only after the previous one is ready)' : ''}`] : []),
  ];
  const stuck = params.kind === 'Deployment' ? stuckRollout(observed, params.name) : undefined;
  if (stuck) {
    return fail(`${ref} has ${ready.length} of ${want} replicas ready. ${describeStuckRollout(stuck)}.`, { ...evidence, rollout: { newReplicaSet: stuck.newReplicaSet, podTemplateHash: stuck.hash, oldPods: stuck.oldPods } }, 'rollout-stuck');
  }
  return fail(`${ref} has ${ready.length} of ${want} replicas ready: ${details.join('; ')}.`, evidence, 'not-ready');
};
