// Noisy neighbour benchmark (issue 17 item 2): another learner's "Check my work" latency
// and API p50 on a warm server, first with no busy Pods anywhere, then while one learner
// runs 11 Pods of `while true; do :; done` (kubectl run spin … as a learner would). The
// figure that matters is the ratio busy / idle: the simulated CPU limits (kubesim/runtime/cpu)
// should keep it near 1. Also reports what the busy learner's Pods got: metered work units
// and throttled slices, read from the runtime's CPU scheduler.
// Run: node --import tsx bench/cpu.ts   (or `npm run bench cpu`)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { CpuScheduler } from '../kubesim/index.ts';
import { buildApp } from '../server/app.ts';
import { loadCatalog, type Exercise } from '../server/catalog/loader.ts';
import { loadConfig } from '../server/config/config.ts';
import { databaseFile, openDatabase } from '../server/db/database.ts';
import { startPlatform } from '../server/platform.ts';
import { apiCaller } from './http.ts';
import { formatRows, machineNote, median, ms, percentile } from './stats.ts';

export interface CpuBenchOptions {
  /** Busy Pods the noisy learner runs. */
  busyPods?: number;
  /** Grades measured per phase. */
  grades?: number;
  /** API requests measured per phase. */
  apiCalls?: number;
}

const BUSY_LOOP = 'while true; do :; done';

export async function benchCpu(options: CpuBenchOptions = {}): Promise<string> {
  const busyPods = options.busyPods ?? 11;
  const grades = options.grades ?? 15;
  const apiCalls = options.apiCalls ?? 200;
  const dir = mkdtempSync(path.join(tmpdir(), 'kubelab-bench-cpu-'));
  const config = loadConfig({ KUBELAB_DATA_DIR: dir, PORT: '0', LOG_LEVEL: 'silent', KUBELAB_EMBEDDED_SPEED: '100' });
  const db = openDatabase(databaseFile(dir));
  const catalog = await loadCatalog(config.exercisesDir);
  // The default scheduler, made here so the benchmark can read what the busy Pods were given.
  const cpu = new CpuScheduler();
  const platform = await startPlatform({ config, db, catalog, embedded: { startOptions: { seed: 3, cpu } } });
  const app = await buildApp({ config, db, catalog, platform });
  try {
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const call = apiCaller(base);
    const shop = catalog.byId('clusterip-basics')!;
    const learner = async (name: string, exercise: Exercise, manifests: string): Promise<{ token: string; namespace: string }> => {
      const user = db.users.create({ externalKey: `bench:${name}`, displayName: name, role: 'learner' });
      const token = db.tokens.createToken(user.id, 'bench', []).plaintext;
      const env = JSON.parse(await call(token, 'PUT', `/api/v1/exercises/${exercise.id}/environment`)) as { environment: { namespace: string } };
      await call(token, 'POST', `/api/v1/exercises/${exercise.id}/environment/apply`, manifests);
      return { token, namespace: env.environment.namespace };
    };
    const grader = await learner('quiet', shop, shop.solution.map((m) => stringify(m.object)).join('---\n'));
    const checkMyWork = async (): Promise<number> => {
      const start = performance.now();
      const { attempt } = JSON.parse(await call(grader.token, 'POST', `/api/v1/exercises/${shop.id}/attempts`)) as { attempt: { id: number } };
      await call(grader.token, 'GET', `/api/v1/attempts/${attempt.id}/events`);
      const elapsed = performance.now() - start;
      const final = JSON.parse(await call(grader.token, 'GET', `/api/v1/attempts/${attempt.id}`)) as { attempt: { result: string } };
      if (final.attempt.result !== 'passed') throw new Error(`the quiet learner's grade was ${final.attempt.result}`);
      return elapsed;
    };
    const phase = async (): Promise<{ grade: number[]; api: number[] }> => {
      const grade: number[] = [];
      for (let i = 0; i < grades; i++) grade.push(await checkMyWork());
      const api: number[] = [];
      for (let i = 0; i < apiCalls; i++) {
        const start = performance.now();
        await call(grader.token, 'GET', `/api/v1/exercises/${shop.id}/environment`);
        api.push(performance.now() - start);
      }
      return { grade, api };
    };
    await checkMyWork(); // warm: the rollout finishes and the probe Pods exist
    const idle = await phase();

    const spin = Array.from({ length: busyPods }, (_, i) => stringify({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: `spin-${i}` },
      spec: { containers: [{ name: 'spin', image: 'busybox', command: ['sh', '-c', BUSY_LOOP] }] },
    })).join('---\n');
    const noisy = await learner('noisy', shop, spin);
    for (;;) {
      const pods = await platform.cluster.client.list({ apiVersion: 'v1', kind: 'Pod', namespace: noisy.namespace });
      const running = pods.filter((p) => (p.status as { phase?: string } | undefined)?.phase === 'Running').length;
      if (running === busyPods) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const before = new Map(cpu.accounts().map((a) => [a, a.cpuStat()]));
    const t0 = performance.now();
    const busy = await phase();
    const seconds = (performance.now() - t0) / 1000;
    const spinning = cpu.accounts().filter((a) => a.key.namespace === noisy.namespace);
    const units = spinning.reduce((n, a) => n + a.cpuStat().usageUnits - (before.get(a)?.usageUnits ?? 0), 0);
    const throttled = spinning.reduce((n, a) => n + a.cpuStat().throttled - (before.get(a)?.throttled ?? 0), 0);
    const quota = spinning.reduce((n, a) => n + a.quota, 0);
    const ratio = (a: number[], b: number[]) => (median(b) / median(a)).toFixed(2);
    return [
      `another learner's grade (clusterip-basics, ${grades} grades) and API (GET environment, ${apiCalls} calls) with 0 vs ${busyPods} busy Pods of one learner (${BUSY_LOOP})`,
      formatRows(['measure', 'idle median ms', 'idle p95 ms', 'busy median ms', 'busy p95 ms', 'busy / idle'], [
        ['grade latency', ms(median(idle.grade)), ms(percentile(idle.grade, 95)), ms(median(busy.grade)), ms(percentile(busy.grade, 95)), ratio(idle.grade, busy.grade)],
        ['API latency', ms(median(idle.api)), ms(percentile(idle.api, 95)), ms(median(busy.api)), ms(percentile(busy.api, 95)), ratio(idle.api, busy.api)],
      ]),
      `the busy Pods while measured (${seconds.toFixed(1)} s): ${units} work units (${(units / seconds).toFixed(0)}/s; their limits allow ${((quota * 1000) / cpu.sliceMs).toFixed(0)}/s), ${throttled} throttled slices; one simulated core = ${cpu.unitsPerCore} units per ${cpu.sliceMs} ms slice`,
    ].join('\n');
  } finally {
    await app.close();
    await platform.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`kubelab noisy-neighbour CPU benchmark — ${machineNote()}\n\n${await benchCpu()}\n`);
}
