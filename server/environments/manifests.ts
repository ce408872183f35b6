// Everything an environment consists of besides the exercise's own setup/ manifests.
// Built as plain objects (what the API receives) so provisioning can create each one
// idempotently and tests can compare against the same source.
import type { KubeObject } from '../cluster/types.ts';
import * as L from './labels.ts';
import { nodeReaderBindingFor } from './naming.ts';

export interface EnvironmentSpec {
  namespace: string;
  ownerHash: string;
  exerciseId: string;
  /** Epoch ms. */
  expiresAt: number;
  limits?: ResourceLimits;
}

/** Sized for the lessons: the largest exercise runs 5 Pods, the grader adds one probe Pod per node. */
export interface ResourceLimits {
  pods: number;
  services: number;
  requestsCpu: string;
  requestsMemory: string;
  limitsCpu: string;
  limitsMemory: string;
  /**
   * Object counts for every other kind a learner (or the exercise setup) can create, so
   * one learner cannot fill the store everyone shares with, say, 100,000 ConfigMaps.
   * Quota keys as ResourceQuota spells them. Default: DEFAULT_OBJECT_COUNTS.
   */
  objectCounts?: Record<string, number>;
}

/**
 * Far above what any lesson needs, far below what hurts the cluster. ReplicaSets leave
 * room for each Deployment's revision history; endpoints and slices follow Services.
 * https://kubernetes.io/docs/concepts/policy/resource-quotas/#object-count-quota
 */
export const DEFAULT_OBJECT_COUNTS: Record<string, number> = {
  configmaps: 50,
  secrets: 50,
  persistentvolumeclaims: 10,
  replicationcontrollers: 10,
  'count/endpoints': 30,
  'count/endpointslices.discovery.k8s.io': 60,
  'count/deployments.apps': 20,
  'count/replicasets.apps': 200,
  'count/statefulsets.apps': 10,
  'count/controllerrevisions.apps': 100,
  'count/jobs.batch': 20,
  'count/cronjobs.batch': 10,
  'count/networkpolicies.networking.k8s.io': 10,
};

export const DEFAULT_LIMITS: ResourceLimits = {
  pods: 20,
  services: 10,
  requestsCpu: '4',
  requestsMemory: '4Gi',
  limitsCpu: '8',
  limitsMemory: '8Gi',
};

export function namespaceLabels(spec: EnvironmentSpec): Record<string, string> {
  return {
    [L.MANAGED_BY]: L.MANAGED_BY_VALUE,
    [L.OWNER]: spec.ownerHash,
    [L.EXERCISE]: spec.exerciseId,
    [L.EXPIRES]: String(Math.floor(spec.expiresAt / 1000)),
    // Pod Security admission: baseline forbids privileged Pods, host namespaces and
    // hostPath, which is all a learner could use to step outside the namespace.
    // warn at the same level: Deployments and other workloads are never refused for
    // their Pod template, only warned, so learners see why their Pods never appear.
    // https://kubernetes.io/docs/concepts/security/pod-security-admission/
    'pod-security.kubernetes.io/enforce': 'baseline',
    'pod-security.kubernetes.io/enforce-version': 'latest',
    'pod-security.kubernetes.io/warn': 'baseline',
  };
}

const ALL = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];
const READ = ['get', 'list', 'watch'];

/** What the lessons need, inside the namespace only. No secrets, no RBAC, no quota or NetworkPolicy edits. */
export const LEARNER_RULES = [
  { apiGroups: [''], resources: ['pods', 'services', 'endpoints', 'configmaps', 'persistentvolumeclaims'], verbs: ALL },
  // kubectl exec/port-forward: 1.32 authorizes WebSocket upgrades as "create", older clients as "get".
  { apiGroups: [''], resources: ['pods/exec', 'pods/portforward', 'pods/attach'], verbs: ['get', 'create'] },
  { apiGroups: [''], resources: ['pods/log', 'pods/status', 'services/status'], verbs: READ },
  { apiGroups: [''], resources: ['events', 'resourcequotas', 'limitranges', 'serviceaccounts'], verbs: READ },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ALL },
  { apiGroups: ['apps'], resources: ['deployments', 'replicasets', 'statefulsets'], verbs: ALL },
  { apiGroups: ['apps'], resources: ['deployments/scale', 'replicasets/scale', 'statefulsets/scale'], verbs: ['get', 'update', 'patch'] },
  { apiGroups: ['apps'], resources: ['deployments/status', 'replicasets/status', 'statefulsets/status', 'controllerrevisions'], verbs: READ },
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: READ },
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: READ },
];

/** Shared by every environment; `kubectl get nodes` is part of the local-traffic lesson. */
export function nodeReaderClusterRole(): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: L.NODE_READER_CLUSTER_ROLE, labels: { [L.MANAGED_BY]: L.MANAGED_BY_VALUE } },
    rules: [{ apiGroups: [''], resources: ['nodes'], verbs: READ }],
  };
}

export function namespaceObject(spec: EnvironmentSpec): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: spec.namespace, labels: namespaceLabels(spec) } };
}

/** Namespaced objects, in creation order, then the cluster-scoped binding. */
export function environmentObjects(spec: EnvironmentSpec): KubeObject[] {
  const ns = spec.namespace;
  const limits = spec.limits ?? DEFAULT_LIMITS;
  const labels = { [L.MANAGED_BY]: L.MANAGED_BY_VALUE };
  const meta = (name: string) => ({ name, namespace: ns, labels });
  const learner = { kind: 'ServiceAccount', name: L.LEARNER_SERVICE_ACCOUNT, namespace: ns };
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(L.LEARNER_SERVICE_ACCOUNT) },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta('learner'), rules: LEARNER_RULES },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta('learner'),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'learner' },
      subjects: [learner],
    },
    {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: meta('learner-quota'),
      spec: {
        hard: {
          pods: String(limits.pods),
          services: String(limits.services),
          'requests.cpu': limits.requestsCpu,
          'requests.memory': limits.requestsMemory,
          'limits.cpu': limits.limitsCpu,
          'limits.memory': limits.limitsMemory,
          ...Object.fromEntries(Object.entries(limits.objectCounts ?? DEFAULT_OBJECT_COUNTS).map(([k, n]) => [k, String(n)])),
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: meta('learner-defaults'),
      // With cpu/memory in the quota every container must declare them; these
      // defaults let the lessons' plain manifests (no resources:) be admitted.
      spec: {
        limits: [
          {
            type: 'Container',
            default: { cpu: '200m', memory: '128Mi' },
            defaultRequest: { cpu: '50m', memory: '64Mi' },
            max: { cpu: '1', memory: '1Gi' },
          },
        ],
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta('same-namespace-only'),
      // Every Pod here accepts traffic from Pods in this namespace (the learner's own
      // and the grader's probes) and from nowhere else: other learners are cut off.
      spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] },
    },
    nodeReaderBinding(spec),
  ];
}

export function nodeReaderBinding(spec: Pick<EnvironmentSpec, 'namespace' | 'ownerHash'>): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: {
      name: nodeReaderBindingFor(spec.namespace),
      labels: { [L.MANAGED_BY]: L.MANAGED_BY_VALUE, [L.OWNER]: spec.ownerHash, [L.ENVIRONMENT_NAMESPACE]: spec.namespace },
    },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: L.NODE_READER_CLUSTER_ROLE },
    subjects: [{ kind: 'ServiceAccount', name: L.LEARNER_SERVICE_ACCOUNT, namespace: spec.namespace }],
  };
}
