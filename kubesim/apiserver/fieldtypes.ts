// Go types of the fields the controllers, kubelet and runtime read, so a body with a
// wrong JSON type is refused at decode time as the real apiserver does (it cannot
// even unmarshal it) instead of being stored and breaking a controller later.
// Message shape from encoding/json UnmarshalTypeError:
//   json: cannot unmarshal string into Go struct field ServiceSpec.spec.selector of type map[string]string
// (the struct is the innermost one; the field path has no list indices).
// Types from k8s.io/api v0.32 core/v1, apps/v1, meta/v1.

import { isRecord } from './http.ts';

type GoType =
  | { t: 'string' | 'bool' | 'int32' | 'int64' | 'any' }
  | { t: 'strmap' }
  | { t: 'list'; of: GoType; go: string }
  | { t: 'struct'; name: string; go: string; fields: Record<string, GoType> };

const STRING: GoType = { t: 'string' };
const BOOL: GoType = { t: 'bool' };
const INT32: GoType = { t: 'int32' };
const INT64: GoType = { t: 'int64' };
const STRMAP: GoType = { t: 'strmap' };
const strings: GoType = { t: 'list', of: STRING, go: '[]string' };
const struct = (name: string, pkg: string, fields: Record<string, GoType>): GoType => ({ t: 'struct', name, go: `${pkg}.${name}`, fields });
const list = (of: GoType): GoType => ({ t: 'list', of, go: `[]${goName(of)}` });

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
const envVar = struct('EnvVar', 'v1', { name: STRING, value: STRING });
const container = struct('Container', 'v1', {
  name: STRING, image: STRING, command: strings, args: strings, workingDir: STRING,
  ports: list(containerPort), env: list(envVar),
  imagePullPolicy: STRING, stdin: BOOL, tty: BOOL,
});
const containers = list(container);
const podSpec = struct('PodSpec', 'v1', {
  containers, initContainers: containers, restartPolicy: STRING, nodeName: STRING, nodeSelector: STRMAP,
  serviceAccountName: STRING, hostname: STRING, subdomain: STRING, terminationGracePeriodSeconds: INT64,
  activeDeadlineSeconds: INT64, dnsPolicy: STRING, schedulerName: STRING, priority: INT32,
});
const template = struct('PodTemplateSpec', 'v1', { metadata: objectMeta, spec: podSpec });
const servicePort = struct('ServicePort', 'v1', { name: STRING, protocol: STRING, port: INT32, nodePort: INT32 });
const serviceSpec = struct('ServiceSpec', 'v1', {
  selector: STRMAP, ports: list(servicePort), type: STRING, clusterIP: STRING,
  clusterIPs: strings, externalName: STRING, sessionAffinity: STRING, publishNotReadyAddresses: BOOL, internalTrafficPolicy: STRING,
});
const workload = (name: string, extra: Record<string, GoType>): GoType =>
  struct(name, 'v1', { replicas: INT32, selector: labelSelector, template, minReadySeconds: INT32, ...extra });

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
    case 'any': return undefined;
    case 'string': return typeof v === 'string' ? undefined : jsonTypeOf(v);
    case 'bool': return typeof v === 'boolean' ? undefined : jsonTypeOf(v);
    case 'int32':
    case 'int64': {
      if (typeof v !== 'number') return jsonTypeOf(v);
      const limit = INT_RANGE[type.t];
      return Number.isInteger(v) && v >= -limit && v < limit ? undefined : `number ${String(v)}`;
    }
    case 'strmap': return isRecord(v) ? undefined : jsonTypeOf(v);
    case 'list': return Array.isArray(v) ? undefined : jsonTypeOf(v);
    case 'struct': return isRecord(v) ? undefined : jsonTypeOf(v);
  }
}

function goName(type: GoType): string {
  if (type.t === 'strmap') return 'map[string]string';
  if (type.t === 'list' || type.t === 'struct') return type.go;
  return type.t;
}

/** The first field whose JSON type cannot decode into its Go type, as Go's message; undefined when all fit. */
export function typeError(kind: string, body: unknown): string | undefined {
  return check(body, KINDS[kind] ?? ANY_KIND, kind, '');
}

function check(value: unknown, type: GoType, struct: string, path: string): string | undefined {
  // null decodes to the zero value for every Go type.
  if (value === null || value === undefined) return undefined;
  const bad = mismatch(value, type);
  if (bad !== undefined) {
    const into = path === '' ? `Go value of type ${goName(type)}` : `Go struct field ${struct}.${path} of type ${goName(type)}`;
    return `json: cannot unmarshal ${bad} into ${into}`;
  }
  if (type.t === 'strmap') {
    for (const v of Object.values(value as Record<string, unknown>)) {
      if (v !== null && typeof v !== 'string') return `json: cannot unmarshal ${jsonTypeOf(v)} into Go struct field ${struct}.${path} of type string`;
    }
  }
  if (type.t === 'list') {
    for (const item of value as unknown[]) {
      const err = check(item, type.of, struct, path);
      if (err) return err;
    }
  }
  if (type.t === 'struct') {
    for (const [key, field] of Object.entries(type.fields)) {
      const err = check((value as Record<string, unknown>)[key], field, type.name, path === '' ? key : `${path}.${key}`);
      if (err) return err;
    }
  }
  return undefined;
}
