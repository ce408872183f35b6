// The Pod status a kubelet reports from its container states: phase, the five
// conditions in kubelet order, and containerStatuses.
// Source: pkg/kubelet/kubelet_pods.go (getPhase, generateAPIPodStatus), pkg/kubelet/status/generate.go

import type { StoredObject } from '../../core/types.ts';
import { setCondition } from '../controllers/helpers.ts';
import { at, rec, recs, str } from '../util/obj.ts';
import { imageID, normalizeImage } from './images.ts';
import type { ContainerState, PodState } from './state.ts';

function stateOf(c: ContainerState): Record<string, unknown> {
  if (c.stage === 'running') return { running: { startedAt: c.startedAt } };
  if (c.stage === 'done' && c.terminated) return { terminated: { ...c.terminated } };
  if (c.stage === 'exited' && c.lastTerminated) return { terminated: { ...c.lastTerminated } };
  return { waiting: { reason: c.waitingReason ?? 'ContainerCreating', ...(c.waitingMessage ? { message: c.waitingMessage } : {}) } };
}

export function phaseOf(pod: StoredObject, state: PodState): string {
  const restart = str(at(pod, 'spec', 'restartPolicy')) ?? 'Always';
  const cs = state.containers;
  const everStarted = (c: ContainerState) => c.stage === 'running' || c.restartCount > 0 || c.lastTerminated !== undefined || c.terminated !== undefined;
  if (restart !== 'Always' && cs.length > 0 && cs.every((c) => c.stage === 'done')) {
    return cs.every((c) => c.terminated?.exitCode === 0) ? 'Succeeded' : 'Failed';
  }
  if (cs.some((c) => c.stage === 'running') || cs.some(everStarted)) return 'Running';
  return 'Pending';
}

export function buildStatus(pod: StoredObject, state: PodState, hostIP: string, now: string): Record<string, unknown> {
  const prev = rec(pod.status) ?? {};
  const sandboxReady = state.podIP !== undefined;
  const containersReady = state.containers.length > 0 && state.containers.every((c) => c.ready);
  const unready = state.containers.filter((c) => !c.ready).map((c) => c.name);
  const notReady = { reason: 'ContainersNotReady', message: `containers with unready status: [${unready.join(' ')}]` };
  // Copies: the Pod may be the store's frozen object, and True conditions lose reason/message below.
  let conditions = recs(prev.conditions).map((c) => ({ ...c }));
  const set = (c: Record<string, unknown>) => {
    conditions = setCondition(conditions, { lastProbeTime: null, ...c }, now);
  };
  set({ type: 'PodReadyToStartContainers', status: sandboxReady ? 'True' : 'False' });
  set({ type: 'Initialized', status: 'True' });
  set(containersReady ? { type: 'Ready', status: 'True' } : { type: 'Ready', status: 'False', ...notReady });
  set(containersReady ? { type: 'ContainersReady', status: 'True' } : { type: 'ContainersReady', status: 'False', ...notReady });
  set({ type: 'PodScheduled', status: 'True' });
  const order = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];
  conditions.sort((a, b) => order.indexOf(String(a.type)) - order.indexOf(String(b.type)));
  for (const c of conditions) {
    if (c.status === 'True') {
      delete c.reason;
      delete c.message;
    }
  }
  const containerStatuses = state.containers.map((c) => ({
    ...(c.containerID ? { containerID: c.containerID } : {}),
    image: normalizeImage(c.image),
    imageID: c.containerID ? imageID(c.image) : '',
    lastState: c.lastTerminated ? { terminated: { ...c.lastTerminated } } : {},
    name: c.name,
    ready: c.ready,
    restartCount: c.restartCount,
    started: c.stage === 'running' && c.started,
    state: stateOf(c),
  }));
  const status: Record<string, unknown> = {
    phase: phaseOf(pod, state),
    conditions,
    hostIP,
    hostIPs: [{ ip: hostIP }],
    ...(state.podIP ? { podIP: state.podIP, podIPs: [{ ip: state.podIP }] } : {}),
    startTime: state.startTime,
    containerStatuses,
    qosClass: prev.qosClass ?? 'BestEffort',
  };
  return status;
}

/**
 * Everything of the kubelet's own state that buildStatus reads, as one string. With the
 * Pod's resourceVersion (its spec and the status already written) it tells whether a
 * sync could change the status at all: an idle Pod whose probe gives the same answer
 * again skips building the status and comparing it with the stored one.
 */
export function statusSignature(state: PodState): string {
  return JSON.stringify([
    state.podIP, state.startTime,
    state.containers.map((c) => [c.name, c.image, c.stage, c.ready, c.started, c.restartCount, c.containerID, c.startedAt, c.waitingReason, c.waitingMessage, c.lastTerminated, c.terminated]),
  ]);
}
