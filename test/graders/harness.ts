// The graders' own test bench: one embedded cluster per test file, a real learner
// environment (namespace, quota, LimitRange, NetworkPolicy) per case, the exercise's
// manifests applied as `kubectl apply` would, and the real engine grading it.
import { startCluster, type RunningCluster } from '../../kubesim/index.ts';
import { DEFAULT_EXERCISES_DIR, loadCatalog, type Catalog, type Exercise, type Manifest } from '../../server/catalog/loader.ts';
import { KubeClusterClient } from '../../server/cluster/client.ts';
import { kubeConfigFromString, parseKubeconfig } from '../../server/cluster/kubeconfig.ts';
import { LeanClusterClient } from '../../server/cluster/lean/client.ts';
import { leanConnection } from '../../server/cluster/lean/connection.ts';
import { leanExecutor } from '../../server/cluster/lean/exec.ts';
import type { ClusterClient, KubeObject } from '../../server/cluster/types.ts';
import { applyObjects } from '../../server/environments/apply.ts';
import { provisionEnvironment } from '../../server/environments/provision.ts';
import { GradingEngine, type GradeOutcome, type Timing } from '../../graders/engine.ts';

/** The embedded cluster settles in well under a second; the budgets only bound a broken run. */
export const SIM_TIMING: Partial<Timing> = {
  settleBudgetMs: 20_000,
  settlePollMs: 20,
  probePollMs: 20,
  execTimeoutMs: 15_000,
  checkTimeoutMs: 40_000,
};

export interface GraderBench {
  sim: RunningCluster;
  admin: ClusterClient;
  catalog: Catalog;
  engine: GradingEngine;
  exercise(id: string): Exercise;
  /** A fresh learner environment with `manifests` applied in order (setup first, then a solution or mistake). */
  environment(name: string, ...manifests: readonly Manifest[][]): Promise<string>;
  grade(exercise: Exercise, namespace: string): Promise<GradeOutcome>;
  close(): Promise<void>;
}

let counter = 0;

export interface BenchOptions {
  maxPodsPerNode?: number;
  /**
   * How the grader reaches the cluster: client-node (what the server uses) or the lean
   * client and executor (what `kubelab grade` uses with a token or certificate kubeconfig).
   */
  client?: 'client-node' | 'lean';
}

export async function startGraderBench(seed: number, options: BenchOptions = {}): Promise<GraderBench> {
  const { client = 'client-node', ...cluster } = options;
  // Room for every case a suite grades in one cluster (the catalog seeds keep ~100
  // namespaces of Pods and probe Pods alive); capacity.test.ts asks for less on purpose.
  const sim = await startCluster({ seed, maxPodsPerNode: 1000, ...cluster });
  const lean = client === 'lean' ? leanConnection(parseKubeconfig(sim.kubeconfig), process.cwd()) : undefined;
  if (client === 'lean' && !lean) throw new Error('the embedded cluster kubeconfig should suit the lean client');
  const admin = lean ? new LeanClusterClient(lean) : new KubeClusterClient(kubeConfigFromString(sim.kubeconfig));
  const catalog = await loadCatalog(DEFAULT_EXERCISES_DIR);
  const engine = new GradingEngine({
    client: admin,
    kubeconfig: sim.kubeconfig,
    timing: SIM_TIMING,
    ...(lean ? { executor: (cost) => leanExecutor(lean, cost) } : {}),
  });
  const waiting = { sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)), maxPolls: 200 };
  return {
    sim,
    admin,
    catalog,
    engine,
    exercise(id) {
      const exercise = catalog.byId(id);
      if (!exercise) throw new Error(`no exercise ${id}`);
      return exercise;
    },
    async environment(name, ...manifests) {
      const namespace = `t${seed}-${name}`.slice(0, 50).replace(/-+$/, '') + `-${++counter}`;
      await provisionEnvironment(admin, { namespace, ownerHash: 'test', exerciseId: 'test', expiresAt: Date.now() + 3600_000 }, [], waiting);
      for (const set of manifests) {
        const objects: KubeObject[] = set.map((m) => ({ ...m.object, metadata: { ...m.object.metadata, namespace } }));
        const failed = (await applyObjects(admin, objects)).filter((r) => r.action === 'failed');
        if (failed.length > 0) throw new Error(`apply failed: ${failed.map((f) => `${f.kind} ${f.name}: ${f.message}`).join('; ')}`);
      }
      return namespace;
    },
    grade: (exercise, namespace) => engine.grade({ exercise, namespace }),
    close: async () => {
      if (admin instanceof LeanClusterClient) admin.close();
      await sim.close();
    },
  };
}

/** One line per check, for assertion messages. */
export function summary(outcome: GradeOutcome): string {
  return outcome.checks.map((c) => `${c.status.padEnd(7)} ${c.id}: ${c.message}`).join('\n');
}
