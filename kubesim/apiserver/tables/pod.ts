// The Pod row of `kubectl get pods`: READY, the STATUS reason kubectl derives from
// the container states, RESTARTS with "(25s ago)".
// Source: pkg/printers/internalversion/printers.go printPod (v1.32), including
// restartable init containers (sidecars) and "Terminating" only for non-terminal pods.

import { type Column, type PrintedRow, ageCol, col, nameCol, wide } from './columns.ts';
import { since } from './duration.ts';
import { type Json, at, int, rec, recs, str } from './fields.ts';

export const podColumns: Column[] = [
  nameCol,
  col('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
  col('Status', 'The aggregate status of the containers in this pod.'),
  col('Restarts', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
  ageCol,
  col('IP', 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', wide),
  col('Node', 'NodeName indicates in which node this pod is scheduled.', wide),
  col('Nominated Node', 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.', wide),
  col('Readiness Gates', 'If specified, all readiness gates will be evaluated for pod readiness.', wide),
];

const isRestartable = (c: Json | undefined): boolean => str(c?.restartPolicy) === 'Always';
const hasCondition = (status: Json, type: string): boolean =>
  recs(status.conditions).some((c) => str(c.type) === type && str(c.status) === 'True');

/** Time of the container's last termination, 0 when it never restarted. */
function lastTerminated(cs: Json): number {
  const t = Date.parse(str(at(cs, 'lastState.terminated.finishedAt')));
  return Number.isNaN(t) ? 0 : t;
}

function terminatedReason(t: Json, prefix: string): string {
  if (str(t.reason)) return prefix + str(t.reason);
  if (int(t.signal) !== 0) return `${prefix}Signal:${int(t.signal)}`;
  return `${prefix}ExitCode:${int(t.exitCode)}`;
}

export function printPod(pod: Json, now: number): PrintedRow {
  const meta = rec(pod.metadata);
  const spec = rec(pod.spec);
  const status = rec(pod.status);
  const phase = str(status.phase);
  let reason = str(status.reason) || phase;
  let restarts = 0;
  let readyContainers = 0;
  let lastRestart = 0;
  let totalContainers = recs(spec.containers).length;

  for (const c of recs(status.conditions)) {
    if (str(c.type) === 'PodScheduled' && str(c.reason) === 'SchedulingGated') reason = 'SchedulingGated';
  }

  const initSpecs = new Map<string, Json>();
  for (const c of recs(spec.initContainers)) {
    initSpecs.set(str(c.name), c);
    if (isRestartable(c)) totalContainers++;
  }

  let initializing = false;
  let sidecarRestarts = 0;
  let sidecarLastRestart = 0;
  const initStatuses = recs(status.initContainerStatuses);
  for (const [i, cs] of initStatuses.entries()) {
    restarts += int(cs.restartCount);
    lastRestart = Math.max(lastRestart, lastTerminated(cs));
    const sidecar = isRestartable(initSpecs.get(str(cs.name)));
    if (sidecar) {
      sidecarRestarts += int(cs.restartCount);
      sidecarLastRestart = Math.max(sidecarLastRestart, lastTerminated(cs));
    }
    const terminated = rec(at(cs, 'state')).terminated;
    const waiting = rec(rec(at(cs, 'state')).waiting);
    if (terminated !== undefined && int(rec(terminated).exitCode) === 0) continue;
    if (sidecar && cs.started === true) {
      if (cs.ready === true) readyContainers++;
      continue;
    }
    if (terminated !== undefined) reason = terminatedReason(rec(terminated), 'Init:');
    else if (str(waiting.reason) && str(waiting.reason) !== 'PodInitializing') reason = `Init:${str(waiting.reason)}`;
    else reason = `Init:${i}/${initSpecs.size}`;
    initializing = true;
    break;
  }

  if (!initializing || hasCondition(status, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = sidecarLastRestart;
    let hasRunning = false;
    const statuses = recs(status.containerStatuses);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i]!;
      restarts += int(cs.restartCount);
      lastRestart = Math.max(lastRestart, lastTerminated(cs));
      const state = rec(cs.state);
      const waiting = rec(state.waiting);
      if (str(waiting.reason)) reason = str(waiting.reason);
      else if (state.terminated !== undefined) reason = terminatedReason(rec(state.terminated), '');
      else if (cs.ready === true && state.running !== undefined) {
        hasRunning = true;
        readyContainers++;
      }
    }
    // A pod whose other containers completed but one still runs shows Running/NotReady.
    if (reason === 'Completed' && hasRunning) reason = hasCondition(status, 'Ready') ? 'Running' : 'NotReady';
  }

  if (meta.deletionTimestamp && str(status.reason) === 'NodeLost') reason = 'Unknown';
  else if (meta.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  const restartsCell = lastRestart ? `${restarts} (${since(new Date(lastRestart).toISOString(), now)} ago)` : String(restarts);

  const podIP = str(rec(recs(status.podIPs)[0]).ip) || str(status.podIP) || '<none>';
  const gates = recs(spec.readinessGates);
  const gatesCell = gates.length
    ? `${gates.filter((g) => recs(status.conditions).find((c) => str(c.type) === str(g.conditionType))?.status === 'True').length}/${gates.length}`
    : '<none>';

  const row: PrintedRow = {
    cells: [
      str(meta.name),
      `${readyContainers}/${totalContainers}`,
      reason,
      restartsCell,
      since(meta.creationTimestamp, now),
      podIP,
      str(spec.nodeName) || '<none>',
      str(status.nominatedNodeName) || '<none>',
      gatesCell,
    ],
  };
  if (phase === 'Succeeded') row.conditions = [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
  if (phase === 'Failed') row.conditions = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
  return row;
}
