// A full cluster is the platform's fault, never the learner's. When a learner's Pod
// cannot be placed because nodes are out of Pod slots (the scheduler's "Too many
// pods"), or a node turned a Pod away for the same reason (OutOfpods), checks that
// fail on that namespace did not judge the learner's work: they become `error`, with
// a sentence that says so, and the attempt is not held against anyone.
import type { Pod } from './k8s/schemas.ts';
import type { Observed } from './types.ts';

const OUT_OF_ROOM = /\bToo many pods\b/;

function roomProblem(pod: Pod): string | undefined {
  if (pod.status.phase === 'Failed' && pod.status.reason === 'OutOfpods') return pod.status.message ?? 'OutOfpods';
  if (pod.status.phase !== 'Pending') return undefined;
  const scheduled = pod.status.conditions.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False' && OUT_OF_ROOM.test(scheduled.message ?? '')) return scheduled.message;
  return undefined;
}

/** Why the cluster, not the learner, keeps some of their Pods from running; undefined when it does not. */
export function clusterOutOfRoom(observed: Observed): string | undefined {
  for (const pod of observed.pods) {
    const problem = roomProblem(pod);
    if (problem !== undefined) return `Pod ${pod.metadata.name} could not be placed: ${problem}`;
  }
  return undefined;
}

export function outOfRoomMessage(problem: string): string {
  return `Not graded: the cluster has no room for your Pods right now (${problem}). This is not your mistake; try again in a few minutes, or tell your instructor.`;
}
