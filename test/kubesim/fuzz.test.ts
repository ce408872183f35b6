// #17: 2000 seeded hostile requests against the embedded API. None may get a 5xx,
// and a refused request must leave the store exactly as it was (same resourceVersion).

import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { ManualClock, seededRng } from '../../kubesim/core/clock.ts';
import { settle } from '../../kubesim/controlplane/index.ts';
import { startCluster, type RunningCluster } from '../../kubesim/index.ts';
import { apiCall } from './api-call.ts';
import { fuzzRequest, seedObjects } from './fuzz-requests.ts';

const REQUESTS = 2000;
let cluster: RunningCluster;
const clock = new ManualClock();

beforeAll(async () => {
  cluster = await startCluster({ seed: 23, clock });
  expect((await apiCall(cluster, 'POST', '/api/v1/namespaces', { metadata: { name: 'fuzz' } })).status).toBe(201);
  for (const { path, body } of seedObjects()) expect((await apiCall(cluster, 'POST', path, body)).status).toBe(201);
});
afterAll(async () => {
  await cluster?.close();
});

it(`answers ${REQUESTS} seeded hostile requests without a 5xx, storing nothing from refused ones`, async () => {
  const rng = seededRng(1717);
  const problems: string[] = [];
  const logged: string[] = [];
  // The API server, store and control plane report internal failures on console.error.
  const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => { logged.push(args.map(String).join(' ').slice(0, 300)); });
  let refused = 0;
  for (let i = 0; i < REQUESTS; i++) {
    const req = fuzzRequest(rng);
    await cluster.controlPlane.idle();
    const before = cluster.store.resourceVersion;
    const reply = await apiCall(cluster, req.method, req.path, req.body, req.headers);
    await cluster.controlPlane.idle();
    const what = `#${i} ${req.method} ${req.path.slice(0, 120)} [${req.headers['content-type']}] ${String(req.body).slice(0, 80)}`;
    if (reply.status >= 500 || reply.status < 100) problems.push(`${what} -> ${reply.status} ${reply.text.slice(0, 200)}`);
    if (reply.status >= 400) {
      refused++;
      if (cluster.store.resourceVersion !== before) problems.push(`${what} -> ${reply.status} but the store moved ${before} -> ${cluster.store.resourceVersion}`);
    }
  }
  // Whatever was accepted must not break the controllers or the kubelet later on.
  await settle(cluster.controlPlane, clock, { maxMs: 120_000 });
  spy.mockRestore();
  expect(problems).toEqual([]);
  expect(logged).toEqual([]);
  expect(refused).toBeGreaterThan(REQUESTS / 2);
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
}, 60_000);
