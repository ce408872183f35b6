// Why a Pod is not ready, in the words `kubectl get pods` and `describe` would use.
import type { Observed } from '../types.ts';
import { isPodReady } from './objects.ts';
import type { Pod } from './schemas.ts';

// BackOff repeats what the waiting reason (CrashLoopBackOff) already says, with a uid in it.
const TELLING = new Set(['Unhealthy', 'Failed', 'FailedScheduling', 'FailedMount', 'FailedCreatePodSandBox']);

/** The newest telling Warning event about this Pod (e.g. "Readiness probe failed: ..."). */
export function lastWarning(observed: Observed, pod: Pod): string | undefined {
  const warnings = observed.events.filter((e) => e.type === 'Warning' && TELLING.has(e.reason ?? '') && e.involvedObject.kind === 'Pod' && e.involvedObject.name === pod.metadata.name);
  const last = warnings.at(-1);
  return last?.message ? `${last.reason ?? 'Warning'}: ${last.message}` : undefined;
}

export function describePodState(observed: Observed, pod: Pod): string {
  if (isPodReady(pod)) return 'ready';
  const waiting = pod.status.containerStatuses.find((c) => c.state.waiting?.reason)?.state.waiting?.reason;
  const terminated = pod.status.containerStatuses.find((c) => c.state.terminated)?.state.terminated;
  const parts = [waiting ?? (terminated ? `${terminated.reason ?? 'Terminated'} (exit code ${terminated.exitCode ?? '?'})` : pod.status.phase ?? 'Pending')];
  if (!waiting && !terminated && pod.status.phase === 'Running') parts[0] = 'Running but not ready';
  const restarts = pod.status.containerStatuses.reduce((n, c) => n + c.restartCount, 0);
  if (restarts > 0) parts.push(`${restarts} restarts`);
  const warning = lastWarning(observed, pod);
  if (warning) parts.push(warning);
  return parts.join(', ');
}
