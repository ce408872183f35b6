// Legacy Endpoints for a Service, as a pure function: ready Pods in `addresses`, the
// rest in `notReadyAddresses`, terminating Pods left out unless
// publishNotReadyAddresses, subsets grouped by identical port sets (RepackSubsets).
// Source: pkg/controller/endpoint/endpoints_controller.go, pkg/api/v1/endpoints/util.go

import type { KubeObject, StoredObject } from '../../core/types.ts';
import { at, str } from '../util/obj.ts';
import { managesEndpoints, podHostname, resolvePorts, selectedPods } from './endpointslices.ts';
import { isReady, isTerminal } from './helpers.ts';

export interface EndpointPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

export interface EndpointSubset {
  addresses?: Record<string, unknown>[];
  notReadyAddresses?: Record<string, unknown>[];
  ports?: EndpointPort[];
}

function ipKey(ip: string): string {
  return ip.split('.').map((p) => p.padStart(3, '0')).join('.');
}

export function desiredEndpointSubsets(service: KubeObject, pods: readonly StoredObject[]): EndpointSubset[] {
  if (!managesEndpoints(service)) return [];
  const publishNotReady = at(service, 'spec', 'publishNotReadyAddresses') === true;
  const headless = str(at(service, 'spec', 'clusterIP')) === 'None';
  const groups = new Map<string, { ports: EndpointPort[]; ready: Record<string, unknown>[]; notReady: Record<string, unknown>[] }>();
  for (const pod of selectedPods(service, pods)) {
    const ip = str(at(pod, 'status', 'podIP'));
    if (!ip || isTerminal(pod)) continue;
    if (pod.metadata.deletionTimestamp && !publishNotReady) continue;
    const hostname = podHostname(service, pod);
    const nodeName = str(at(pod, 'spec', 'nodeName'));
    const address = {
      ...(hostname ? { hostname } : {}),
      ip,
      ...(nodeName ? { nodeName } : {}),
      targetRef: { kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid },
    };
    const ports: EndpointPort[] = resolvePorts(service, pod).map(({ name, port, protocol, appProtocol }) => ({
      ...(name ? { name } : {}), port, protocol, ...(appProtocol ? { appProtocol } : {}),
    }));
    // A headless Service without ports still lists its Pods; a ported Service skips Pods serving none.
    if (ports.length === 0 && !headless) continue;
    const sorted = [...ports].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port);
    const sig = JSON.stringify(sorted);
    const g = groups.get(sig) ?? { ports: sorted, ready: [], notReady: [] };
    if (publishNotReady || isReady(pod)) g.ready.push(address);
    else g.notReady.push(address);
    groups.set(sig, g);
  }
  const byIP = (a: Record<string, unknown>, b: Record<string, unknown>) => ipKey(String(a.ip)).localeCompare(ipKey(String(b.ip)));
  return [...groups.values()].map((g) => ({
    ...(g.ready.length ? { addresses: g.ready.sort(byIP) } : {}),
    ...(g.notReady.length ? { notReadyAddresses: g.notReady.sort(byIP) } : {}),
    ...(g.ports.length ? { ports: g.ports } : {}),
  }));
}
