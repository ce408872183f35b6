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
  /** Idle/busy rounds. */
  rounds?: number;
  /** For comparison: quotas so large nothing is throttled (the state before CPU metering). */
  unmetered?: boolean;
}

async function until(done: () => Promise<boolean>): Promise<void> {
  while (!(await done())) await new Promise((r) => setTimeout(r, 20));
}

const BUSY_LOOP = 'while true; do :; done';

export async function benchCpu(options: CpuBenchOptions = {}): Promise<string> {
  const busyPods = options.busyPods ?? 11;
  const grades = options.grades ?? 8;
  const apiCalls = options.apiCalls ?? 100;
  const rounds = options.rounds ?? 3;
  const dir = mkdtempSync(path.join(tmpdir(), 'kubelab-bench-cpu-'));
  const config = loadConfig({ KUBELAB_DATA_DIR: dir, PORT: '0', LOG_LEVEL: 'silent', KUBELAB_EMBEDDED_SPEED: '100' });
  const db = openDatabase(databaseFile(dir));
  const catalog = await loadCatalog(config.exercisesDir);
  // The default scheduler, made here so the benchmark can read what the busy Pods were given.
  const cpu = options.unmetered ? new CpuScheduler({ unitsPerCore: 1e9, hostCores: 1e6 }) : new CpuScheduler();
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
    // The noisy learner's namespace (the same quota and LimitRange defaults as any learner's).
    const noisy = await learner('noisy', shop, shop.solution.map((m) => stringify(m.object)).join('---\n'));
    const client = platform.cluster.client;
    const spinPods = async (): Promise<void> => {
      for (let i = 0; i < busyPods; i++) {
        await client.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `spin-${i}`, namespace: noisy.namespace, labels: { spin: 'yes' } }, spec: { containers: [{ name: 'spin', image: 'busybox', command: ['sh', '-c', BUSY_LOOP] }] } });
      }
      await until(async () => (await client.list({ apiVersion: 'v1', kind: 'Pod', namespace: noisy.namespace, labelSelector: 'spin=yes' })).filter((p) => (p.status as { phase?: string } | undefined)?.phase === 'Running').length === busyPods);
    };
    const stopPods = async (): Promise<void> => {
      for (let i = 0; i < busyPods; i++) await client.delete({ apiVersion: 'v1', kind: 'Pod', name: `spin-${i}`, namespace: noisy.namespace });
      await until(async () => (await client.list({ apiVersion: 'v1', kind: 'Pod', namespace: noisy.namespace, labelSelector: 'spin=yes' })).length === 0);
    };
    // Idle and busy phases alternate, so load from elsewhere on the machine falls on both alike.
    const idle = { grade: [] as number[], api: [] as number[] };
    const busy = { grade: [] as number[], api: [] as number[] };
    let units = 0;
    let throttled = 0;
    let quota = 0;
    let seconds = 0;
    for (let round = 0; round < rounds; round++) {
      const i = await phase();
      idle.grade.push(...i.grade);
      idle.api.push(...i.api);
      await spinPods();
      const spinning = cpu.accounts().filter((a) => a.key.namespace === noisy.namespace);
      const before = new Map(spinning.map((a) => [a, a.cpuStat()]));
      const t0 = performance.now();
      const b = await phase();
      seconds += (performance.now() - t0) / 1000;
      busy.grade.push(...b.grade);
      busy.api.push(...b.api);
      units += spinning.reduce((n, a) => n + a.cpuStat().usageUnits - (before.get(a)?.usageUnits ?? 0), 0);
      throttled += spinning.reduce((n, a) => n + a.cpuStat().throttled - (before.get(a)?.throttled ?? 0), 0);
      quota = spinning.reduce((n, a) => n + a.quota, 0);
      await stopPods();
    }
    const ratio = (a: number[], b: number[]) => (median(b) / median(a)).toFixed(2);
    return [
      `another learner's grade (clusterip-basics, ${rounds} × ${grades} grades) and API (GET environment, ${rounds} × ${apiCalls} calls) with 0 vs ${busyPods} busy Pods of one learner (${BUSY_LOOP}), phases alternating`,
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
  // --unmetered: the same run with nothing throttled, to compare against.
  const unmetered = process.argv.includes('--unmetered');
  process.stdout.write(`kubelab noisy-neighbour CPU benchmark${unmetered ? ' (unmetered)' : ''} — ${machineNote()}\n\n${await benchCpu({ unmetered })}\n`);
}
