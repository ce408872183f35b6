// Cluster pool benchmark: three embedded clusters behind one kubelab platform.
//   1. N learners provisioned without and with a warm pool: placement spread against
//      capacity shares, Start latency p50/p95, and how many Starts a warm namespace served.
//   2. G grades at once across the members: errors (a verdict of `error`) must be 0.
//   3. One member stopped mid-run: learners on the others keep getting kubeconfigs and
//      verdicts (0 errors); learners on the stopped one get the plain 503 error.
// Run: node --import tsx bench/pool.ts [learners] [grades]   (or `npm run bench pool`)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadCatalog } from '../server/catalog/loader.ts';
import { MemberUnavailableError } from '../server/cluster/pool/errors.ts';
import { loadConfig } from '../server/config/config.ts';
import { databaseFile, openDatabase, type Db } from '../server/db/database.ts';
import { startPlatform, type Platform } from '../server/platform.ts';
import { formatRows, machineNote, ms, percentile } from './stats.ts';

export interface PoolBenchOptions {
  learners?: number;
  grades?: number;
  /** Starts in flight at once (a class arriving). */
  concurrency?: number;
  /** Warm namespaces kept per exercise in the warm run. */
  warm?: number;
  exerciseId?: string;
}

// Unequal on purpose: placement must follow capacity shares, not split evenly.
const MEMBERS = [
  { name: 'east', capacity: 0.45 },
  { name: 'west', capacity: 0.35 },
  { name: 'north', capacity: 0.2 },
];

interface Run {
  platform: Platform;
  db: Db;
  close(): Promise<void>;
  learner(i: number): number;
}

async function startRun(learners: number, warm: number, exerciseId: string): Promise<Run> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubelab-bench-pool-'));
  // Room for every learner plus the warm ones, with 10% slack spread by share.
  const total = Math.ceil((learners + warm) * 1.1) + 3;
  const file = path.join(dir, 'clusters.json');
  writeFileSync(file, JSON.stringify({ clusters: MEMBERS.map((m) => ({ name: m.name, embedded: true, capacity: Math.ceil(total * m.capacity) })) }));
  const config = loadConfig({
    KUBELAB_DATA_DIR: dir,
    LOG_LEVEL: 'silent',
    KUBELAB_EMBEDDED_SPEED: '100',
    KUBELAB_CLUSTERS: file,
    KUBELAB_MAX_ENVIRONMENTS: String(total * 2),
    KUBELAB_GRADING_CONCURRENCY: '16',
    ...(warm > 0 ? { KUBELAB_WARM_ENVIRONMENTS: `${exerciseId}=${warm}` } : {}),
  });
  const db = openDatabase(databaseFile(dir));
  const catalog = await loadCatalog(config.exercisesDir);
  const platform = await startPlatform({
    config,
    db,
    catalog,
    embedded: { startOptions: { seed: 1 } },
    healthScheduler: { every: () => () => undefined },
    reaperScheduler: { every: () => () => undefined },
    onError: () => undefined,
  });
  const ids = new Map<number, number>();
  return {
    platform,
    db,
    learner: (i) => {
      let id = ids.get(i);
      if (id === undefined) {
        id = db.users.create({ externalKey: `local:l${i}`, displayName: `l${i}`, role: 'learner' }).id;
        ids.set(i, id);
      }
      return id;
    },
    close: async () => {
      await platform.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function inBatches(n: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

interface ProvisionResult {
  label: string;
  samples: number[];
  fromWarm: number;
  errors: number;
  spreadPoints: number;
  perMember: string;
}

async function provisionAll(run: Run, label: string, learners: number, concurrency: number, exerciseId: string): Promise<ProvisionResult> {
  const samples: number[] = [];
  let fromWarm = 0;
  let errors = 0;
  await inBatches(learners, concurrency, async (i) => {
    const userId = run.learner(i);
    const started = performance.now();
    try {
      const { environment } = await run.platform.environments.ensure(userId, exerciseId);
      samples.push(performance.now() - started);
      if (environment.namespace.startsWith('kl-warm-')) fromWarm++;
    } catch {
      errors++;
    }
  });
  const status = run.platform.pool.status();
  const totalCapacity = status.reduce((s, m) => s + m.capacity, 0);
  const placed = status.reduce((s, m) => s + m.environments, 0);
  // Percentage points between each member's share of learners and its share of capacity.
  const spreadPoints = Math.max(...status.map((m) => Math.abs(m.environments / placed - m.capacity / totalCapacity) * 100));
  const perMember = status.map((m) => `${m.name} ${m.environments}/${m.capacity}`).join(', ');
  return { label, samples, fromWarm, errors, spreadPoints, perMember };
}

async function gradeAll(run: Run, userIds: number[], exerciseId: string): Promise<{ finished: number; errors: number; refused: number; wallMs: number }> {
  const started = performance.now();
  const attempts: number[] = [];
  let refused = 0;
  for (const id of userIds) {
    try {
      attempts.push(run.platform.grading.start(id, exerciseId).attempt.id);
    } catch (err) {
      if (err instanceof MemberUnavailableError) refused++;
      else throw err;
    }
  }
  await run.platform.grading.drain();
  const wallMs = performance.now() - started;
  const results = attempts.map((a) => run.db.attempts.select(a));
  return { finished: results.filter((r) => r.status === 'finished').length, errors: results.filter((r) => r.result === 'error').length, refused, wallMs };
}

export async function benchPool(options: PoolBenchOptions = {}): Promise<string> {
  const learners = options.learners ?? 600;
  const grades = Math.min(options.grades ?? 100, learners);
  const concurrency = options.concurrency ?? 10;
  const warm = options.warm ?? 30;
  const exerciseId = options.exerciseId ?? 'clusterip-basics';
  const lines: string[] = [];

  const provisionRows: ProvisionResult[] = [];
  // Cold: every Start provisions from scratch.
  {
    const run = await startRun(learners, 0, exerciseId);
    try {
      provisionRows.push(await provisionAll(run, 'warm pool off', learners, concurrency, exerciseId));
    } finally {
      await run.close();
    }
  }
  // Warm: the pool is filled first (a class's start is announced), then learners arrive.
  const run = await startRun(learners, warm, exerciseId);
  try {
    await run.platform.warm!.settled();
    provisionRows.push(await provisionAll(run, `warm pool on (${warm} kept)`, learners, concurrency, exerciseId));
    await run.platform.warm!.settled();

    lines.push(
      formatRows(
        ['run', 'learners', 'errors', 'from warm', 'p50 ms', 'p95 ms', 'max spread (pp)', 'per member'],
        provisionRows.map((r) => [r.label, String(r.samples.length), String(r.errors), String(r.fromWarm), ms(percentile(r.samples, 50)), ms(percentile(r.samples, 95)), r.spreadPoints.toFixed(2), r.perMember]),
      ),
    );

    const byMember = (member: string) => Array.from({ length: learners }, (_, i) => run.learner(i)).filter((id) => run.db.environments.selectOptionalCurrent(id, exerciseId)?.cluster === member);
    const everyone = Array.from({ length: grades }, (_, i) => run.learner(i));
    const concurrentGrades = await gradeAll(run, everyone, exerciseId);

    // Stop one member mid-run, let the probe notice, then the others carry on.
    const stopped = 'north';
    await run.platform.clusters.get(stopped)!.close();
    await run.platform.pool.probe();
    await run.platform.pool.probe();
    const survivors = [...byMember('east'), ...byMember('west')].slice(0, grades);
    const onStopped = byMember(stopped).slice(0, Math.max(1, Math.floor(grades / 5)));
    let kubeconfigErrors = 0;
    await inBatches(survivors.length, concurrency, async (i) => {
      await run.platform.environments.kubeconfig(survivors[i]!, exerciseId).catch(() => kubeconfigErrors++);
    });
    const afterStop = await gradeAll(run, survivors, exerciseId);
    const stoppedGrades = await gradeAll(run, onStopped, exerciseId);

    lines.push(
      '',
      formatRows(
        ['grades', 'started', 'finished', 'verdict error', 'refused 503', 'wall ms'],
        [
          ['at once, all members up', String(everyone.length), String(concurrentGrades.finished), String(concurrentGrades.errors), String(concurrentGrades.refused), ms(concurrentGrades.wallMs)],
          [`${stopped} stopped: learners elsewhere`, String(survivors.length), String(afterStop.finished), String(afterStop.errors), String(afterStop.refused), ms(afterStop.wallMs)],
          [`${stopped} stopped: its own learners`, String(onStopped.length), String(stoppedGrades.finished), String(stoppedGrades.errors), String(stoppedGrades.refused), ms(stoppedGrades.wallMs)],
        ],
      ),
      `kubeconfigs for learners elsewhere after the stop: ${survivors.length - kubeconfigErrors}/${survivors.length} ok`,
    );
  } finally {
    await run.close();
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const learners = process.argv[2] ? Number(process.argv[2]) : undefined;
  const grades = process.argv[3] ? Number(process.argv[3]) : undefined;
  process.stdout.write(`kubelab cluster pool benchmark — ${machineNote()}\n\n${await benchPool({ ...(learners ? { learners } : {}), ...(grades ? { grades } : {}) })}\n`);
}
