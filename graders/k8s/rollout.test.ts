// A rollout is stuck only while old Pods remain and the newest ReplicaSet's Pods are not ready.
import { describe, expect, it } from 'vitest';
import type { Observed } from '../types.ts';
import { describeStuckRollout, stuckRollout } from './rollout.ts';
import { PodSchema, WorkloadSchema } from './schemas.ts';

const rs = (hash: string, revision: string) =>
  WorkloadSchema.parse({ metadata: { name: `web-${hash}`, labels: { 'pod-template-hash': hash }, annotations: { 'deployment.kubernetes.io/revision': revision }, ownerReferences: [{ kind: 'Deployment', name: 'web' }] } });
const pod = (hash: string, i: number, ready: boolean) =>
  PodSchema.parse({
    metadata: { name: `web-${hash}-${i}`, ownerReferences: [{ kind: 'ReplicaSet', name: `web-${hash}` }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  });

function observed(replicaSets: ReturnType<typeof rs>[], pods: ReturnType<typeof pod>[]): Observed {
  return { namespace: 'ns', pods, probes: [], services: [], endpointSlices: [], deployments: [WorkloadSchema.parse({ metadata: { name: 'web' } })], replicaSets, statefulSets: [], events: [], raw: new Map() };
}

describe('stuckRollout', () => {
  it('names the newest ReplicaSet, its hash and its Pods that are not ready, and the old Pods kept', () => {
    // Listed oldest last on purpose: the revision annotation decides which is new.
    const stuck = stuckRollout(observed([rs('new', '2'), rs('old', '1')], [pod('old', 0, true), pod('old', 1, true), pod('new', 0, false)]), 'web');
    expect(stuck).toMatchObject({ newReplicaSet: 'web-new', hash: 'new', notReady: [{ pod: 'web-new-0' }], oldReplicaSets: ['web-old'], oldPods: ['web-old-0', 'web-old-1'] });
    expect(describeStuckRollout(stuck!)).toContain('The rollout of Deployment web is stuck: its new ReplicaSet web-new (Pods labelled pod-template-hash=new');
  });

  it.each([
    ['one ReplicaSet whose Pods are not ready', [rs('a', '1')], [pod('a', 0, false)]],
    ['the new Pods are ready, old ones still terminating out', [rs('a', '1'), rs('b', '2')], [pod('a', 0, true), pod('b', 0, true)]],
    ['the old ReplicaSet has no Pods left', [rs('a', '1'), rs('b', '2')], [pod('b', 0, false)]],
  ] as const)('none when %s', (_name, sets, pods) => {
    expect(stuckRollout(observed([...sets], [...pods]), 'web')).toBeUndefined();
  });
});
