// What the durable embedded cluster costs (issue 11): the same writes through the real
// wire protocol against a cluster in memory and one with a state file, and how long a
// restart takes to bring a populated cluster back.
// Run: npm run bench -- durable
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { RealClock } from '../kubesim/core/clock.ts';
import { Store } from '../kubesim/core/store.ts';
import { openStateFile } from '../kubesim/durable/state-file.ts';
import { startCluster, type RunningCluster } from '../kubesim/index.ts';
import { formatRows, median, ms, percentile, timeEach } from './stats.ts';

export interface DurableBenchOptions {
  writes?: number;
  rounds?: number;
  /** Objects in the cluster that is restarted. */
  restoreObjects?: number;
}

function core(sim: RunningCluster): CoreV1Api {
  const kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfig);
  return kc.makeApiClient(CoreV1Api);
}

/** Per-write latency (ms) of `writes` ConfigMap creates then updates, one after another. */
async function writeLatencies(sim: RunningCluster, writes: number, round: number): Promise<number[]> {
  const api = core(sim);
  const namespace = `bench-${round}`;
  await api.createNamespace({ body: { metadata: { name: namespace } } });
  const create = await timeEach(writes, (i) => api.createNamespacedConfigMap({ namespace, body: { metadata: { name: `cm-${i}` }, data: { i: String(i) } } }));
  const update = await timeEach(writes, (i) => api.replaceNamespacedConfigMap({ name: `cm-${i}`, namespace, body: { metadata: { name: `cm-${i}` }, data: { i: `${i}!` } } }));
  return [...create, ...update];
}

/** Raw store writes per second, no HTTP: the state file's cost with nothing to hide it. */
function storeWritesPerSecond(stateFile: string | undefined, writes: number): number {
  const state = stateFile ? openStateFile(stateFile) : undefined;
  const store = new Store({ clock: new RealClock(), backend: state });
  const start = performance.now();
  for (let i = 0; i < writes; i++) store.create('configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: 'raw' }, data: { i: String(i) } });
  const seconds = (performance.now() - start) / 1000;
  state?.close();
  return writes / seconds;
}

export async function benchDurable(o: DurableBenchOptions = {}): Promise<string> {
  const writes = o.writes ?? 500;
  const rounds = o.rounds ?? 3;
  const dir = mkdtempSync(path.join(tmpdir(), 'kubelab-bench-durable-'));
  try {
    const memory: number[] = [];
    const durable: number[] = [];
    // Alternate the two so machine noise hits both alike.
    for (let round = 0; round < rounds; round++) {
      const inMemory = await startCluster({ seed: round });
      memory.push(...(await writeLatencies(inMemory, writes, round)));
      await inMemory.close();
      const onDisk = await startCluster({ seed: round, stateFile: path.join(dir, `state-${round}.db`) });
      durable.push(...(await writeLatencies(onDisk, writes, round)));
      await onDisk.close();
    }
    const restoreObjects = o.restoreObjects ?? 5000;
    const stateFile = path.join(dir, 'restore.db');
    const seeded = await startCluster({ stateFile });
    const api = core(seeded);
    await api.createNamespace({ body: { metadata: { name: 'many' } } });
    for (let i = 0; i < restoreObjects; i++) await api.createNamespacedConfigMap({ namespace: 'many', body: { metadata: { name: `cm-${i}` }, data: { i: String(i) } } });
    await seeded.close();
    const restarts = await timeEach(5, async () => (await startCluster({ stateFile })).close());

    const raw = [0, 1, 2].map((i) => [storeWritesPerSecond(undefined, 20_000), storeWritesPerSecond(path.join(dir, `raw-${i}.db`), 20_000)] as const);
    const rawMemory = median(raw.map(([m]) => m));
    const rawDurable = median(raw.map(([, d]) => d));
    const row = (name: string, s: number[]) => [name, ms(median(s)), ms(percentile(s, 95)), String(s.length)];
    return [
      formatRows(['ConfigMap create + replace (ms)', 'p50', 'p95', 'writes'], [row('in memory', memory), row('with state file', durable)]),
      `durable / in-memory, p50: ${(median(durable) / median(memory)).toFixed(2)}×`,
      `raw store creates, no HTTP: ${Math.round(rawMemory)}/s in memory, ${Math.round(rawDurable)}/s with the state file (${(rawMemory / rawDurable).toFixed(1)}× slower)`,
      `restart with ${restoreObjects} ConfigMaps (+ bootstrap objects) until listening: median ${ms(median(restarts))} ms`,
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
