// The scheduler's filters (table) and, end to end on a tiny topology, the
// kubelet's max-pods limit: "Too many pods" with the real FitError text.
import { describe, expect, it } from 'vitest';
import type { StoredObject } from '../../core/types.ts';
import { nodeObject, type NodeSpec } from '../nodes.ts';
import { startTestCluster } from '../testing/cluster.ts';
import { deployment } from '../testing/manifests.ts';
import { at, recs, str } from '../util/obj.ts';
import { isReady } from './helpers.ts';
import { filterNode, fitErrorMessage } from './scheduler.ts';

const stored = (o: { metadata: Record<string, unknown> } & Record<string, unknown>): StoredObject =>
  ({ ...o, metadata: { uid: 'u', resourceVersion: '1', creationTimestamp: '2026-01-01T00:00:00Z', ...o.metadata } }) as StoredObject;

const worker: NodeSpec = { name: 'w', role: 'worker', internalIP: '172.18.0.3', podCIDR: '10.244.1.0/24', maxPods: 3 };
const node = (patch: (n: Record<string, unknown>) => void = () => undefined): StoredObject => {
  const n = nodeObject(worker, '2026-01-01T00:00:00Z');
  patch(n as unknown as Record<string, unknown>);
  return stored(n);
};
const pod = (spec: Record<string, unknown> = {}): StoredObject =>
  stored({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec } });

describe('filterNode', () => {
  it.each([
    ['fits an empty node', pod(), node(), 0, undefined],
    ['fits below max-pods', pod(), node(), 2, undefined],
    ['refuses at max-pods', pod(), node(), 3, 'Too many pods'],
    ['defaults max-pods to 110', pod(), node((n) => { delete (n.status as Record<string, Record<string, unknown>>).allocatable!.pods; }), 109, undefined],
    ['defaults max-pods to 110 (full)', pod(), node((n) => { delete (n.status as Record<string, Record<string, unknown>>).allocatable!.pods; }), 110, 'Too many pods'],
    ['refuses a cordoned node first', pod(), node((n) => { (n.spec as Record<string, unknown>).unschedulable = true; }), 3, 'node(s) were unschedulable'],
    ['refuses another nodeName', pod({ nodeName: 'x' }), node(), 0, "node(s) didn't match the requested node name"],
    ['refuses an untolerated taint', pod(), node((n) => { (n.spec as Record<string, unknown>).taints = [{ key: 'gpu', value: 'yes', effect: 'NoSchedule' }]; }), 0, 'node(s) had untolerated taint {gpu: yes}'],
    ['accepts a tolerated taint', pod({ tolerations: [{ key: 'gpu', operator: 'Exists' }] }), node((n) => { (n.spec as Record<string, unknown>).taints = [{ key: 'gpu', value: 'yes', effect: 'NoSchedule' }]; }), 0, undefined],
    ['ignores PreferNoSchedule', pod(), node((n) => { (n.spec as Record<string, unknown>).taints = [{ key: 'gpu', effect: 'PreferNoSchedule' }]; }), 0, undefined],
    ['refuses a nodeSelector mismatch', pod({ nodeSelector: { disk: 'ssd' } }), node(), 0, "node(s) didn't match Pod's node affinity/selector"],
    ['refuses a NotReady node', pod(), node((n) => { (n.status as Record<string, unknown>).conditions = [{ type: 'Ready', status: 'False' }]; }), 0, 'node(s) had untolerated taint {node.kubernetes.io/not-ready: }'],
  ])('%s', (_title, p, n, podsOnNode, want) => {
    expect(filterNode(p, n, podsOnNode)).toBe(want);
  });

  it('words the preemption part by reason: resources may be preempted, the rest not', () => {
    expect(fitErrorMessage(3, ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }', 'Too many pods', 'Too many pods'])).toBe(
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Too many pods. '
      + 'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod..',
    );
  });
});

describe('max Pods per node, end to end', () => {
  const tiny: NodeSpec[] = [
    { name: 'kind-control-plane', role: 'control-plane', internalIP: '172.18.0.2', podCIDR: '10.244.0.0/24' },
    { name: 'kind-worker', role: 'worker', internalIP: '172.18.0.3', podCIDR: '10.244.1.0/24', maxPods: 2 },
  ];

  it('leaves the third Pod Pending with FailedScheduling, then places it once a slot frees', async () => {
    const c = await startTestCluster(5, { nodes: tiny });
    expect(at(c.store.get('nodes', undefined, 'kind-worker'), 'status', 'allocatable', 'pods')).toBe('2');
    c.create('apps/deployments', deployment('web', { replicas: 2 }));
    await c.settle();
    c.create('pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'extra', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx:1.28' }] } });
    await c.settle();
    const message = '0/2 nodes are available: 1 Too many pods, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. '
      + 'preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling..';
    const web = c.pods().filter((p) => p.metadata.name.startsWith('web-'));
    expect(web.filter(isReady)).toHaveLength(2);
    const extra = c.store.get('pods', 'default', 'extra');
    expect(str(at(extra, 'status', 'phase'))).toBe('Pending');
    expect(recs(at(extra, 'status', 'conditions')).find((x) => x.type === 'PodScheduled')).toMatchObject({ status: 'False', reason: 'Unschedulable', message });
    const events = c.store.list('events', 'default').filter((e) => at(e, 'involvedObject', 'name') === 'extra');
    expect(events.map((e) => [e.reason, e.message])).toEqual([['FailedScheduling', message]]);

    c.remove('apps/deployments', 'default', 'web');
    await c.settle();
    const placed = c.store.get('pods', 'default', 'extra');
    expect(str(at(placed, 'spec', 'nodeName'))).toBe('kind-worker');
    expect(isReady(placed!)).toBe(true);
    expect(c.errors).toEqual([]);
  });
});
