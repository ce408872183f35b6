// Simulated delays. The order of events is always kind's; the pace only sets how
// much clock time passes between them. Probe periods and back-off steps are given
// in Kubernetes seconds by the Pod spec and the kubelet; `secondMs` says how many
// clock milliseconds one of those seconds lasts.

export interface Pace {
  /** Pod created → bound to a node by the scheduler. */
  scheduleMs: number;
  /** Bound → sandbox ready (Pod IP assigned, PodReadyToStartContainers). */
  sandboxMs: number;
  /** Pulling an image not yet on the node (imagePullPolicy Always, or first pull). */
  imagePullMs: number;
  /** Created → Started for one container. */
  containerStartMs: number;
  /** deletionTimestamp set → containers stopped and the Pod removed (SIGTERM exits fast). */
  terminationMs: number;
  /** Clock ms per Kubernetes second (probe periods, initialDelaySeconds, back-offs). */
  secondMs: number;
  /** First image-pull back-off, in Kubernetes seconds (doubles, capped at backoffMaxSeconds). */
  imagePullBackoffSeconds: number;
  /** First crash-loop back-off, in Kubernetes seconds (10s, 20s, 40s … capped). */
  crashLoopBackoffSeconds: number;
  /** Cap of both back-offs (kubelet MaxContainerBackOff = 300s). */
  backoffMaxSeconds: number;
}

/** kind's order of events, milliseconds instead of seconds: the default for tests and the zero-install run. */
export const FAST_PACE: Pace = {
  scheduleMs: 1,
  sandboxMs: 5,
  imagePullMs: 20,
  containerStartMs: 5,
  terminationMs: 20,
  secondMs: 10,
  imagePullBackoffSeconds: 10,
  crashLoopBackoffSeconds: 10,
  backoffMaxSeconds: 300,
};

/** The fastest speed: FAST_PACE, one Kubernetes second in 10 ms. */
export const MAX_SPEED = 100;

/**
 * The pace of a cluster `speed` times faster than real time: FAST_PACE (speed 100)
 * stretched evenly, so the order of events never changes, only how much wall time
 * they take. Speed 1 is about a kind cluster; the server defaults to 5, where a
 * failing readiness probe of period 5 s runs every second instead of every 50 ms.
 */
export function paceAtSpeed(speed: number): Pace {
  if (!(speed >= 1 && speed <= MAX_SPEED)) throw new RangeError(`speed must be 1–${MAX_SPEED}, got ${speed}`);
  const stretch = MAX_SPEED / speed;
  return {
    ...FAST_PACE,
    scheduleMs: FAST_PACE.scheduleMs * stretch,
    sandboxMs: FAST_PACE.sandboxMs * stretch,
    imagePullMs: FAST_PACE.imagePullMs * stretch,
    containerStartMs: FAST_PACE.containerStartMs * stretch,
    terminationMs: FAST_PACE.terminationMs * stretch,
    secondMs: FAST_PACE.secondMs * stretch,
  };
}

/** Roughly a real kind cluster with preloaded images. */
export const KIND_PACE: Pace = {
  scheduleMs: 20,
  sandboxMs: 600,
  imagePullMs: 2500,
  containerStartMs: 300,
  terminationMs: 1000,
  secondMs: 1000,
  imagePullBackoffSeconds: 10,
  crashLoopBackoffSeconds: 10,
  backoffMaxSeconds: 300,
};
