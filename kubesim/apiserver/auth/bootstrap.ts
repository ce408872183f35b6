// The default ClusterRoles and ClusterRoleBindings a fresh cluster has, trimmed to
// the kinds this cluster serves (no aggregation: admin/edit/view list their rules).
// Source: plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go

import type { Store } from '../../core/store.ts';
import type { KubeObject } from '../../core/types.ts';
import type { PolicyRule } from './types.ts';

const RBAC = 'rbac.authorization.k8s.io';
const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];

type Rule = Partial<PolicyRule> & { verbs: string[] };
const rule = (verbs: string[], apiGroups: string[], resources: string[]): Rule => ({ verbs, apiGroups, resources });

const viewRules: Rule[] = [
  rule(READ, [''], ['configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status']),
  rule(READ, [''], ['bindings', 'events', 'limitranges', 'namespaces/status', 'pods/log', 'pods/status', 'replicationcontrollers/status', 'resourcequotas', 'resourcequotas/status']),
  rule(READ, [''], ['namespaces']),
  rule(READ, ['discovery.k8s.io'], ['endpointslices']),
  rule(READ, ['apps'], ['controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status']),
  rule(READ, ['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
  rule(READ, ['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status']),
  rule(READ, ['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies']),
  rule(READ, ['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
];

const editRules: Rule[] = [
  ...viewRules,
  rule(['create'], [''], ['pods/eviction']),
  rule(READ, [''], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy']),
  rule(['impersonate'], [''], ['serviceaccounts']),
  rule(WRITE, [''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy']),
  rule(['create'], [''], ['serviceaccounts/token']),
  rule(WRITE, [''], ['configmaps', 'endpoints', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'secrets', 'serviceaccounts', 'services', 'services/proxy']),
  rule(WRITE, ['apps'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale']),
  rule(WRITE, ['autoscaling'], ['horizontalpodautoscalers']),
  rule(WRITE, ['batch'], ['cronjobs', 'jobs']),
  rule(WRITE, ['networking.k8s.io'], ['ingresses', 'networkpolicies']),
  rule(WRITE, ['policy'], ['poddisruptionbudgets']),
  rule(WRITE, ['discovery.k8s.io'], ['endpointslices']),
];

const adminRules: Rule[] = [
  ...editRules,
  rule(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']),
  rule([...READ, ...WRITE], [RBAC], ['rolebindings', 'roles']),
];

const DISCOVERY_URLS = ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'];

const CLUSTER_ROLES: Record<string, Rule[]> = {
  'cluster-admin': [rule(['*'], ['*'], ['*']), { verbs: ['*'], nonResourceURLs: ['*'] }],
  admin: adminRules,
  edit: editRules,
  view: viewRules,
  'system:discovery': [{ verbs: ['get'], nonResourceURLs: DISCOVERY_URLS }],
  'system:public-info-viewer': [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'] }],
  'system:basic-user': [rule(['create'], ['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']), rule(['create'], ['authentication.k8s.io'], ['selfsubjectreviews'])],
};

const CLUSTER_ROLE_BINDINGS: Record<string, { role: string; groups: string[] }> = {
  'cluster-admin': { role: 'cluster-admin', groups: ['system:masters'] },
  'system:discovery': { role: 'system:discovery', groups: ['system:authenticated'] },
  'system:basic-user': { role: 'system:basic-user', groups: ['system:authenticated'] },
  'system:public-info-viewer': { role: 'system:public-info-viewer', groups: ['system:authenticated', 'system:unauthenticated'] },
};

const metadata = (name: string) => ({
  name,
  labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
  annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
});

/** Create the default roles and bindings that are missing (an existing one is left as the user changed it). */
export function bootstrapPolicy(store: Store): void {
  for (const [name, rules] of Object.entries(CLUSTER_ROLES)) {
    if (store.get(`${RBAC}/clusterroles`, undefined, name)) continue;
    const role: KubeObject = { apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: metadata(name), rules };
    store.create(`${RBAC}/clusterroles`, role);
  }
  for (const [name, { role, groups }] of Object.entries(CLUSTER_ROLE_BINDINGS)) {
    if (store.get(`${RBAC}/clusterrolebindings`, undefined, name)) continue;
    const binding: KubeObject = {
      apiVersion: `${RBAC}/v1`,
      kind: 'ClusterRoleBinding',
      metadata: metadata(name),
      roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: role },
      subjects: groups.map((g) => ({ apiGroup: RBAC, kind: 'Group', name: g })),
    };
    store.create(`${RBAC}/clusterrolebindings`, binding);
  }
}
