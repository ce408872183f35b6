// Node, Namespace and Event rows.
// Source: pkg/printers/internalversion/printers.go printNode (findNodeRoles), printNamespace, printEvent

import { type Column, type PrintedRow, ageCol, col, nameCol, wide } from './columns.ts';
import { since } from './duration.ts';
import { type Json, int, rec, recs, str } from './fields.ts';

export const nodeColumns: Column[] = [
  nameCol,
  col('Status', 'The status of the node'),
  col('Roles', 'The roles of the node'),
  ageCol,
  col('Version', 'Kubelet Version reported by the node.'),
  col('Internal-IP', 'List of addresses reachable to the node.', wide),
  col('External-IP', 'List of addresses reachable to the node.', wide),
  col('OS-Image', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', wide),
  col('Kernel-Version', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", wide),
  col('Container-Runtime', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', wide),
];

function nodeRoles(labels: Json): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(labels)) {
    if (k.startsWith('node-role.kubernetes.io/') && k.length > 'node-role.kubernetes.io/'.length) roles.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role' && str(v)) roles.add(str(v));
  }
  return [...roles].sort().join(',') || '<none>';
}

function nodeAddress(status: Json, type: string): string {
  return str(recs(status.addresses).find((a) => str(a.type) === type)?.address) || '<none>';
}

export function printNode(o: Json, now: number): PrintedRow {
  const meta = rec(o.metadata);
  const status = rec(o.status);
  const info = rec(status.nodeInfo);
  const ready = recs(status.conditions).find((c) => str(c.type) === 'Ready');
  const states = [ready ? (str(ready.status) === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (rec(o.spec).unschedulable === true) states.push('SchedulingDisabled');
  return {
    cells: [
      str(meta.name),
      states.join(','),
      nodeRoles(rec(meta.labels)),
      since(meta.creationTimestamp, now),
      str(info.kubeletVersion),
      nodeAddress(status, 'InternalIP'),
      nodeAddress(status, 'ExternalIP'),
      str(info.osImage) || '<unknown>',
      str(info.kernelVersion) || '<unknown>',
      str(info.containerRuntimeVersion) || '<unknown>',
    ],
  };
}

export const namespaceColumns: Column[] = [nameCol, col('Status', 'The status of the namespace'), ageCol];

export function printNamespace(o: Json, now: number): PrintedRow {
  const meta = rec(o.metadata);
  return { cells: [str(meta.name), str(rec(o.status).phase), since(meta.creationTimestamp, now)] };
}

export const eventColumns: Column[] = [
  col('Last Seen', 'The time at which the most recent occurrence of this event was recorded.'),
  col('Type', 'Type of this event (Normal, Warning), new types could be added in the future'),
  col('Reason', "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
  col('Object', 'The object that this event is about.'),
  col('Subobject', 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].', wide),
  col('Source', 'The component reporting this event. Should be a short machine understandable string.', wide),
  col('Message', 'A human-readable description of the status of this operation.'),
  col('First Seen', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', wide),
  col('Count', 'The number of times this event has occurred.', wide),
  { ...nameCol, priority: 1 },
];

export function printEvent(o: Json, now: number): PrintedRow {
  const involved = rec(o.involvedObject);
  const source = rec(o.source);
  const series = o.series === undefined || o.series === null ? undefined : rec(o.series);
  const first = str(o.firstTimestamp) ? since(o.firstTimestamp, now) : since(o.eventTime, now);
  let last = str(o.lastTimestamp) ? since(o.lastTimestamp, now) : first;
  let count = int(o.count);
  if (series) {
    last = since(series.lastObservedTime, now);
    count = int(series.count);
  } else if (count === 0) {
    count = 1; // singleton events carry no count in events.k8s.io/v1
  }
  const kind = str(involved.kind).toLowerCase();
  const target = str(involved.name) ? `${kind}/${str(involved.name)}` : kind;
  // formatEventSource: component (or reportingController), then host (or reportingInstance)
  const component = str(source.component) || str(o.reportingComponent) || str(o.reportingController);
  const host = str(source.host) || str(o.reportingInstance);
  const sourceCell = component ? [component, host].filter(Boolean).join(', ') : '';
  return {
    cells: [last, str(o.type), str(o.reason), target, str(involved.fieldPath), sourceCell, str(o.message).trim(), first, count, str(rec(o.metadata).name)],
  };
}
