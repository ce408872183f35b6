// The resources the embedded cluster serves: one table that discovery, OpenAPI,
// routing, RBAC and the controllers all read, so there is one source of truth.
// Names, short names and categories as a kind v1.32 cluster reports them
// (`kubectl api-resources`).

export interface ResourceDef {
  /** Registry key: "pods" for the core group, "apps/deployments" otherwise. */
  key: string;
  group: string;
  version: string;
  kind: string;
  listKind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  subresources: SubresourceDef[];
}

export interface SubresourceDef {
  name: string;
  kind: string;
  verbs: string[];
  /** Served under this group/version (e.g. deployments/scale is autoscaling/v1 Scale). */
  group?: string;
  version?: string;
}

const CRUD = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const STATUS: SubresourceDef = { name: 'status', kind: '', verbs: ['get', 'patch', 'update'] };

interface Spec {
  group?: string;
  version?: string;
  kind: string;
  plural: string;
  namespaced?: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs?: string[];
  status?: boolean;
  extra?: SubresourceDef[];
}

function def(s: Spec): ResourceDef {
  const group = s.group ?? '';
  const subresources: SubresourceDef[] = [];
  if (s.status) subresources.push({ ...STATUS, kind: s.kind });
  subresources.push(...(s.extra ?? []));
  return {
    key: group ? `${group}/${s.plural}` : s.plural,
    group,
    version: s.version ?? 'v1',
    kind: s.kind,
    listKind: `${s.kind}List`,
    plural: s.plural,
    singular: s.kind.toLowerCase(),
    namespaced: s.namespaced ?? true,
    shortNames: s.shortNames ?? [],
    categories: s.categories ?? [],
    verbs: s.verbs ?? CRUD,
    subresources,
  };
}

export const RESOURCES: readonly ResourceDef[] = [
  def({ kind: 'Namespace', plural: 'namespaces', namespaced: false, shortNames: ['ns'], status: true,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    extra: [{ name: 'finalize', kind: 'Namespace', verbs: ['update'] }] }),
  def({ kind: 'Node', plural: 'nodes', namespaced: false, shortNames: ['no'], status: true }),
  def({ kind: 'Pod', plural: 'pods', shortNames: ['po'], categories: ['all'], status: true,
    extra: [
      { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
      { name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
      { name: 'log', kind: 'Pod', verbs: ['get'] },
      { name: 'binding', kind: 'Binding', verbs: ['create'] },
      { name: 'eviction', kind: 'Eviction', verbs: ['create'], group: 'policy', version: 'v1' },
    ] }),
  def({ kind: 'Service', plural: 'services', shortNames: ['svc'], categories: ['all'], status: true,
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] }),
  def({ kind: 'Endpoints', plural: 'endpoints', shortNames: ['ep'] }),
  def({ kind: 'Event', plural: 'events', shortNames: ['ev'] }),
  def({ kind: 'ServiceAccount', plural: 'serviceaccounts', shortNames: ['sa'],
    extra: [{ name: 'token', kind: 'TokenRequest', verbs: ['create'], group: 'authentication.k8s.io', version: 'v1' }] }),
  def({ kind: 'ConfigMap', plural: 'configmaps', shortNames: ['cm'] }),
  def({ kind: 'Secret', plural: 'secrets' }),
  def({ kind: 'PersistentVolumeClaim', plural: 'persistentvolumeclaims', shortNames: ['pvc'], status: true }),
  def({ kind: 'ResourceQuota', plural: 'resourcequotas', shortNames: ['quota'], status: true }),
  def({ kind: 'LimitRange', plural: 'limitranges', shortNames: ['limits'] }),
  def({ group: 'apps', kind: 'Deployment', plural: 'deployments', shortNames: ['deploy'], categories: ['all'], status: true,
    extra: [{ name: 'scale', kind: 'Scale', verbs: ['get', 'patch', 'update'], group: 'autoscaling', version: 'v1' }] }),
  def({ group: 'apps', kind: 'ReplicaSet', plural: 'replicasets', shortNames: ['rs'], categories: ['all'], status: true,
    extra: [{ name: 'scale', kind: 'Scale', verbs: ['get', 'patch', 'update'], group: 'autoscaling', version: 'v1' }] }),
  def({ group: 'apps', kind: 'StatefulSet', plural: 'statefulsets', shortNames: ['sts'], categories: ['all'], status: true,
    extra: [{ name: 'scale', kind: 'Scale', verbs: ['get', 'patch', 'update'], group: 'autoscaling', version: 'v1' }] }),
  def({ group: 'discovery.k8s.io', kind: 'EndpointSlice', plural: 'endpointslices' }),
  def({ group: 'networking.k8s.io', kind: 'NetworkPolicy', plural: 'networkpolicies', shortNames: ['netpol'] }),
  def({ group: 'rbac.authorization.k8s.io', kind: 'Role', plural: 'roles' }),
  def({ group: 'rbac.authorization.k8s.io', kind: 'RoleBinding', plural: 'rolebindings' }),
  def({ group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', plural: 'clusterroles', namespaced: false }),
  def({ group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding', plural: 'clusterrolebindings', namespaced: false }),
  // Served only so `kubectl auth can-i` works; create-only, nothing is stored.
  def({ group: 'authorization.k8s.io', kind: 'SelfSubjectAccessReview', plural: 'selfsubjectaccessreviews', namespaced: false, verbs: ['create'] }),
  def({ group: 'authorization.k8s.io', kind: 'SelfSubjectRulesReview', plural: 'selfsubjectrulesreviews', namespaced: false, verbs: ['create'] }),
  def({ group: 'authentication.k8s.io', kind: 'SelfSubjectReview', plural: 'selfsubjectreviews', namespaced: false, verbs: ['create'] }),
];

const byKey = new Map(RESOURCES.map((r) => [r.key, r]));

export function resourceByKey(key: string): ResourceDef | undefined {
  return byKey.get(key);
}

/** Look up by group + plural (as in a URL). */
export function resourceFor(group: string, plural: string): ResourceDef | undefined {
  return byKey.get(group ? `${group}/${plural}` : plural);
}

/** Look up by apiVersion + kind (as in a manifest). */
export function resourceForKind(apiVersion: string, kind: string): ResourceDef | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return RESOURCES.find((r) => r.group === group && r.version === version && r.kind === kind);
}

export function apiVersionOf(r: ResourceDef): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** Resources the store keeps (the review kinds are virtual). */
export function isStored(r: ResourceDef): boolean {
  return r.group !== 'authorization.k8s.io' && r.group !== 'authentication.k8s.io';
}
