// Service defaulting, ClusterIP/NodePort allocation and validation.
// Sources: pkg/apis/core/v1/defaults.go (SetDefaults_Service),
//          pkg/apis/core/validation/validation.go (ValidateService, ValidateServiceUpdate),
//          pkg/registry/core/service/strategy.go (normalizeClusterIPs, patchAllocatedValues),
//          pkg/registry/core/service/storage/alloc.go (initIPFamilyFields, allocation errors)

import type { FieldError } from '../../core/errors.ts';
import type { RequestContext, ResourceStrategy } from '../../core/strategy.ts';
import type { KubeObject } from '../../core/types.ts';
import { duplicate, forbiddenField, invalidValue, notSupported, required } from '../util/fielderr.ts';
import { dns1035Label, dns1123Label, dns1123Subdomain, portName, PORT_RANGE } from '../util/names.ts';
import { child, intOrString, isRec, num, rec, recs, str, strMap, strs } from '../util/obj.ts';
import {
  allocateClusterIP, allocateNodePort, inServiceRange, isIPv4, NODE_PORT_MAX, NODE_PORT_MIN, SERVICE_CIDR,
  svcKey, usedClusterIPs, usedNodePorts,
} from './ipalloc.ts';
import { validateLabels, validateMeta, validateMetaUpdate } from './meta.ts';

const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

function needsClusterIP(spec: Record<string, unknown>): boolean {
  return str(spec.type) !== 'ExternalName';
}

function needsNodePorts(spec: Record<string, unknown>): boolean {
  const t = str(spec.type);
  return t === 'NodePort' || t === 'LoadBalancer';
}

/** SetDefaults_Service. */
export function defaultService(obj: KubeObject): void {
  const spec = child(obj, 'spec');
  if (!str(spec.type)) spec.type = 'ClusterIP';
  if (!str(spec.sessionAffinity)) spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'None') {
    delete spec.sessionAffinityConfig;
  } else if (spec.sessionAffinity === 'ClientIP') {
    const clientIP = child(child(spec, 'sessionAffinityConfig'), 'clientIP');
    if (num(clientIP.timeoutSeconds) === undefined) clientIP.timeoutSeconds = 10800;
  }
  for (const port of recs(spec.ports)) {
    if (!str(port.protocol)) port.protocol = 'TCP';
    const target = intOrString(port.targetPort);
    if (target === undefined || target === 0 || target === '') port.targetPort = port.port;
  }
  if (needsClusterIP(spec) && !str(spec.internalTrafficPolicy)) spec.internalTrafficPolicy = 'Cluster';
  if (needsNodePorts(spec) && !str(spec.externalTrafficPolicy)) spec.externalTrafficPolicy = 'Cluster';
  if (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === undefined) spec.allocateLoadBalancerNodePorts = true;
}

/** initIPFamilyFields on a single-stack IPv4 cluster. */
function defaultIPFamilies(spec: Record<string, unknown>): void {
  if (!needsClusterIP(spec)) return;
  const headlessNoSelector = spec.clusterIP === 'None' && Object.keys(strMap(spec.selector)).length === 0;
  if (!str(spec.ipFamilyPolicy)) spec.ipFamilyPolicy = headlessNoSelector ? 'RequireDualStack' : 'SingleStack';
  if (strs(spec.ipFamilies).length === 0) spec.ipFamilies = ['IPv4'];
}

function prepareForCreate(obj: KubeObject, ctx: RequestContext): void {
  defaultService(obj);
  const spec = child(obj, 'spec');
  if (!needsClusterIP(spec)) return;
  const ips = strs(spec.clusterIPs);
  const requested = str(spec.clusterIP) || ips[0] || '';
  if (!str(spec.clusterIP) && requested) spec.clusterIP = requested;
  if (ips.length === 0 && requested) spec.clusterIPs = [requested];
  defaultIPFamilies(spec);
  if (!requested) {
    const ip = allocateClusterIP(ctx.store, ctx.rng);
    spec.clusterIP = ip;
    spec.clusterIPs = [ip];
  }
  if (needsNodePorts(spec)) assignNodePorts(spec, obj, ctx);
}

/** Go's %#v of the (protocol, port) key the duplicate check uses. */
function portKeyValue(protocol: string, port: number): string {
  return `core.ServicePort{Name:"", Protocol:"${protocol}", AppProtocol:(*string)(nil), Port:${port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`;
}

export function validateServiceSpec(spec: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = [];
  const type = str(spec.type) ?? 'ClusterIP';
  const headless = spec.clusterIP === 'None';
  const ports = recs(spec.ports);
  if (!TYPES.includes(type)) errs.push(notSupported('spec.type', type, TYPES));
  if (ports.length === 0 && !headless && type !== 'ExternalName') errs.push(required('spec.ports'));
  if (type === 'ExternalName') {
    const name = str(spec.externalName) ?? '';
    if (!name) errs.push(required('spec.externalName'));
    else for (const msg of dns1123Subdomain(name)) errs.push(invalidValue('spec.externalName', name, msg));
  }
  const names = new Set<string>();
  const keys = new Set<string>();
  const nodePorts = new Set<number>();
  ports.forEach((p, i) => {
    const path = `spec.ports[${i}]`;
    const name = str(p.name) ?? '';
    if (ports.length > 1 && !name) errs.push(required(`${path}.name`));
    else if (name) for (const msg of dns1123Label(name)) errs.push(invalidValue(`${path}.name`, name, msg));
    if (name) {
      if (names.has(name)) errs.push(duplicate(`${path}.name`, name));
      names.add(name);
    }
    const port = num(p.port) ?? 0;
    if (port < 1 || port > 65535) errs.push(invalidValue(`${path}.port`, port, PORT_RANGE));
    const protocol = str(p.protocol) ?? '';
    if (!PROTOCOLS.includes(protocol)) errs.push(notSupported(`${path}.protocol`, protocol, PROTOCOLS));
    const target = intOrString(p.targetPort);
    if (typeof target === 'number' && (target < 1 || target > 65535)) {
      errs.push(invalidValue(`${path}.targetPort`, target, PORT_RANGE));
    } else if (typeof target === 'string') {
      for (const msg of portName(target)) errs.push(invalidValue(`${path}.targetPort`, target, msg));
    }
    const nodePort = num(p.nodePort) ?? 0;
    if (nodePort !== 0) {
      if (type === 'ClusterIP' || type === 'ExternalName') {
        errs.push(forbiddenField(`${path}.nodePort`, `may not be used when \`type\` is '${type}'`));
      } else if (nodePorts.has(nodePort)) {
        errs.push(duplicate(`${path}.nodePort`, nodePort));
      }
      nodePorts.add(nodePort);
    }
    const key = `${protocol}/${port}`;
    if (keys.has(key)) {
      errs.push({ field: path, type: 'FieldValueDuplicate', message: `${path}: Duplicate value: ${portKeyValue(protocol, port)}` });
    }
    keys.add(key);
  });
  const affinity = str(spec.sessionAffinity) ?? 'None';
  if (!['ClientIP', 'None'].includes(affinity)) errs.push(notSupported('spec.sessionAffinity', affinity, ['ClientIP', 'None']));
  if (affinity === 'ClientIP') {
    const timeout = num(rec(rec(spec.sessionAffinityConfig)?.clientIP)?.timeoutSeconds) ?? 0;
    if (timeout <= 0 || timeout > 86400) {
      errs.push(invalidValue('spec.sessionAffinityConfig.clientIP.timeoutSeconds', timeout, 'must be greater than 0 and less than 86400'));
    }
  } else if (isRec(spec.sessionAffinityConfig) && affinity === 'None') {
    errs.push(forbiddenField('spec.sessionAffinityConfig', `must not be set when session affinity is None`));
  }
  const itp = spec.internalTrafficPolicy;
  if (type !== 'ExternalName' && itp !== undefined && itp !== 'Cluster' && itp !== 'Local') {
    errs.push(notSupported('spec.internalTrafficPolicy', itp, ['Cluster', 'Local']));
  }
  if (headless && type !== 'ClusterIP') {
    errs.push(invalidValue('spec.clusterIPs[0]', 'None', 'may only be set to "None" for ClusterIP services'));
  }
  errs.push(...validateLabels(strMap(spec.selector), 'spec.selector'));
  return errs;
}

/** What the allocator refuses for a user-chosen clusterIP or nodePort (422 like the real REST layer). */
function validateRequestedAllocations(obj: KubeObject, ctx: RequestContext): FieldError[] {
  const spec = child(obj, 'spec');
  const errs: FieldError[] = [];
  const self = svcKey(obj.metadata.namespace, obj.metadata.name);
  const ips = strs(spec.clusterIPs);
  const ip = ips[0];
  if (needsClusterIP(spec) && ip && ip !== 'None') {
    if (!isIPv4(ip)) {
      errs.push(invalidValue('spec.clusterIPs[0]', ip, 'must be a valid IP address, (e.g. 10.9.8.7)'));
    } else if (!inServiceRange(ip)) {
      errs.push(invalidValue('spec.clusterIPs', ips, `failed to allocate IP ${ip}: the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${SERVICE_CIDR}`));
    } else if (usedClusterIPs(ctx.store, self).has(ip)) {
      errs.push(invalidValue('spec.clusterIPs', ips, `failed to allocate IP ${ip}: provided IP is already allocated`));
    }
  }
  if (needsNodePorts(spec)) {
    const used = usedNodePorts(ctx.store, self);
    recs(spec.ports).forEach((p, i) => {
      const np = num(p.nodePort);
      if (np === undefined) return;
      if (np < NODE_PORT_MIN || np > NODE_PORT_MAX) {
        errs.push(invalidValue(`spec.ports[${i}].nodePort`, np, `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_MIN}-${NODE_PORT_MAX}`));
      } else if (used.has(np)) {
        errs.push(invalidValue(`spec.ports[${i}].nodePort`, np, 'provided port is already allocated'));
      }
    });
  }
  return errs;
}

function validateCreate(obj: KubeObject, ctx: RequestContext): FieldError[] {
  return [...validateMeta(obj, dns1035Label, true), ...validateServiceSpec(child(obj, 'spec')), ...validateRequestedAllocations(obj, ctx)];
}

function prepareForUpdate(obj: KubeObject, old: KubeObject): void {
  defaultService(obj);
  const spec = child(obj, 'spec');
  const oldSpec = child(old, 'spec');
  const oldIPs = strs(oldSpec.clusterIPs);
  // normalizeClusterIPs: a changed clusterIP with untouched clusterIPs moves clusterIPs[0] too.
  if (str(spec.clusterIP) !== str(oldSpec.clusterIP)) {
    if (!str(spec.clusterIP)) {
      delete spec.clusterIPs;
    } else if (strs(spec.clusterIPs).length === 0) {
      spec.clusterIPs = [str(spec.clusterIP)];
    } else if (JSON.stringify(strs(spec.clusterIPs)) === JSON.stringify(oldIPs) && oldIPs.length > 0) {
      spec.clusterIPs = [str(spec.clusterIP), ...oldIPs.slice(1)];
    }
  }
  // patchAllocatedValues: an omitted clusterIP/nodePort keeps what was allocated.
  if (needsClusterIP(oldSpec) && needsClusterIP(spec)) {
    if (!str(spec.clusterIP)) spec.clusterIP = oldSpec.clusterIP;
    if (strs(spec.clusterIPs).length === 0 && oldIPs.length > 0) spec.clusterIPs = oldIPs;
  }
  if (needsNodePorts(oldSpec) && needsNodePorts(spec)) {
    const oldPorts = recs(oldSpec.ports);
    for (const p of recs(spec.ports)) {
      if (num(p.nodePort)) continue;
      const match = oldPorts.find((o) => o.port === p.port && o.protocol === p.protocol);
      if (match && num(match.nodePort)) p.nodePort = match.nodePort;
    }
  }
  defaultIPFamilies(spec);
}

function validateUpdate(obj: KubeObject, old: KubeObject, ctx: RequestContext): FieldError[] {
  const errs = [...validateMetaUpdate(obj, old), ...validateServiceSpec(child(obj, 'spec'))];
  const spec = child(obj, 'spec');
  const oldSpec = child(old, 'spec');
  const ips = strs(spec.clusterIPs);
  const oldIPs = strs(oldSpec.clusterIPs);
  // validateUpgradeDowngradeClusterIPs: the primary IP is fixed unless to/from ExternalName.
  if (needsClusterIP(spec) && needsClusterIP(oldSpec)) {
    oldIPs.forEach((ip, i) => {
      if (i < ips.length && ips[i] !== ip) errs.push(invalidValue(`spec.clusterIPs[${i}]`, ips, 'may not change once set'));
    });
  }
  if (needsClusterIP(spec) && !needsClusterIP(oldSpec)) errs.push(...validateRequestedAllocations(obj, ctx));
  else if (needsNodePorts(spec)) {
    const allocErrs = validateRequestedAllocations(obj, ctx).filter((e) => e.field.endsWith('nodePort'));
    errs.push(...allocErrs);
  }
  return errs;
}

function prepareUpdateWithAllocation(obj: KubeObject, old: KubeObject, ctx: RequestContext): void {
  prepareForUpdate(obj, old);
  const spec = child(obj, 'spec');
  // Changing type from ExternalName to a type that needs an IP allocates one.
  if (needsClusterIP(spec) && !str(spec.clusterIP)) {
    const ip = allocateClusterIP(ctx.store, ctx.rng);
    spec.clusterIP = ip;
    spec.clusterIPs = [ip];
  }
  if (needsNodePorts(spec)) assignNodePorts(spec, obj, ctx);
  if (!needsClusterIP(spec)) {
    delete spec.clusterIP;
    delete spec.clusterIPs;
  }
}

export const serviceStrategy: ResourceStrategy = {
  prepareForCreate,
  validateCreate,
  prepareForUpdate: prepareUpdateWithAllocation,
  validateUpdate,
};

/** Ports without a nodePort get a free one; the ones the Service names itself count as taken. */
function assignNodePorts(spec: Record<string, unknown>, obj: KubeObject, ctx: RequestContext): void {
  const used = usedNodePorts(ctx.store, svcKey(obj.metadata.namespace, obj.metadata.name));
  for (const p of recs(spec.ports)) {
    const np = num(p.nodePort);
    if (np) used.add(np);
  }
  for (const p of recs(spec.ports)) if (!num(p.nodePort)) p.nodePort = allocateNodePort(used, ctx.rng);
}
