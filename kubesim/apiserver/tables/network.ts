// Service, Endpoints, EndpointSlice and NetworkPolicy rows.
// Source: pkg/printers/internalversion/printers.go printService (getServiceExternalIP,
// makePortString), formatEndpoints, formatDiscoveryPorts/Endpoints, printNetworkPolicy

import { type Column, type PrintedRow, ageCol, col, nameCol, wide } from './columns.ts';
import { since } from './duration.ts';
import { type Json, formatLabelSelector, formatLabels, int, list, listWithMore, rec, recs, str } from './fields.ts';

export const serviceColumns: Column[] = [
  nameCol,
  col('Type', 'type determines how the Service is exposed. Defaults to ClusterIP.'),
  col('Cluster-IP', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
  col('External-IP', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
  col('Port(s)', 'The list of ports that are exposed by this service.'),
  ageCol,
  col('Selector', 'Route service traffic to pods with label keys and values matching this selector.', wide),
];

function externalIP(spec: Json, status: Json): string {
  const externalIPs = list(spec.externalIPs).map(str);
  switch (str(spec.type)) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      // The server renders wide output (no 16-character clipping), as the apiserver does.
      const ingress = [...new Set(recs(rec(status.loadBalancer).ingress).map((i) => str(i.ip) || str(i.hostname)).filter(Boolean))].sort();
      const lb = ingress.join(',');
      if (externalIPs.length) return [...ingress, ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return str(spec.externalName);
    default:
      return '<unknown>';
  }
}

export function printService(o: Json, now: number): PrintedRow {
  const spec = rec(o.spec);
  const ports = recs(spec.ports)
    .map((p) => (int(p.nodePort) > 0 ? `${int(p.port)}:${int(p.nodePort)}/${str(p.protocol)}` : `${int(p.port)}/${str(p.protocol)}`))
    .join(',');
  return {
    cells: [
      str(rec(o.metadata).name),
      str(spec.type),
      str(list(spec.clusterIPs)[0]) || '<none>',
      externalIP(spec, rec(o.status)),
      ports || '<none>',
      since(rec(o.metadata).creationTimestamp, now),
      formatLabels(spec.selector),
    ],
  };
}

export const endpointsColumns: Column[] = [
  nameCol,
  col('Endpoints', 'The set of all endpoints is the union of all subsets.'),
  ageCol,
];

/** formatEndpoints: "10.244.1.5:80,10.244.2.3:80 + 1 more...", "<none>" without subsets. */
function formatEndpoints(subsets: Json[]): string {
  if (subsets.length === 0) return '<none>';
  const items: string[] = [];
  for (const ss of subsets) {
    const addresses = recs(ss.addresses).map((a) => str(a.ip));
    const ports = recs(ss.ports);
    if (ports.length === 0) items.push(...addresses);
    else for (const p of ports) for (const ip of addresses) items.push(ip.includes(':') ? `[${ip}]:${int(p.port)}` : `${ip}:${int(p.port)}`);
  }
  return listWithMore(items, '');
}

export function printEndpoints(o: Json, now: number): PrintedRow {
  return { cells: [str(rec(o.metadata).name), formatEndpoints(recs(o.subsets)), since(rec(o.metadata).creationTimestamp, now)] };
}

export const endpointSliceColumns: Column[] = [
  nameCol,
  col('AddressType', 'addressType specifies the type of address carried by this EndpointSlice.'),
  col('Ports', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
  col('Endpoints', 'endpoints is a list of unique endpoints in this slice.'),
  ageCol,
];

export function printEndpointSlice(o: Json, now: number): PrintedRow {
  const ports = recs(o.ports).map((p) => (typeof p.port === 'number' ? String(int(p.port)) : str(p.name) || '*'));
  const addresses = recs(o.endpoints).flatMap((e) => list(e.addresses).map(str));
  return {
    cells: [
      str(rec(o.metadata).name),
      str(o.addressType),
      listWithMore(ports, '<unset>'),
      listWithMore(addresses, '<unset>'),
      since(rec(o.metadata).creationTimestamp, now),
    ],
  };
}

export const networkPolicyColumns: Column[] = [
  nameCol,
  col('Pod-Selector', 'Selects the pods to which this NetworkPolicy object applies.'),
  ageCol,
];

export function printNetworkPolicy(o: Json, now: number): PrintedRow {
  return {
    cells: [str(rec(o.metadata).name), formatLabelSelector(rec(o.spec).podSelector), since(rec(o.metadata).creationTimestamp, now)],
  };
}
