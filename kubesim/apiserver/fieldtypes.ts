// Go types of the fields the controllers, kubelet and runtime read, so a body with a
// wrong JSON type is refused at decode time as the real apiserver does (it cannot
// even unmarshal it) instead of being stored and breaking a controller later.
// Message shape from encoding/json UnmarshalTypeError:
//   json: cannot unmarshal string into Go struct field ServiceSpec.spec.selector of type map[string]string
// (the struct is the innermost one; the field path has no list indices).
// Types from k8s.io/api v0.32 core/v1, apps/v1, meta/v1.

import { isRecord } from './http.ts';

type GoType =
  | { t: 'string' | 'bool' | 'int32' | 'int64' | 'intstr' }
  | { t: 'strmap' }
  | { t: 'list'; of: GoType; go: string }
  | { t: 'struct'; name: string; go: string; fields: Record<string, GoType> };

const STRING: GoType = { t: 'string' };
const BOOL: GoType = { t: 'bool' };
const INT32: GoType = { t: 'int32' };
const INT64: GoType = { t: 'int64' };
/** intstr.IntOrString: a JSON string, else decoded as int32 by its own UnmarshalJSON. */
const INTSTR: GoType = { t: 'intstr' };
const STRMAP: GoType = { t: 'strmap' };
const struct = (name: string, pkg: string, fields: Record<string, GoType>): GoType => ({ t: 'struct', name, go: `${pkg}.${name}`, fields });
const list = (of: GoType): GoType => ({ t: 'list', of, go: `[]${goName(of)}` });
const strings = list(STRING);

const ownerReference = struct('OwnerReference', 'v1', {
  apiVersion: STRING, kind: STRING, name: STRING, uid: STRING, controller: BOOL, blockOwnerDeletion: BOOL,
});
const objectMeta = struct('ObjectMeta', 'v1', {
  name: STRING, generateName: STRING, namespace: STRING, uid: STRING, resourceVersion: STRING,
  labels: STRMAP, annotations: STRMAP, finalizers: strings, ownerReferences: list(ownerReference),
});
const requirement = struct('LabelSelectorRequirement', 'v1', { key: STRING, operator: STRING, values: strings });
const labelSelector = struct('LabelSelector', 'v1', { matchLabels: STRMAP, matchExpressions: list(requirement) });
const containerPort = struct('ContainerPort', 'v1', { name: STRING, containerPort: INT32, hostPort: INT32, protocol: STRING });
const keyRef = (name: string) => struct(name, 'v1', { name: STRING, key: STRING, optional: BOOL });
const envVar = struct('EnvVar', 'v1', {
  name: STRING, value: STRING,
  valueFrom: struct('EnvVarSource', 'v1', {
    fieldRef: struct('ObjectFieldSelector', 'v1', { apiVersion: STRING, fieldPath: STRING }),
    configMapKeyRef: keyRef('ConfigMapKeySelector'), secretKeyRef: keyRef('SecretKeySelector'),
  }),
});
const envFrom = struct('EnvFromSource', 'v1', {
  prefix: STRING,
  configMapRef: struct('ConfigMapEnvSource', 'v1', { name: STRING, optional: BOOL }),
  secretRef: struct('SecretEnvSource', 'v1', { name: STRING, optional: BOOL }),
});
const probe = struct('Probe', 'v1', {
  httpGet: struct('HTTPGetAction', 'v1', {
    path: STRING, port: INTSTR, host: STRING, scheme: STRING, httpHeaders: list(struct('HTTPHeader', 'v1', { name: STRING, value: STRING })),
  }),
  tcpSocket: struct('TCPSocketAction', 'v1', { port: INTSTR, host: STRING }),
  exec: struct('ExecAction', 'v1', { command: strings }),
  grpc: struct('GRPCAction', 'v1', { port: INT32, service: STRING }),
  initialDelaySeconds: INT32, timeoutSeconds: INT32, periodSeconds: INT32, successThreshold: INT32, failureThreshold: INT32,
  terminationGracePeriodSeconds: INT64,
});
const container = struct('Container', 'v1', {
  name: STRING, image: STRING, command: strings, args: strings, workingDir: STRING,
  ports: list(containerPort), env: list(envVar), envFrom: list(envFrom),
  livenessProbe: probe, readinessProbe: probe, startupProbe: probe,
  imagePullPolicy: STRING, stdin: BOOL, stdinOnce: BOOL, tty: BOOL,
});
const containers = list(container);
const podSpec = struct('PodSpec', 'v1', {
  containers, initContainers: containers, restartPolicy: STRING, nodeName: STRING, nodeSelector: STRMAP,
  serviceAccountName: STRING, serviceAccount: STRING, hostname: STRING, subdomain: STRING, terminationGracePeriodSeconds: INT64,
  activeDeadlineSeconds: INT64, dnsPolicy: STRING, schedulerName: STRING, priority: INT32, hostNetwork: BOOL,
  enableServiceLinks: BOOL, automountServiceAccountToken: BOOL,
  dnsConfig: struct('PodDNSConfig', 'v1', {
    nameservers: strings, searches: strings, options: list(struct('PodDNSConfigOption', 'v1', { name: STRING, value: STRING })),
  }),
});
const template = struct('PodTemplateSpec', 'v1', { metadata: objectMeta, spec: podSpec });
const servicePort = struct('ServicePort', 'v1', { name: STRING, protocol: STRING, appProtocol: STRING, port: INT32, targetPort: INTSTR, nodePort: INT32 });
const serviceSpec = struct('ServiceSpec', 'v1', {
  selector: STRMAP, ports: list(servicePort), type: STRING, clusterIP: STRING,
  clusterIPs: strings, externalName: STRING, sessionAffinity: STRING, publishNotReadyAddresses: BOOL, internalTrafficPolicy: STRING,
  sessionAffinityConfig: struct('SessionAffinityConfig', 'v1', { clientIP: struct('ClientIPConfig', 'v1', { timeoutSeconds: INT32 }) }),
});
const workload = (name: string, extra: Record<string, GoType>): GoType =>
  struct(name, 'v1', { replicas: INT32, selector: labelSelector, template, minReadySeconds: INT32, ...extra });
const peer = struct('NetworkPolicyPeer', 'v1', {
  podSelector: labelSelector, namespaceSelector: labelSelector, ipBlock: struct('IPBlock', 'v1', { cidr: STRING, except: strings }),
});
const policyPort = struct('NetworkPolicyPort', 'v1', { protocol: STRING, port: INTSTR, endPort: INT32 });

const KINDS: Record<string, GoType> = {
  Pod: struct('Pod', 'v1', { metadata: objectMeta, spec: podSpec }),
  Service: struct('Service', 'v1', { metadata: objectMeta, spec: serviceSpec }),
  Deployment: struct('Deployment', 'v1', {
    metadata: objectMeta,
    spec: workload('DeploymentSpec', { paused: BOOL, revisionHistoryLimit: INT32, progressDeadlineSeconds: INT32 }),
  }),
  ReplicaSet: struct('ReplicaSet', 'v1', { metadata: objectMeta, spec: workload('ReplicaSetSpec', {}) }),
  StatefulSet: struct('StatefulSet', 'v1', {
    metadata: objectMeta, spec: workload('StatefulSetSpec', { serviceName: STRING, podManagementPolicy: STRING, revisionHistoryLimit: INT32 }),
  }),
  ConfigMap: struct('ConfigMap', 'v1', { metadata: objectMeta, data: STRMAP, immutable: BOOL }),
  Secret: struct('Secret', 'v1', { metadata: objectMeta, stringData: STRMAP, type: STRING, immutable: BOOL }),
  EndpointSlice: struct('EndpointSlice', 'v1', {
    metadata: objectMeta, addressType: STRING,
    endpoints: list(struct('Endpoint', 'v1', {
      addresses: strings, hostname: STRING, nodeName: STRING,
      conditions: struct('EndpointConditions', 'v1', { ready: BOOL, serving: BOOL, terminating: BOOL }),
      targetRef: struct('ObjectReference', 'v1', { kind: STRING, name: STRING, namespace: STRING }),
    })),
    ports: list(struct('EndpointPort', 'v1', { name: STRING, port: INT32, protocol: STRING })),
  }),
  NetworkPolicy: struct('NetworkPolicy', 'v1', {
    metadata: objectMeta,
    spec: struct('NetworkPolicySpec', 'v1', {
      podSelector: labelSelector, policyTypes: strings,
      ingress: list(struct('NetworkPolicyIngressRule', 'v1', { from: list(peer), ports: list(policyPort) })),
      egress: list(struct('NetworkPolicyEgressRule', 'v1', { to: list(peer), ports: list(policyPort) })),
    }),
  }),
};
const ANY_KIND = struct('Object', 'v1', { metadata: objectMeta });

/** The JSON type as Go's decoder names it ("number 1.5" for a number that does not fit). */
function jsonTypeOf(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'number';
  return Array.isArray(v) ? 'array' : 'object';
}

const INT_RANGE = { int32: 2 ** 31, int64: 2 ** 63 };

function mismatch(v: unknown, type: GoType): string | undefined {
  switch (type.t) {
    case 'string': return typeof v === 'string' ? undefined : jsonTypeOf(v);
    case 'bool': return typeof v === 'boolean' ? undefined : jsonTypeOf(v);
    case 'int32':
    case 'int64': {
      if (typeof v !== 'number') return jsonTypeOf(v);
      const limit = INT_RANGE[type.t];
      return Number.isInteger(v) && v >= -limit && v < limit ? undefined : `number ${String(v)}`;
    }
    case 'intstr': return typeof v === 'string' ? undefined : mismatch(v, INT32);
    case 'strmap': return isRecord(v) ? undefined : jsonTypeOf(v);
    case 'list': return Array.isArray(v) ? undefined : jsonTypeOf(v);
    case 'struct': return isRecord(v) ? undefined : jsonTypeOf(v);
  }
}

function goName(type: GoType): string {
  if (type.t === 'strmap') return 'map[string]string';
  if (type.t === 'intstr') return 'intstr.IntOrString';
  if (type.t === 'list' || type.t === 'struct') return type.go;
  return type.t;
}

/**
 * Decode `body` against the kind's Go types in place, as encoding/json would: the
 * first JSON type that cannot go into its Go type is returned as Go's message, and
 * nulls become what Go keeps for them (omitted fields, zero-valued list items and
 * map values), so readers never meet a null where they expect a value.
 */
export function decodeTyped(kind: string, body: unknown): string | undefined {
  return check(body, KINDS[kind] ?? ANY_KIND, kind, '');
}

function zeroOf(type: GoType): unknown {
  switch (type.t) {
    case 'string': return '';
    case 'bool': return false;
    case 'int32':
    case 'int64':
    case 'intstr': return 0;
    case 'list': return [];
    case 'strmap':
    case 'struct': return {};
  }
}

function check(value: unknown, type: GoType, struct: string, path: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  const bad = mismatch(value, type);
  if (bad !== undefined) {
    // IntOrString decodes itself: its error names no field (k8s.io/apimachinery/pkg/util/intstr).
    if (type.t === 'intstr') return `json: cannot unmarshal ${bad} into Go value of type int32`;
    const into = path === '' ? `Go value of type ${goName(type)}` : `Go struct field ${struct}.${path} of type ${goName(type)}`;
    return `json: cannot unmarshal ${bad} into ${into}`;
  }
  if (type.t === 'strmap') {
    const map = value as Record<string, unknown>;
    for (const [k, v] of Object.entries(map)) {
      if (v === null) map[k] = '';
      else if (typeof v !== 'string') return `json: cannot unmarshal ${jsonTypeOf(v)} into Go struct field ${struct}.${path} of type string`;
    }
  }
  if (type.t === 'list') {
    const items = value as unknown[];
    for (let i = 0; i < items.length; i++) {
      if (items[i] === null) items[i] = zeroOf(type.of);
      const err = check(items[i], type.of, struct, path);
      if (err) return err;
    }
  }
  if (type.t === 'struct') {
    const obj = value as Record<string, unknown>;
    for (const [key, field] of Object.entries(type.fields)) {
      if (obj[key] === null) delete obj[key];
      const err = check(obj[key], field, type.name, path === '' ? key : `${path}.${key}`);
      if (err) return err;
    }
  }
  return undefined;
}
