// EndpointSlices for a Service, as a pure function of the Service, its Pods and the
// Nodes: one endpoint per Pod with an IP that has not finished; conditions
// serving = Pod Ready, terminating = being deleted, ready = publishNotReadyAddresses
// || (serving && !terminating); ports resolved per Pod (a named targetPort the Pod
// lacks leaves it out of that port), Pods grouped by their resolved port set, at
// most 100 endpoints per slice.
// Source: pkg/controller/endpointslice/reconciler.go, staging/src/k8s.io/endpointslice/utils.go

import type { KubeObject, StoredObject } from '../../core/types.ts';
import { containerPorts } from '../strategies/podspec.ts';
import { at, intOrString, labelsMatch, num, rec, recs, str, strMap } from '../util/obj.ts';
import { isReady, isTerminal } from './helpers.ts';

export const MANAGED_BY = 'endpointslice-controller.k8s.io';
export const MAX_ENDPOINTS = 100;

export interface ResolvedPort {
  name: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

/** The Service's ports as this Pod serves them; ports the Pod cannot serve are left out. */
export function resolvePorts(service: KubeObject, pod: KubeObject): ResolvedPort[] {
  const out: ResolvedPort[] = [];
  const cports = containerPorts(pod.spec);
  for (const sp of recs(at(service, 'spec', 'ports'))) {
    const protocol = str(sp.protocol) ?? 'TCP';
    const target = intOrString(sp.targetPort) ?? num(sp.port);
    let port: number | undefined;
    if (typeof target === 'number') port = target;
    else if (typeof target === 'string') port = cports.find((c) => c.name === target && c.protocol === protocol)?.containerPort;
    if (port === undefined) continue;
    const appProtocol = str(sp.appProtocol);
    out.push({ name: str(sp.name) ?? '', port, protocol, ...(appProtocol ? { appProtocol } : {}) });
  }
  return out;
}

export function selectedPods(service: KubeObject, pods: readonly StoredObject[]): StoredObject[] {
  const selector = strMap(at(service, 'spec', 'selector'));
  return pods.filter((p) => p.metadata.namespace === service.metadata.namespace && labelsMatch(selector, p.metadata.labels ?? {}));
}

/** Only Services with a selector (and not ExternalName) get controller-managed endpoints. */
export function managesEndpoints(service: KubeObject): boolean {
  return str(at(service, 'spec', 'type')) !== 'ExternalName' && Object.keys(strMap(at(service, 'spec', 'selector'))).length > 0;
}

export function podHostname(service: KubeObject, pod: KubeObject): string | undefined {
  const hostname = str(at(pod, 'spec', 'hostname'));
  return hostname && str(at(pod, 'spec', 'subdomain')) === service.metadata.name ? hostname : undefined;
}

export interface DesiredSlice {
  labels: Record<string, string>;
  ports: ResolvedPort[];
  endpoints: Record<string, unknown>[];
}

export function sliceLabels(service: KubeObject): Record<string, string> {
  const labels: Record<string, string> = { ...(service.metadata.labels ?? {}) };
  labels['kubernetes.io/service-name'] = service.metadata.name ?? '';
  labels['endpointslice.kubernetes.io/managed-by'] = MANAGED_BY;
  if (str(at(service, 'spec', 'clusterIP')) === 'None') labels['service.kubernetes.io/headless'] = '';
  return labels;
}

export function desiredEndpointSlices(service: KubeObject, pods: readonly StoredObject[], nodes: readonly KubeObject[]): DesiredSlice[] {
  if (!managesEndpoints(service)) return [];
  const publishNotReady = at(service, 'spec', 'publishNotReadyAddresses') === true;
  const groups = new Map<string, { ports: ResolvedPort[]; endpoints: Record<string, unknown>[] }>();
  const zoneOf = (nodeName: string | undefined) =>
    nodes.find((n) => n.metadata.name === nodeName)?.metadata.labels?.['topology.kubernetes.io/zone'];
  const ordered = [...selectedPods(service, pods)].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  for (const pod of ordered) {
    const ip = str(at(pod, 'status', 'podIP'));
    if (!ip || isTerminal(pod)) continue;
    const ports = resolvePorts(service, pod);
    const serving = isReady(pod);
    const terminating = Boolean(pod.metadata.deletionTimestamp);
    const nodeName = str(at(pod, 'spec', 'nodeName'));
    const zone = zoneOf(nodeName);
    const hostname = podHostname(service, pod);
    const endpoint: Record<string, unknown> = {
      addresses: [ip],
      conditions: { ready: publishNotReady || (serving && !terminating), serving, terminating },
      ...(hostname ? { hostname } : {}),
      ...(nodeName ? { nodeName } : {}),
      targetRef: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
      ...(zone ? { zone } : {}),
    };
    const sig = JSON.stringify(ports);
    const group = groups.get(sig) ?? { ports, endpoints: [] };
    group.endpoints.push(endpoint);
    groups.set(sig, group);
  }
  const labels = sliceLabels(service);
  const out: DesiredSlice[] = [];
  for (const g of groups.values()) {
    for (let i = 0; i < g.endpoints.length; i += MAX_ENDPOINTS) {
      out.push({ labels, ports: g.ports, endpoints: g.endpoints.slice(i, i + MAX_ENDPOINTS) });
    }
  }
  // A Service that selects nothing still has one empty slice carrying its ports.
  if (out.length === 0) {
    const ports = recs(at(service, 'spec', 'ports'))
      .map((sp) => ({ name: str(sp.name) ?? '', port: num(sp.port) ?? 0, protocol: str(sp.protocol) ?? 'TCP' }));
    out.push({ labels, ports: rec(service.spec)?.clusterIP === 'None' && ports.length === 0 ? [] : ports, endpoints: [] });
  }
  return out;
}
