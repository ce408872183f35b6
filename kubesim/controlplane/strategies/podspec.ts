// PodSpec defaulting and validation, shared by Pods and by the Pod templates of
// Deployments, ReplicaSets and StatefulSets.
// Sources: pkg/apis/core/v1/defaults.go (SetDefaults_PodSpec, SetDefaults_Container, SetDefaults_Probe),
//          pkg/apis/core/validation/validation.go (validateContainers, validateProbe, validateHandler)

import type { FieldError } from '../../core/errors.ts';
import { duplicate, forbiddenField, invalidValue, notSupported, required } from '../util/fielderr.ts';
import { dns1123Label, portName, PORT_RANGE } from '../util/names.ts';
import { intOrString, isRec, num, rec, recs, str } from '../util/obj.ts';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

/** A tag-less or `:latest` image is pulled every time; pinned tags only if absent. */
export function defaultPullPolicy(image: string): string {
  if (image.includes('@')) return 'IfNotPresent';
  const lastPart = image.split('/').pop() ?? image;
  const tag = lastPart.includes(':') ? lastPart.split(':').pop() : undefined;
  return tag === undefined || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(probe: Record<string, unknown>): void {
  if (num(probe.timeoutSeconds) === undefined) probe.timeoutSeconds = 1;
  if (num(probe.periodSeconds) === undefined) probe.periodSeconds = 10;
  if (num(probe.successThreshold) === undefined) probe.successThreshold = 1;
  if (num(probe.failureThreshold) === undefined) probe.failureThreshold = 3;
  const http = rec(probe.httpGet);
  if (http) {
    if (!str(http.path)) http.path = '/';
    if (!str(http.scheme)) http.scheme = 'HTTP';
  }
}

function defaultContainer(c: Record<string, unknown>): void {
  const image = str(c.image) ?? '';
  if (!str(c.imagePullPolicy)) c.imagePullPolicy = defaultPullPolicy(image);
  if (!str(c.terminationMessagePath)) c.terminationMessagePath = '/dev/termination-log';
  if (!str(c.terminationMessagePolicy)) c.terminationMessagePolicy = 'File';
  if (!isRec(c.resources)) c.resources = {};
  for (const p of recs(c.ports)) if (!str(p.protocol)) p.protocol = 'TCP';
  for (const name of PROBES) {
    const probe = rec(c[name]);
    if (probe) defaultProbe(probe);
  }
  for (const e of recs(c.env)) {
    const fieldRef = rec(rec(e.valueFrom)?.fieldRef);
    if (fieldRef && !str(fieldRef.apiVersion)) fieldRef.apiVersion = 'v1';
  }
}

/** SetDefaults_PodSpec + container defaults (applied to Pods and templates alike). */
export function defaultPodSpec(spec: Record<string, unknown>): void {
  if (!str(spec.restartPolicy)) spec.restartPolicy = 'Always';
  if (!str(spec.dnsPolicy)) spec.dnsPolicy = 'ClusterFirst';
  if (num(spec.terminationGracePeriodSeconds) === undefined) spec.terminationGracePeriodSeconds = 30;
  if (!str(spec.schedulerName)) spec.schedulerName = 'default-scheduler';
  if (!isRec(spec.securityContext)) spec.securityContext = {};
  for (const c of recs(spec.containers)) defaultContainer(c);
  for (const c of recs(spec.initContainers)) defaultContainer(c);
}

function validateProbe(probe: Record<string, unknown>, path: string, mustSucceedOnce: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const present = HANDLERS.filter((h) => probe[h] !== undefined && probe[h] !== null);
  if (present.length === 0) errs.push(required(path, 'must specify a handler type'));
  for (const extra of present.slice(1)) errs.push(forbiddenField(`${path}.${extra}`, 'may not specify more than 1 handler type'));
  for (const field of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    const v = num(probe[field]);
    if (v !== undefined && v < 0) errs.push(invalidValue(`${path}.${field}`, v, 'must be greater than or equal to 0'));
  }
  const success = num(probe.successThreshold);
  if (mustSucceedOnce && success !== undefined && success !== 1) errs.push(invalidValue(`${path}.successThreshold`, success, 'must be 1'));
  for (const handler of ['httpGet', 'tcpSocket', 'grpc']) {
    const h = rec(probe[handler]);
    if (!h) continue;
    const port = intOrString(h.port);
    if (port === undefined) errs.push(required(`${path}.${handler}.port`));
    else if (typeof port === 'number' && (port < 1 || port > 65535)) errs.push(invalidValue(`${path}.${handler}.port`, port, PORT_RANGE));
    else if (typeof port === 'string') for (const m of portName(port)) errs.push(invalidValue(`${path}.${handler}.port`, port, m));
  }
  return errs;
}

function validateContainer(c: Record<string, unknown>, path: string, names: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(c.name) ?? '';
  if (!name) errs.push(required(`${path}.name`));
  else {
    for (const m of dns1123Label(name)) errs.push(invalidValue(`${path}.name`, name, m));
    if (names.has(name)) errs.push(duplicate(`${path}.name`, name));
    names.add(name);
  }
  if (!str(c.image)?.trim()) errs.push(required(`${path}.image`));
  const portNames = new Set<string>();
  recs(c.ports).forEach((p, i) => {
    const pp = `${path}.ports[${i}]`;
    const port = num(p.containerPort) ?? 0;
    if (port < 1 || port > 65535) errs.push(invalidValue(`${pp}.containerPort`, port, PORT_RANGE));
    const pn = str(p.name);
    if (pn) {
      for (const m of portName(pn)) errs.push(invalidValue(`${pp}.name`, pn, m));
      if (portNames.has(pn)) errs.push(duplicate(`${pp}.name`, pn));
      portNames.add(pn);
    }
    const protocol = str(p.protocol) ?? 'TCP';
    if (!PROTOCOLS.includes(protocol)) errs.push(notSupported(`${pp}.protocol`, protocol, PROTOCOLS));
  });
  for (const probeName of PROBES) {
    const probe = rec(c[probeName]);
    if (probe) errs.push(...validateProbe(probe, `${path}.${probeName}`, probeName !== 'readinessProbe'));
  }
  const policy = str(c.imagePullPolicy);
  if (policy && !['Always', 'IfNotPresent', 'Never'].includes(policy)) {
    errs.push(notSupported(`${path}.imagePullPolicy`, policy, ['Always', 'IfNotPresent', 'Never']));
  }
  return errs;
}

export function validatePodSpec(spec: Record<string, unknown>, path: string, allowedRestart: readonly string[]): FieldError[] {
  const errs: FieldError[] = [];
  const containers = recs(spec.containers);
  const names = new Set<string>();
  if (containers.length === 0) errs.push(required(`${path}.containers`));
  recs(spec.initContainers).forEach((c, i) => errs.push(...validateContainer(c, `${path}.initContainers[${i}]`, names)));
  containers.forEach((c, i) => errs.push(...validateContainer(c, `${path}.containers[${i}]`, names)));
  const restart = str(spec.restartPolicy) ?? 'Always';
  if (!allowedRestart.includes(restart)) errs.push(notSupported(`${path}.restartPolicy`, restart, allowedRestart));
  const dns = str(spec.dnsPolicy) ?? 'ClusterFirst';
  const dnsPolicies = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'];
  if (!dnsPolicies.includes(dns)) errs.push(notSupported(`${path}.dnsPolicy`, dns, dnsPolicies));
  const grace = num(spec.terminationGracePeriodSeconds);
  if (grace !== undefined && grace < 0) errs.push(invalidValue(`${path}.terminationGracePeriodSeconds`, grace, 'must be greater than or equal to 0'));
  const hostname = str(spec.hostname);
  if (hostname) for (const m of dns1123Label(hostname)) errs.push(invalidValue(`${path}.hostname`, hostname, m));
  const subdomain = str(spec.subdomain);
  if (subdomain) for (const m of dns1123Label(subdomain)) errs.push(invalidValue(`${path}.subdomain`, subdomain, m));
  return errs;
}

/** The (container, port) pairs of a Pod spec, for named targetPort resolution. */
export function containerPorts(spec: unknown): { name?: string; containerPort: number; protocol: string }[] {
  const out: { name?: string; containerPort: number; protocol: string }[] = [];
  for (const c of recs(rec(spec)?.containers)) {
    for (const p of recs(c.ports)) {
      const containerPort = num(p.containerPort);
      if (containerPort === undefined) continue;
      const name = str(p.name);
      out.push({ ...(name ? { name } : {}), containerPort, protocol: str(p.protocol) ?? 'TCP' });
    }
  }
  return out;
}

