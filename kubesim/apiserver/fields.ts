// Known fields of the kinds we serve, for fieldValidation=Strict|Warn. Covers the
// top level, metadata, each kind's spec, and the nested shapes learners most often
// misspell (containers, their ports, Service ports, pod templates). Anything not
// described here is accepted as is ("any"). Field names from k8s.io/api v0.32.
// Source for the semantics: k8s.io/apiserver/pkg/endpoints/handlers/rest.go (fieldValidation).

import { isRecord } from './http.ts';

type Node = 'any' | { obj: Record<string, Node> } | { list: Node };

const ANY = 'any' as const;
const obj = (fields: Record<string, Node>): Node => ({ obj: fields });
const list = (of: Node): Node => ({ list: of });
const anyOf = (...names: string[]): Record<string, Node> => Object.fromEntries(names.map((n) => [n, ANY]));

const metadata = obj(anyOf('name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation',
  'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences',
  'finalizers', 'managedFields'));

const containerPort = obj(anyOf('name', 'hostPort', 'containerPort', 'protocol', 'hostIP'));
const container = obj({
  ...anyOf('name', 'image', 'command', 'args', 'workingDir', 'envFrom', 'env', 'resources', 'resizePolicy', 'restartPolicy',
    'volumeMounts', 'volumeDevices', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle',
    'terminationMessagePath', 'terminationMessagePolicy', 'imagePullPolicy', 'securityContext', 'stdin', 'stdinOnce', 'tty'),
  ports: list(containerPort),
});
const podSpec = obj({
  ...anyOf('volumes', 'ephemeralContainers', 'restartPolicy', 'terminationGracePeriodSeconds', 'activeDeadlineSeconds',
    'dnsPolicy', 'nodeSelector', 'serviceAccountName', 'serviceAccount', 'automountServiceAccountToken', 'nodeName',
    'hostNetwork', 'hostPID', 'hostIPC', 'shareProcessNamespace', 'securityContext', 'imagePullSecrets', 'hostname',
    'subdomain', 'affinity', 'schedulerName', 'tolerations', 'hostAliases', 'priorityClassName', 'priority', 'dnsConfig',
    'readinessGates', 'runtimeClassName', 'enableServiceLinks', 'preemptionPolicy', 'overhead',
    'topologySpreadConstraints', 'setHostnameAsFQDN', 'os', 'hostUsers', 'schedulingGates', 'resourceClaims', 'resources'),
  containers: list(container),
  initContainers: list(container),
});
const template = obj({ metadata, spec: podSpec });
const servicePort = obj(anyOf('name', 'protocol', 'appProtocol', 'port', 'targetPort', 'nodePort'));

const specs: Record<string, Node> = {
  Pod: podSpec,
  Service: obj({
    ...anyOf('selector', 'clusterIP', 'clusterIPs', 'type', 'externalIPs', 'sessionAffinity', 'loadBalancerIP',
      'loadBalancerSourceRanges', 'externalName', 'externalTrafficPolicy', 'healthCheckNodePort', 'publishNotReadyAddresses',
      'sessionAffinityConfig', 'ipFamilies', 'ipFamilyPolicy', 'allocateLoadBalancerNodePorts', 'loadBalancerClass',
      'internalTrafficPolicy', 'trafficDistribution'),
    ports: list(servicePort),
  }),
  Deployment: obj({ ...anyOf('replicas', 'selector', 'strategy', 'minReadySeconds', 'revisionHistoryLimit', 'paused', 'progressDeadlineSeconds'), template }),
  ReplicaSet: obj({ ...anyOf('replicas', 'minReadySeconds', 'selector'), template }),
  StatefulSet: obj({
    ...anyOf('replicas', 'selector', 'volumeClaimTemplates', 'serviceName', 'podManagementPolicy', 'updateStrategy',
      'revisionHistoryLimit', 'minReadySeconds', 'persistentVolumeClaimRetentionPolicy', 'ordinals'),
    template,
  }),
  Namespace: obj(anyOf('finalizers')),
  Node: obj(anyOf('podCIDR', 'podCIDRs', 'providerID', 'unschedulable', 'taints', 'configSource', 'externalID')),
  ResourceQuota: obj(anyOf('hard', 'scopes', 'scopeSelector')),
  LimitRange: obj(anyOf('limits')),
  NetworkPolicy: obj(anyOf('podSelector', 'ingress', 'egress', 'policyTypes')),
};

/** Top-level fields per kind besides apiVersion, kind and metadata. */
const topLevel: Record<string, string[]> = {
  Namespace: ['spec', 'status'], Node: ['spec', 'status'], Pod: ['spec', 'status'], Service: ['spec', 'status'],
  Endpoints: ['subsets'],
  Event: ['involvedObject', 'reason', 'message', 'source', 'firstTimestamp', 'lastTimestamp', 'count', 'type', 'eventTime',
    'series', 'action', 'related', 'reportingComponent', 'reportingInstance'],
  ServiceAccount: ['secrets', 'imagePullSecrets', 'automountServiceAccountToken'],
  ConfigMap: ['data', 'binaryData', 'immutable'],
  Secret: ['data', 'stringData', 'type', 'immutable'],
  ResourceQuota: ['spec', 'status'], LimitRange: ['spec'],
  Deployment: ['spec', 'status'], ReplicaSet: ['spec', 'status'], StatefulSet: ['spec', 'status'],
  EndpointSlice: ['addressType', 'endpoints', 'ports'],
  NetworkPolicy: ['spec'],
  Role: ['rules'], ClusterRole: ['rules', 'aggregationRule'],
  RoleBinding: ['subjects', 'roleRef'], ClusterRoleBinding: ['subjects', 'roleRef'],
  SelfSubjectAccessReview: ['spec', 'status'], SelfSubjectRulesReview: ['spec', 'status'], SelfSubjectReview: ['status'],
  TokenRequest: ['spec', 'status'], Scale: ['spec', 'status'],
};

function schemaFor(kind: string): Node | undefined {
  const fields = topLevel[kind];
  if (!fields) return undefined;
  const shape: Record<string, Node> = { apiVersion: ANY, kind: ANY, metadata };
  for (const f of fields) shape[f] = f === 'spec' ? (specs[kind] ?? ANY) : ANY;
  return obj(shape);
}

function walk(value: unknown, node: Node, path: string, out: string[]): void {
  if (node === 'any' || value === null || value === undefined) return;
  if ('list' in node) {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, node.list, `${path}[${i}]`, out));
    return;
  }
  if (!isRecord(value)) return;
  for (const [key, child] of Object.entries(value)) {
    const where = path ? `${path}.${key}` : key;
    const spec = node.obj[key];
    if (spec === undefined) out.push(where);
    else walk(child, spec, where, out);
  }
}

/** Paths of fields the kind does not declare, e.g. ["spec.foo"], in document order. */
export function unknownFields(kind: string, body: unknown): string[] {
  const schema = schemaFor(kind);
  if (!schema) return [];
  const out: string[] = [];
  walk(body, schema, '', out);
  return out;
}

/** "strict decoding error: unknown field \"a\", unknown field \"b\"" (sigs.k8s.io/json strict errors). */
export function strictDecodingMessage(fields: string[]): string {
  return `strict decoding error: ${fields.map((f) => `unknown field "${f}"`).join(', ')}`;
}
