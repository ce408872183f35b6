// What the simulated kubelet remembers about each container between syncs.

import type { StoredObject } from '../../core/types.ts';

export type Stage =
  | 'pull' // about to pull (or find the image present)
  | 'pulling' // Pulling event sent, result at dueAt
  | 'errImagePull' // ErrImagePull shown, back-off starts at dueAt
  | 'pullBackoff' // ImagePullBackOff until dueAt
  | 'create' // create + start at dueAt
  | 'running'
  | 'exited' // just exited, shown as terminated until dueAt
  | 'crashBackoff' // CrashLoopBackOff until dueAt
  | 'done'; // terminated for good (restartPolicy Never/OnFailure)

export interface ProbeState {
  nextAt: number;
  successes: number;
  failures: number;
}

export interface Terminated {
  exitCode: number;
  reason: string;
  startedAt: string;
  finishedAt: string;
  containerID: string;
}

export interface ContainerState {
  name: string;
  image: string;
  stage: Stage;
  dueAt: number;
  waitingReason?: string;
  waitingMessage?: string;
  restartCount: number;
  pullFailures: number;
  crashes: number;
  startedAt?: string;
  startedAtMs?: number;
  containerID?: string;
  lastTerminated?: Terminated;
  terminated?: Terminated;
  started: boolean;
  ready: boolean;
  probes: Partial<Record<'startupProbe' | 'readinessProbe' | 'livenessProbe', ProbeState>>;
}

export interface PodState {
  /** "namespace/name" */
  key: string;
  uid: string;
  nodeName: string;
  sandboxAt: number;
  podIP?: string;
  /** The IP this Pod had before the cluster restarted, reused when still free. */
  preferredIP?: string;
  startTime: string;
  containers: ContainerState[];
  deletingAt?: number;
  /** Secret and ConfigMap volumes set up (the sandbox waits for them). */
  mounted?: boolean;
  /** Failed mount attempts so far, and when the volume manager tries again. */
  mountFailures?: number;
  mountRetryAt?: number;
  /** The status last written (or found equal): the Pod's resourceVersion after it and statusSignature. */
  written?: { resourceVersion: string; signature: string };
  /** The Pod as probes and container starts see it, kept while resourceVersion and signature hold. */
  view?: { resourceVersion: string; signature: string; pod: StoredObject };
}

export function backoffSeconds(base: number, max: number, attempt: number): number {
  return Math.min(max, base * 2 ** Math.max(0, attempt));
}
