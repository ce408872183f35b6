// Table rows as a real v1.32 apiserver renders them for kubectl get.
import { describe, expect, it } from 'vitest';
import { resourceFor } from '../../core/registry.ts';
import type { StoredObject } from '../../core/types.ts';
import { humanDuration, toTable } from './index.ts';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

function stored(kind: string, name: string, body: Record<string, unknown>, meta: Record<string, unknown> = {}): StoredObject {
  return {
    apiVersion: 'v1',
    kind,
    metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '7', creationTimestamp: ago(200), ...meta },
    ...body,
  };
}

function cells(group: string, plural: string, obj: StoredObject): unknown[] {
  const table = toTable(resourceFor(group, plural)!, [obj], { now: NOW, includeObject: 'None', resourceVersion: '9' });
  return (table.rows as { cells: unknown[] }[])[0]!.cells;
}

describe('humanDuration', () => {
  it.each([
    [0, '0s'], [-1, '0s'], [-5, '<invalid>'], [5, '5s'], [119, '119s'], [120, '2m'], [200, '3m20s'], [600, '10m'],
    [179 * 60, '179m'], [3 * 3600, '3h'], [5 * 3600 + 600, '5h10m'], [8 * 3600, '8h'], [47 * 3600, '47h'],
    [48 * 3600, '2d'], [53 * 3600, '2d5h'], [8 * 86400, '8d'], [729 * 86400, '729d'], [730 * 86400, '2y'],
    [(3 * 365 + 45) * 86400, '3y45d'], [9 * 365 * 86400, '9y'],
  ])('%ds → %s', (s, expected) => {
    expect(humanDuration(s * 1000)).toBe(expected);
  });
});

const running = { running: { startedAt: ago(100) } };
const cs = (state: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ name: 'app', ready: false, restartCount: 0, state, ...extra });
const pod = (status: Record<string, unknown>, meta: Record<string, unknown> = {}, spec: Record<string, unknown> = {}) =>
  stored('Pod', 'web-1', { spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'nginx' }], ...spec }, status }, meta);

describe('pods', () => {
  it.each<[string, StoredObject, unknown[]]>([
    ['unscheduled', pod({ phase: 'Pending' }, {}, { nodeName: undefined }), ['web-1', '0/1', 'Pending', '0', '3m20s', '<none>', '<none>', '<none>', '<none>']],
    ['creating', pod({ phase: 'Pending', containerStatuses: [cs({ waiting: { reason: 'ContainerCreating' } })] }), ['web-1', '0/1', 'ContainerCreating', '0', '3m20s', '<none>', 'node-1', '<none>', '<none>']],
    ['running and ready', pod({ phase: 'Running', podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }], containerStatuses: [cs(running, { ready: true })] }), ['web-1', '1/1', 'Running', '0', '3m20s', '10.244.1.5', 'node-1', '<none>', '<none>']],
    ['crash looping', pod({ phase: 'Running', containerStatuses: [cs({ waiting: { reason: 'CrashLoopBackOff' } }, { restartCount: 3, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(25) } } })] }), ['web-1', '0/1', 'CrashLoopBackOff', '3 (25s ago)', '3m20s', '<none>', 'node-1', '<none>', '<none>']],
    ['image pull backoff', pod({ phase: 'Pending', containerStatuses: [cs({ waiting: { reason: 'ImagePullBackOff' } })] }), ['web-1', '0/1', 'ImagePullBackOff', '0', '3m20s', '<none>', 'node-1', '<none>', '<none>']],
    ['err image pull', pod({ phase: 'Pending', containerStatuses: [cs({ waiting: { reason: 'ErrImagePull' } })] }), ['web-1', '0/1', 'ErrImagePull', '0', '3m20s', '<none>', 'node-1', '<none>', '<none>']],
    ['completed', pod({ phase: 'Succeeded', containerStatuses: [cs({ terminated: { exitCode: 0, reason: 'Completed' } })] }), ['web-1', '0/1', 'Completed', '0', '3m20s', '<none>', 'node-1', '<none>', '<none>']],
    ['exited without reason', pod({ phase: 'Failed', containerStatuses: [cs({ terminated: { exitCode: 3 } })] }), ['web-1', '0/1', 'ExitCode:3', '0', '3m20s', '<none>', 'node-1', '<none>', '<none>']],
    ['terminating', pod({ phase: 'Running', containerStatuses: [cs(running, { ready: true })] }, { deletionTimestamp: ago(1) }), ['web-1', '1/1', 'Terminating', '0', '3m20s', '<none>', 'node-1', '<none>', '<none>']],
    ['completed pod being deleted stays Completed', pod({ phase: 'Succeeded', containerStatuses: [cs({ terminated: { exitCode: 0, reason: 'Completed' } })] }, { deletionTimestamp: ago(1) }), ['web-1', '0/1', 'Completed', '0', '3m20s', '<none>', 'node-1', '<none>', '<none>']],
    ['init container running', pod({ phase: 'Pending', initContainerStatuses: [{ name: 'init', restartCount: 0, state: running }] }, {}, { initContainers: [{ name: 'init' }] }), ['web-1', '0/1', 'Init:0/1', '0', '3m20s', '<none>', 'node-1', '<none>', '<none>']],
    ['init container crash', pod({ phase: 'Pending', initContainerStatuses: [{ name: 'init', restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } }] }, {}, { initContainers: [{ name: 'init' }] }), ['web-1', '0/1', 'Init:CrashLoopBackOff', '2', '3m20s', '<none>', 'node-1', '<none>', '<none>']],
    ['readiness gates', pod({ phase: 'Running', conditions: [{ type: 'example.com/gate', status: 'True' }] }, {}, { readinessGates: [{ conditionType: 'example.com/gate' }, { conditionType: 'other' }] }), ['web-1', '0/1', 'Running', '0', '3m20s', '<none>', 'node-1', '<none>', '1/2']],
  ])('%s', (_name, obj, expected) => {
    expect(cells('', 'pods', obj)).toEqual(expected);
  });

  it('marks finished pods with a Completed row condition', () => {
    const table = toTable(resourceFor('', 'pods')!, [pod({ phase: 'Succeeded' })], { now: NOW, includeObject: 'None', resourceVersion: '1' });
    expect((table.rows as Record<string, unknown>[])[0]!.conditions).toEqual([{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]);
  });
});

const svc = (spec: Record<string, unknown>, status: Record<string, unknown> = {}) => stored('Service', 'web', { spec, status });

describe('services', () => {
  it.each<[string, StoredObject, unknown[]]>([
    ['ClusterIP', svc({ type: 'ClusterIP', clusterIPs: ['10.96.45.62'], ports: [{ port: 80, protocol: 'TCP' }], selector: { app: 'web', tier: 'a' } }), ['web', 'ClusterIP', '10.96.45.62', '<none>', '80/TCP', '3m20s', 'app=web,tier=a']],
    ['two ports', svc({ type: 'ClusterIP', clusterIPs: ['10.96.0.9'], ports: [{ port: 5432, protocol: 'TCP' }, { port: 9100, protocol: 'TCP' }] }), ['web', 'ClusterIP', '10.96.0.9', '<none>', '5432/TCP,9100/TCP', '3m20s', '<none>']],
    ['headless', svc({ type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], ports: [{ port: 80, protocol: 'TCP' }] }), ['web', 'ClusterIP', 'None', '<none>', '80/TCP', '3m20s', '<none>']],
    ['NodePort', svc({ type: 'NodePort', clusterIPs: ['10.96.1.1'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] }), ['web', 'NodePort', '10.96.1.1', '<none>', '80:30080/TCP', '3m20s', '<none>']],
    ['LoadBalancer pending', svc({ type: 'LoadBalancer', clusterIPs: ['10.96.1.1'], ports: [{ port: 80, nodePort: 31000, protocol: 'TCP' }] }), ['web', 'LoadBalancer', '10.96.1.1', '<pending>', '80:31000/TCP', '3m20s', '<none>']],
    ['LoadBalancer with ingress', svc({ type: 'LoadBalancer', clusterIPs: ['10.96.1.1'], ports: [] }, { loadBalancer: { ingress: [{ ip: '172.18.0.5' }] } }), ['web', 'LoadBalancer', '10.96.1.1', '172.18.0.5', '<none>', '3m20s', '<none>']],
    ['ExternalName', svc({ type: 'ExternalName', externalName: 'db.example.com' }), ['web', 'ExternalName', '<none>', 'db.example.com', '<none>', '3m20s', '<none>']],
    ['externalIPs', svc({ type: 'ClusterIP', clusterIPs: ['10.96.1.1'], externalIPs: ['1.2.3.4'], ports: [{ port: 53, protocol: 'UDP' }] }), ['web', 'ClusterIP', '10.96.1.1', '1.2.3.4', '53/UDP', '3m20s', '<none>']],
  ])('%s', (_name, obj, expected) => {
    expect(cells('', 'services', obj)).toEqual(expected);
  });
});

const addrs = (...ips: string[]) => ips.map((ip) => ({ ip }));
describe('endpoints and slices', () => {
  it.each<[string, unknown, string]>([
    ['no subsets', [], '<none>'],
    ['two', [{ addresses: addrs('10.244.1.5', '10.244.2.3'), ports: [{ port: 80 }] }], '10.244.1.5:80,10.244.2.3:80'],
    ['more than three', [{ addresses: addrs('10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'), ports: [{ port: 80 }] }], '10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 1 more...'],
    ['two ports', [{ addresses: addrs('10.0.0.1'), ports: [{ port: 5432 }, { port: 9100 }] }], '10.0.0.1:5432,10.0.0.1:9100'],
    ['headless without ports', [{ addresses: addrs('10.0.0.1') }], '10.0.0.1'],
    ['only not-ready addresses', [{ notReadyAddresses: addrs('10.0.0.1'), ports: [{ port: 80 }] }], ''],
  ])('Endpoints %s', (_name, subsets, expected) => {
    expect(cells('', 'endpoints', stored('Endpoints', 'web', { subsets }))[1]).toBe(expected);
  });

  it.each<[string, Record<string, unknown>, unknown[]]>([
    ['ready slice', { addressType: 'IPv4', ports: [{ name: '', port: 80, protocol: 'TCP' }], endpoints: [{ addresses: ['10.244.1.5'] }, { addresses: ['10.244.2.3'] }] }, ['web-abc12', 'IPv4', '80', '10.244.1.5,10.244.2.3', '3m20s']],
    ['empty slice', { addressType: 'IPv4', ports: null, endpoints: [] }, ['web-abc12', 'IPv4', '<unset>', '<unset>', '3m20s']],
    ['many', { addressType: 'IPv4', ports: [{ port: 1 }, { port: 2 }, { port: 3 }, { port: 4 }], endpoints: [{ addresses: ['a', 'b', 'c', 'd', 'e'] }] }, ['web-abc12', 'IPv4', '1,2,3 + 1 more...', 'a,b,c + 2 more...', '3m20s']],
  ])('EndpointSlice %s', (_name, body, expected) => {
    expect(cells('discovery.k8s.io', 'endpointslices', stored('EndpointSlice', 'web-abc12', body))).toEqual(expected);
  });
});

const template = { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }, { name: 'log', image: 'busybox' }] } };
describe('workloads, nodes, events, config', () => {
  it.each<[string, string, StoredObject, unknown[]]>([
    ['apps', 'deployments', stored('Deployment', 'web', { spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template }, status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 } }), ['web', '2/3', 3, 2, '3m20s', 'web,log', 'nginx:1.27,busybox', 'app=web']],
    ['apps', 'deployments', stored('Deployment', 'fresh', { spec: { replicas: 1, selector: { matchLabels: { app: 'x' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'dev'] }] }, template } }), ['fresh', '0/1', 0, 0, '3m20s', 'web,log', 'nginx:1.27,busybox', 'app=x,env in (dev,prod)']],
    ['apps', 'replicasets', stored('ReplicaSet', 'web-5d4f', { spec: { replicas: 2, selector: { matchLabels: { app: 'web', 'pod-template-hash': '5d4f' } }, template }, status: { replicas: 2, readyReplicas: 1 } }), ['web-5d4f', 2, 2, 1, '3m20s', 'web,log', 'nginx:1.27,busybox', 'app=web,pod-template-hash=5d4f']],
    ['apps', 'statefulsets', stored('StatefulSet', 'db', { spec: { replicas: 3, template }, status: { readyReplicas: 1 } }), ['db', '1/3', '3m20s', 'web,log', 'nginx:1.27,busybox']],
    ['', 'nodes', stored('Node', 'kind-control-plane', { spec: {}, status: { conditions: [{ type: 'Ready', status: 'True' }], addresses: [{ type: 'InternalIP', address: '172.18.0.2' }, { type: 'Hostname', address: 'kind-control-plane' }], nodeInfo: { kubeletVersion: 'v1.32.0', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.8.0', containerRuntimeVersion: 'containerd://1.7.24' } } }, { labels: { 'node-role.kubernetes.io/control-plane': '' }, namespace: undefined }), ['kind-control-plane', 'Ready', 'control-plane', '3m20s', 'v1.32.0', '172.18.0.2', '<none>', 'Debian GNU/Linux 12 (bookworm)', '6.8.0', 'containerd://1.7.24']],
    ['', 'nodes', stored('Node', 'worker', { spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'False' }], nodeInfo: {} } }), ['worker', 'NotReady,SchedulingDisabled', '<none>', '3m20s', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>']],
    ['', 'namespaces', stored('Namespace', 'lab', { status: { phase: 'Terminating' } }), ['lab', 'Terminating', '3m20s']],
    ['', 'events', stored('Event', 'web-1.17a', { involvedObject: { kind: 'Pod', name: 'web-1', fieldPath: 'spec.containers{app}' }, type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container app in pod web-1_default(uid) ', firstTimestamp: ago(300), lastTimestamp: ago(25), count: 4, source: { component: 'kubelet', host: 'node-1' } }), ['25s', 'Warning', 'BackOff', 'pod/web-1', 'spec.containers{app}', 'kubelet, node-1', 'Back-off restarting failed container app in pod web-1_default(uid)', '5m', 4, 'web-1.17a']],
    ['', 'configmaps', stored('ConfigMap', 'cfg', { data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } }), ['cfg', 3, '3m20s']],
    ['', 'secrets', stored('Secret', 'pw', { type: 'Opaque', data: { p: 'eA==' } }), ['pw', 'Opaque', 1, '3m20s']],
    ['', 'serviceaccounts', stored('ServiceAccount', 'default', {}), ['default', 0, '3m20s']],
    ['', 'resourcequotas', stored('ResourceQuota', 'q', { status: { hard: { pods: '5', 'limits.cpu': '2', 'requests.cpu': '1' }, used: { pods: '2', 'requests.cpu': '500m' } } }), ['q', '3m20s', 'pods: 2/5, requests.cpu: 500m/1', 'limits.cpu: 0/2']],
    ['networking.k8s.io', 'networkpolicies', stored('NetworkPolicy', 'deny', { spec: { podSelector: {} } }), ['deny', '<none>', '3m20s']],
    ['rbac.authorization.k8s.io', 'rolebindings', stored('RoleBinding', 'rb', { roleRef: { kind: 'Role', name: 'reader' }, subjects: [{ kind: 'ServiceAccount', name: 'learner', namespace: 'a' }, { kind: 'User', name: 'jane' }] }), ['rb', 'Role/reader', '3m20s', 'jane', '', 'a/learner']],
    ['rbac.authorization.k8s.io', 'roles', stored('Role', 'reader', { rules: [] }), ['reader', ago(200)]],
  ])('%s/%s', (group, plural, obj, expected) => {
    expect(cells(group, plural, obj)).toEqual(expected);
  });
});

describe('the Table envelope', () => {
  const pods = resourceFor('', 'pods')!;
  const p = pod({ phase: 'Running' }, { labels: { app: 'web' } });

  it('carries columns, resourceVersion, continue and PartialObjectMetadata', () => {
    const table = toTable(pods, [p], { now: NOW, includeObject: 'Metadata', resourceVersion: '42', continueToken: 'abc' });
    expect(table).toMatchObject({ kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: '42', continue: 'abc' } });
    const columns = table.columnDefinitions as { name: string; priority: number; type: string; format: string }[];
    expect(columns.map((c) => (c.priority ? `${c.name}*` : c.name))).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP*', 'Node*', 'Nominated Node*', 'Readiness Gates*']);
    expect(columns[0]).toMatchObject({ type: 'string', format: 'name' });
    expect((table.rows as { object: unknown }[])[0]!.object).toEqual({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: p.metadata });
  });

  it.each<['None' | 'Object', unknown]>([
    ['None', undefined],
    ['Object', p],
  ])('includeObject=%s', (include, expected) => {
    const table = toTable(pods, [p], { now: NOW, includeObject: include, resourceVersion: '1' });
    expect((table.rows as { object?: unknown }[])[0]!.object).toEqual(expected);
  });

  it('omits column definitions for later watch events and has no continue by default', () => {
    const table = toTable(pods, [p], { now: NOW, includeObject: 'Metadata', resourceVersion: '1', omitHeaders: true });
    expect(table.columnDefinitions).toBeUndefined();
    expect(table.metadata).toEqual({ resourceVersion: '1' });
  });

  it('renders an empty list', () => {
    expect(toTable(pods, [], { now: NOW, includeObject: 'Metadata', resourceVersion: '3' }).rows).toEqual([]);
  });
});
