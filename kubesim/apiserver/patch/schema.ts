// How strategic merge patch treats each list, per kind and field path, read from
// the Go types' struct tags (`patchStrategy:"merge" patchMergeKey:"..."`) in
// k8s.io/api core/v1, apps/v1 and meta/v1 types.go. A list not listed here is
// replaced wholesale (tolerations, EndpointSlice endpoints, RBAC rules, ...).
//
// Paths are dotted field names from the object root; list elements add no
// segment, so a container's ports are "spec.containers.ports".

export type ListStrategy =
  /** A list of objects merged element by element, matched on this key. */
  | { mergeKey: string }
  /** A list of scalars merged as a set (ObjectMeta.finalizers). */
  | { primitiveMerge: true };

type Table = Record<string, ListStrategy>;

const byName: ListStrategy = { mergeKey: 'name' };
const byType: ListStrategy = { mergeKey: 'type' };

const CONTAINER: Table = {
  ports: { mergeKey: 'containerPort' },
  env: byName,
  volumeMounts: { mergeKey: 'mountPath' },
  volumeDevices: { mergeKey: 'devicePath' },
};

function under(prefix: string, table: Table): Table {
  const out: Table = {};
  for (const [path, s] of Object.entries(table)) out[prefix ? `${prefix}.${path}` : path] = s;
  return out;
}

const POD_SPEC: Table = {
  containers: byName,
  ...under('containers', CONTAINER),
  initContainers: byName,
  ...under('initContainers', CONTAINER),
  ephemeralContainers: byName,
  ...under('ephemeralContainers', CONTAINER),
  volumes: byName,
  imagePullSecrets: byName,
  hostAliases: { mergeKey: 'ip' },
  resourceClaims: byName,
  schedulingGates: byName,
};

const OBJECT_META: Table = {
  ownerReferences: { mergeKey: 'uid' },
  finalizers: { primitiveMerge: true },
};

/** Workloads embedding a PodTemplateSpec at spec.template. */
const WORKLOAD: Table = {
  ...under('spec.template.metadata', OBJECT_META),
  ...under('spec.template.spec', POD_SPEC),
  'status.conditions': byType,
};

const BY_KIND: Record<string, Table> = {
  Pod: { ...under('spec', POD_SPEC), 'status.conditions': byType },
  Deployment: WORKLOAD,
  ReplicaSet: WORKLOAD,
  StatefulSet: WORKLOAD,
  DaemonSet: WORKLOAD,
  Job: WORKLOAD,
  ReplicationController: WORKLOAD,
  PodTemplate: { ...under('template.metadata', OBJECT_META), ...under('template.spec', POD_SPEC) },
  Service: { 'spec.ports': { mergeKey: 'port' }, 'status.conditions': byType },
  Node: {
    'spec.podCIDRs': { primitiveMerge: true },
    'status.addresses': byType,
    'status.conditions': byType,
  },
  Namespace: { 'status.conditions': byType },
  ServiceAccount: { secrets: byName },
};

const META_PATHS = under('metadata', OBJECT_META);

/** The strategy for the list at `path` in an object of `kind`; undefined = replace. */
export function listStrategy(kind: string, path: string): ListStrategy | undefined {
  return META_PATHS[path] ?? BY_KIND[kind]?.[path];
}
