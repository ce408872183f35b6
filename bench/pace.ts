// The embedded cluster's speed (KUBELAB_EMBEDDED_SPEED) against what it costs: CPU of
// the whole server while learners sit idle — half of them with the readiness-endpoints
// lab still broken (a readiness probe failing forever), half with it fixed — and what
// "Check my work" costs a learner on top: a grade right after fixing readiness-endpoints
// (the rollout of three new Pods must settle first), the first grade of clusterip-basics
// right after applying it, and its warm grade (median wall ms and server CPU ms).
// Everything through the HTTP API of a real app on startPlatform, as `kubelab serve` runs it.
// One table: a row per speed; idle CPU with each number of idle learners; the grades
// measured with the most idle learners of that speed around them.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { buildApp } from '../server/app.ts';
import { loadCatalog, type Exercise } from '../server/catalog/loader.ts';
import { loadConfig } from '../server/config/config.ts';
import { databaseFile, openDatabase } from '../server/db/database.ts';
import { startPlatform } from '../server/platform.ts';
import { apiCaller } from './http.ts';
import { formatRows, median, ms } from './stats.ts';

const IDLE_WINDOW_MS = 10_000;
const GRADES = 5;

interface PaceFigures {
  /** Server CPU over the idle window, as a share of one core. */
  cpu: number;
  /** readiness-endpoints: apply the fix to a broken lab, then "Check my work" at once (wall ms). */
  fixGrade: number;
  /** clusterip-basics: apply the solution to a fresh lab, then grade at once (wall ms). */
  firstGrade: number;
  /** clusterip-basics graded again, median wall ms and median server CPU ms. */
  warmGrade: number;
  warmGradeCpu: number;
}

const cpuMs = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;

async function measure(speed: number, learners: number): Promise<PaceFigures> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubelab-bench-pace-'));
  const config = loadConfig({
    KUBELAB_DATA_DIR: dir, PORT: '0', LOG_LEVEL: 'silent',
    KUBELAB_EMBEDDED_SPEED: String(speed), KUBELAB_MAX_ENVIRONMENTS: String(learners + 10),
  });
  const db = openDatabase(databaseFile(dir));
  const catalog = await loadCatalog(config.exercisesDir);
  const platform = await startPlatform({ config, db, catalog });
  const app = await buildApp({ config, db, catalog, platform });
  try {
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const call = apiCaller(base);
    const solution = (exercise: Exercise) => exercise.solution.map((m) => stringify(m.object)).join('---\n');
    const apply = (token: string, exercise: Exercise) => call(token, 'POST', `/api/v1/exercises/${exercise.id}/environment/apply`, solution(exercise));
    const learner = async (name: string, exercise: Exercise, fixed: boolean): Promise<string> => {
      const user = db.users.create({ externalKey: `bench:${name}`, displayName: name, role: 'learner' });
      const token = db.tokens.createToken(user.id, 'bench', []).plaintext;
      await call(token, 'PUT', `/api/v1/exercises/${exercise.id}/environment`);
      if (fixed) await apply(token, exercise);
      return token;
    };
    const checkMyWork = async (token: string, exercise: Exercise): Promise<void> => {
      const { attempt } = JSON.parse(await call(token, 'POST', `/api/v1/exercises/${exercise.id}/attempts`)) as { attempt: { id: number } };
      await call(token, 'GET', `/api/v1/attempts/${attempt.id}/events`);
      const final = JSON.parse(await call(token, 'GET', `/api/v1/attempts/${attempt.id}`)) as { attempt: { result: string } };
      if (final.attempt.result !== 'passed') throw new Error(`speed ${speed}: the solution of ${exercise.id} graded ${final.attempt.result}`);
    };
    const timed = async (fn: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> => {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await fn();
      return { wall: performance.now() - t0, cpu: cpuMs(process.cpuUsage(cpu0)) };
    };

    const lab = catalog.byId('readiness-endpoints')!;
    // The learner who will fix the lab, broken like the idle half.
    const fixer = await learner('fixer', lab, false);
    // Ten at a time, as a class arriving: sequential provisioning of 200 would take the bench's whole budget.
    for (let i = 0; i < learners; i += 10) {
      await Promise.all(Array.from({ length: Math.min(10, learners - i) }, (_, k) => learner(`idle-${i + k}`, lab, (i + k) % 2 === 1)));
    }
    // Let rollouts finish, so the window sees only the steady state of idle labs.
    await new Promise((r) => setTimeout(r, 3000));
    const before = process.cpuUsage();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, IDLE_WINDOW_MS));
    const cpu = cpuMs(process.cpuUsage(before)) / (performance.now() - t0);

    // "Check my work" right after the fix: the rollout of Pods with a working probe must settle first.
    const fixGrade = (await timed(async () => {
      await apply(fixer, lab);
      await checkMyWork(fixer, lab);
    })).wall;

    const shop = catalog.byId('clusterip-basics')!;
    const token = await learner('grader', shop, false);
    const firstGrade = (await timed(async () => {
      await apply(token, shop);
      await checkMyWork(token, shop); // waits for the rollout, creates probe Pods
    })).wall;
    const warm: { wall: number; cpu: number }[] = [];
    for (let i = 0; i < GRADES; i++) warm.push(await timed(() => checkMyWork(token, shop)));
    return { cpu, fixGrade, firstGrade, warmGrade: median(warm.map((w) => w.wall)), warmGradeCpu: median(warm.map((w) => w.cpu)) };
  } finally {
    await app.close();
    await platform.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchPace(): Promise<string> {
  // KUBELAB_BENCH_PACE="10:0,40,200 100:0,40" picks the cases; the default is the server's speed first.
  const plan = (process.env['KUBELAB_BENCH_PACE'] ?? '10:0,40,200 100:0,40,200').split(' ').map((part) => {
    const [speed, counts] = part.split(':');
    return { speed: Number(speed), counts: (counts ?? '0').split(',').map(Number) };
  });
  const allCounts = [...new Set(plan.flatMap((p) => p.counts))].sort((a, b) => a - b);
  const rows: string[][] = [];
  for (const { speed, counts } of plan) {
    const idle = new Map<number, number>();
    let last: PaceFigures | undefined;
    for (const learners of [...counts].sort((a, b) => a - b)) {
      const r = await measure(speed, learners);
      idle.set(learners, r.cpu);
      last = r;
      process.stderr.write(`pace: speed ${speed}, ${learners} learners: idle ${(r.cpu * 100).toFixed(1)}%, fix → graded ${ms(r.fixGrade)} ms, apply → graded ${ms(r.firstGrade)} ms, warm ${ms(r.warmGrade)} ms (${ms(r.warmGradeCpu)} ms CPU); load ${os.loadavg()[0]!.toFixed(2)}\n`);
    }
    rows.push([
      String(speed),
      ...allCounts.map((n) => (idle.has(n) ? `${(idle.get(n)! * 100).toFixed(1)}%` : '–')),
      ms(last!.fixGrade), ms(last!.firstGrade), ms(last!.warmGrade), ms(last!.warmGradeCpu),
    ]);
  }
  return [
    `idle CPU of the whole server over ${IDLE_WINDOW_MS / 1000} s (share of one core), readiness-endpoints labs half broken;`,
    `then, with the most idle learners of that speed: readiness-endpoints fixed and graded at once, clusterip-basics applied and graded at once, and graded warm (median of ${GRADES}). Load average at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    formatRows(['speed', ...allCounts.map((n) => `idle CPU, ${n} learners`), 'fix → graded ms', 'apply → graded ms', 'warm grade ms', 'warm grade CPU ms'], rows),
  ].join('\n');
}
