// A huge replica count is worked through in bounded batches (BurstReplicas = 500 per
// sync), so one learner's `replicas: 1e9` cannot freeze the process for the others.

import { describe, expect, it } from 'vitest';
import type { StoreEvent } from '../core/types.ts';
import { startTestCluster } from './testing/cluster.ts';
import { statefulSet } from './testing/manifests.ts';

/** The longest run of Pod creations with no other change between them: one sync's batch. */
function longestCreateRun(events: StoreEvent[]): number {
  let run = 0;
  let longest = 0;
  for (const e of events) {
    // The controller's own SuccessfulCreate Events come between its creations.
    if (e.resource === 'events') continue;
    run = e.type === 'ADDED' && e.resource === 'pods' ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return longest;
}

const replicaSet = (name: string, replicas: number) => ({
  apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, namespace: 'default' },
  spec: {
    replicas, selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'nginx:1.28' }] } },
  },
});

describe('burst replicas', () => {
  it.each([
    ['ReplicaSet', 'apps/replicasets', replicaSet('many', 1200)],
    ['Parallel StatefulSet', 'apps/statefulsets', { ...statefulSet('many', 'many', 1200), spec: { ...statefulSet('many', 'many', 1200).spec as object, podManagementPolicy: 'Parallel' } }],
  ])('a %s creates Pods at most 500 per sync and converges to the target', async (_kind, key, manifest) => {
    const c = await startTestCluster();
    const events: StoreEvent[] = [];
    c.store.subscribe((e) => events.push(e));
    c.create(key, manifest);
    await c.cp.idle();
    const owned = c.store.scan('pods', 'default').filter((p) => p.metadata.name.startsWith('many-'));
    expect(owned).toHaveLength(1200);
    expect(longestCreateRun(events)).toBeLessThanOrEqual(500);
    expect(longestCreateRun(events)).toBeGreaterThan(1);
    c.cp.stop();
  });
});
