// The portal's weight and speed as a browser meets them: bytes of JavaScript + CSS the
// exercise page loads (gzip, as served), and server time to render the catalog and the
// exercise page for a signed-in learner (medians over repeated requests).
import { buildAssets } from '../web/server/assets.ts';
import { buildTestApp } from '../test/helpers/app.ts';
import { median, percentile } from './stats.ts';

const BUDGET_GZIP = 150 * 1024;

async function timeRequests(fn: () => Promise<unknown>, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times;
}

/** A class of forty learners, each with three graded attempts at every exercise. */
function fortyLearners(app: Awaited<ReturnType<typeof buildTestApp>>) {
  const db = app.db;
  const owner = db.users.create({ externalKey: 'local:bench-teacher', displayName: 'Teacher', role: 'instructor' });
  const { class: klass } = db.classes.create({ name: 'Bench', ownerUserId: owner.id, exerciseIds: app.catalog.exercises.map((e) => e.id) });
  db.transaction(() => {
    for (let i = 0; i < 40; i++) {
      const learner = db.users.create({ externalKey: `local:bench-${i}`, displayName: `Learner ${i}`, role: 'learner' });
      db.classes.addMember(klass.id, learner.id);
      for (const exercise of app.catalog.exercises) {
        const env = db.environments.create({ userId: learner.id, exerciseId: exercise.id, namespace: `kl-b-${i}-${exercise.id}`.slice(0, 63), expiresAt: Date.now() });
        for (let n = 0; n < 3; n++) {
          const a = db.attempts.create({ userId: learner.id, environmentId: env.id, exerciseId: exercise.id, maxScore: 100 });
          db.attempts.markRunning(a.id);
          let score = 0;
          for (const [k, check] of exercise.checks.entries()) {
            const pass = (i + n + k) % 3 !== 0;
            if (pass) score += check.points;
            db.checkResults.record({ attemptId: a.id, checkId: check.id, status: pass ? 'pass' : 'fail', points: pass ? check.points : 0, maxPoints: check.points, message: pass ? 'ok' : `selector app=web matches 0 Pods in kl-${i}-0123456789abcdef` });
          }
          db.attempts.finish(a.id, { result: score === 100 ? 'passed' : 'failed', score });
        }
      }
    }
  });
  return klass;
}

export async function benchPortal(): Promise<string> {
  const assets = await buildAssets();
  const exercisePage = assets.weight(['exercise', 'style']);
  const otherPages = assets.weight(['common', 'style']);
  const dashboardPage = assets.weight(['dashboard', 'style']);
  const app = await buildTestApp();
  try {
    const user = app.db.users.create({ externalKey: 'local:bench', displayName: 'Bench', role: 'learner' });
    const { secret } = app.db.sessions.create(user.id, 'token');
    const cookie = `kubelab_session=${secret}`;
    const get = (url: string) => app.app.inject({ method: 'GET', url, headers: { cookie } });
    await get('/');
    const catalog = await timeRequests(() => get('/'), 200);
    const exercise = await timeRequests(() => get('/exercises/three-tier-shop'), 200);
    const klass = fortyLearners(app);
    const teacher = app.db.sessions.create(klass.ownerUserId, 'token');
    const asTeacher = (url: string) => app.app.inject({ method: 'GET', url, headers: { cookie: `kubelab_session=${teacher.secret}` } });
    const matrix = await timeRequests(() => asTeacher(`/api/v1/classes/${klass.id}/matrix`), 50);
    const dashboard = await timeRequests(() => asTeacher(`/instructor/classes/${klass.id}`), 50);
    const insight = await timeRequests(() => asTeacher(`/instructor/classes/${klass.id}/exercises/clusterip-basics`), 50);
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
    return [
      '| what | figure |',
      '|---|---|',
      `| exercise page JS + CSS, gzip (budget ${kb(BUDGET_GZIP)}) | ${kb(exercisePage.gzip)} (${kb(exercisePage.raw)} raw), ${(exercisePage.gzip / BUDGET_GZIP * 100).toFixed(1)}% of budget |`,
      `| other pages JS + CSS, gzip | ${kb(otherPages.gzip)} (${kb(otherPages.raw)} raw) |`,
      `| render catalog (inject) | ${median(catalog).toFixed(2)} ms median, ${percentile(catalog, 95).toFixed(2)} ms p95 |`,
      `| render exercise page (inject) | ${median(exercise).toFixed(2)} ms median, ${percentile(exercise, 95).toFixed(2)} ms p95 |`,
      `| dashboard page JS + CSS, gzip | ${kb(dashboardPage.gzip)} (${kb(dashboardPage.raw)} raw) |`,
      `| class of 40 × 8 exercises × 3 attempts: matrix API | ${median(matrix).toFixed(1)} ms median, ${percentile(matrix, 95).toFixed(1)} ms p95 |`,
      `| same class: dashboard page; exercise insight page | ${median(dashboard).toFixed(1)} ms; ${median(insight).toFixed(1)} ms median |`,
    ].join('\n');
  } finally {
    await app.close();
  }
}
