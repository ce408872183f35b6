// Provisioning latency against the embedded cluster: 100 learners one after another,
// then 50 at once. Each provisioning is namespace + RBAC + quota + LimitRange +
// NetworkPolicy (+ the exercise's setup/, when it has one), through the service.
// Run: node --import tsx bench/provisioning.ts   (or via the bench runner)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startCluster } from '../kubesim/index.ts';
import { DEFAULT_EXERCISES_DIR, loadCatalog } from '../server/catalog/loader.ts';
import { KubeClusterClient } from '../server/cluster/client.ts';
import { kubeConfigFromString } from '../server/cluster/kubeconfig.ts';
import { databaseFile, openDatabase } from '../server/db/database.ts';
import { EnvironmentService } from '../server/environments/service.ts';
import { formatRows, ms, percentile } from './stats.ts';

export interface LatencyRow {
  scenario: string;
  learners: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
  totalMs: number;
}

export interface ProvisioningBenchOptions {
  sequential?: number;
  concurrent?: number;
  exerciseId?: string;
}

function row(scenario: string, samples: number[], totalMs: number): LatencyRow {
  return {
    scenario,
    learners: samples.length,
    medianMs: percentile(samples, 50),
    p95Ms: percentile(samples, 95),
    maxMs: Math.max(0, ...samples),
    totalMs,
  };
}

export async function benchProvisioning(options: ProvisioningBenchOptions = {}): Promise<LatencyRow[]> {
  const sequential = options.sequential ?? 100;
  const concurrent = options.concurrent ?? 50;
  // No setup Pods by default: 150 namespaces of probing Pods would measure the simulator, not provisioning.
  const exerciseId = options.exerciseId ?? 'clusterip-basics';
  const dir = mkdtempSync(path.join(tmpdir(), 'kubelab-bench-'));
  const sim = await startCluster({ seed: 1 });
  const db = openDatabase(databaseFile(dir));
  try {
    const catalog = await loadCatalog(DEFAULT_EXERCISES_DIR);
    const service = new EnvironmentService({
      db,
      cluster: new KubeClusterClient(kubeConfigFromString(sim.kubeconfig)),
      exercise: (id) => catalog.byId(id),
      now: Date.now,
      ttlMs: 2 * 3600_000,
      maxEnvironments: sequential + concurrent + 10,
      maxEnvironmentsPerLearner: 3,
    });
    const learner = (name: string) => db.users.create({ externalKey: `bench:${name}`, displayName: name, role: 'learner' }).id;
    const timed = async (user: number): Promise<number> => {
      const start = performance.now();
      const { environment } = await service.ensure(user, exerciseId);
      if (environment.status !== 'ready') throw new Error(`${environment.namespace}: ${environment.status} ${environment.error ?? ''}`);
      return performance.now() - start;
    };

    const seqUsers = Array.from({ length: sequential }, (_, i) => learner(`seq-${i}`));
    const seqStart = performance.now();
    const seqSamples: number[] = [];
    for (const user of seqUsers) seqSamples.push(await timed(user));
    const seqTotal = performance.now() - seqStart;

    const conUsers = Array.from({ length: concurrent }, (_, i) => learner(`con-${i}`));
    const conStart = performance.now();
    const conSamples = await Promise.all(conUsers.map(timed));
    const conTotal = performance.now() - conStart;

    return [row(`sequential (${exerciseId})`, seqSamples, seqTotal), row(`concurrent (${exerciseId})`, conSamples, conTotal)];
  } finally {
    db.close();
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatTable(rows: LatencyRow[]): string {
  return formatRows(
    ['scenario', 'learners', 'median ms', 'p95 ms', 'max ms', 'total s'],
    rows.map((r) => [r.scenario, String(r.learners), ms(r.medianMs), ms(r.p95Ms), ms(r.maxMs), (r.totalMs / 1000).toFixed(2)]),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await benchProvisioning();
  process.stdout.write(`provisioning latency, embedded cluster\n${formatTable(rows)}\n`);
}
