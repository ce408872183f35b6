// `replicas: 1000000000` in a namespace without a quota: the API keeps answering
// while the controller works through it in batches, and the Pod count keeps growing.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { ManualClock } from '../../kubesim/core/clock.ts';
import { startCluster, type RunningCluster } from '../../kubesim/index.ts';
import { apiCall } from './api-call.ts';

let cluster: RunningCluster;

beforeAll(async () => {
  cluster = await startCluster({ seed: 5, clock: new ManualClock() });
});
afterAll(async () => {
  await cluster?.close();
});

it('answers /healthz and GETs while a ReplicaSet of a billion replicas is being worked on', async () => {
  expect((await apiCall(cluster, 'POST', '/api/v1/namespaces', { metadata: { name: 'huge' } })).status).toBe(201);
  const created = await apiCall(cluster, 'POST', '/apis/apps/v1/namespaces/huge/replicasets', {
    metadata: { name: 'huge' },
    spec: {
      replicas: 1_000_000_000, selector: { matchLabels: { app: 'huge' } },
      template: { metadata: { labels: { app: 'huge' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    },
  });
  expect(created.status).toBe(201);
  const counts: number[] = [];
  // Each round trip must come back while the controller is still busy; the count
  // must keep rising toward the target between them.
  while (counts.length < 3 || counts.at(-1)! < 1500) {
    expect((await apiCall(cluster, 'GET', '/healthz')).status).toBe(200);
    expect((await apiCall(cluster, 'GET', '/apis/apps/v1/namespaces/huge/replicasets/huge')).status).toBe(200);
    counts.push(cluster.store.count('pods', 'huge'));
  }
  expect(counts.at(-1)).toBeGreaterThan(counts[0]!);
  expect(counts.at(-1)).toBeLessThan(1_000_000_000);
});
