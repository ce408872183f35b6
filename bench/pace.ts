// The embedded cluster's speed (KUBELAB_EMBEDDED_SPEED) against what it costs: CPU of
// the whole server while learners sit idle — half of them with the readiness-endpoints
// lab still broken (a readiness probe failing forever), half with it fixed — and the
// "Check my work" latency of one more learner on top. Everything through the HTTP API
// of a real app on startPlatform, as `kubelab serve` runs it.
import { mkdtempSync, rmSync } from 'node:fs';
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

async function measure(speed: number, learners: number): Promise<{ cpu: number; firstGrade: number; warmGrade: number }> {
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
    const learner = async (name: string, exercise: Exercise, fixed: boolean): Promise<string> => {
      const user = db.users.create({ externalKey: `bench:${name}`, displayName: name, role: 'learner' });
      const token = db.tokens.createToken(user.id, 'bench', []).plaintext;
      await call(token, 'PUT', `/api/v1/exercises/${exercise.id}/environment`);
      if (fixed) await call(token, 'POST', `/api/v1/exercises/${exercise.id}/environment/apply`, exercise.solution.map((m) => stringify(m.object)).join('---\n'));
      return token;
    };
    const checkMyWork = async (token: string, exercise: Exercise): Promise<number> => {
      const start = performance.now();
      const { attempt } = JSON.parse(await call(token, 'POST', `/api/v1/exercises/${exercise.id}/attempts`)) as { attempt: { id: number } };
      await call(token, 'GET', `/api/v1/attempts/${attempt.id}/events`);
      const elapsed = performance.now() - start;
      const final = JSON.parse(await call(token, 'GET', `/api/v1/attempts/${attempt.id}`)) as { attempt: { result: string } };
      if (final.attempt.result !== 'passed') throw new Error(`speed ${speed}: the solution graded ${final.attempt.result}`);
      return elapsed;
    };

    const lab = catalog.byId('readiness-endpoints')!;
    // Ten at a time, as a class arriving: sequential provisioning of 200 would take the bench's whole budget.
    for (let i = 0; i < learners; i += 10) {
      await Promise.all(Array.from({ length: Math.min(10, learners - i) }, (_, k) => learner(`idle-${i + k}`, lab, (i + k) % 2 === 1)));
    }
    // Let rollouts finish, so the window sees only the steady state of idle labs.
    await new Promise((r) => setTimeout(r, 3000));
    const before = process.cpuUsage();
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, IDLE_WINDOW_MS));
    const used = process.cpuUsage(before);
    const cpu = (used.user + used.system) / 1000 / (performance.now() - t0);

    const shop = catalog.byId('clusterip-basics')!;
    const token = await learner('grader', shop, true);
    const firstGrade = await checkMyWork(token, shop); // waits for the rollout, creates probe Pods
    const warm: number[] = [];
    for (let i = 0; i < GRADES; i++) warm.push(await checkMyWork(token, shop));
    return { cpu, firstGrade, warmGrade: median(warm) };
  } finally {
    await app.close();
    await platform.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchPace(): Promise<string> {
  const rows: string[][] = [];
  // KUBELAB_BENCH_PACE="10:0,40,200 100:0,40" picks the cases; the default is the server's speed first.
  const plan = (process.env['KUBELAB_BENCH_PACE'] ?? '10:0,40,200 100:0,40').split(' ').map((part) => {
    const [speed, counts] = part.split(':');
    return { speed: Number(speed), counts: (counts ?? '0').split(',').map(Number) };
  });
  for (const { speed, counts } of plan) {
    for (const learners of counts) {
      const r = await measure(speed, learners);
      rows.push([String(speed), String(learners), `${(r.cpu * 100).toFixed(1)}%`, ms(r.firstGrade), ms(r.warmGrade)]);
      process.stderr.write(`pace: ${rows.at(-1)!.join(' ')}\n`);
    }
  }
  return [
    `idle CPU of the whole server over ${IDLE_WINDOW_MS / 1000} s (share of one core), readiness-endpoints labs half broken; then clusterip-basics graded`,
    formatRows(['speed', 'idle learners', 'idle CPU', 'apply → first grade ms', `warm grade median ms (${GRADES})`], rows),
  ].join('\n');
}
