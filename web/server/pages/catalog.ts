// `/`: the exercises in teaching order, each with its time, the learner's best score and
// where they stand (passed / in progress / not started).
import type { FastifyPluginAsync } from 'fastify';
import type { ExerciseProgress } from '../../../server/db/attempts.ts';
import type { WebDeps } from '../deps.ts';
import { html } from '../html.ts';
import { page } from '../layout.ts';
import { requirePage } from './guard.ts';

type Standing = 'passed' | 'in progress' | 'not started';

function standing(progress: ExerciseProgress | undefined, hasEnvironment: boolean): Standing {
  if (progress?.passed) return 'passed';
  return progress || hasEnvironment ? 'in progress' : 'not started';
}

const ICON: Record<Standing, string> = { passed: '✓', 'in progress': '◐', 'not started': '○' };

export const catalogRoutes: FastifyPluginAsync<WebDeps> = async (app, deps) => {
  app.get('/', async (request, reply) => {
    const who = requirePage(request, reply, deps);
    if (!who) return reply;
    const progress = new Map(deps.db.attempts.progressForUser(who.user.id).map((p) => [p.exerciseId, p]));
    const live = new Set(deps.db.environments.listLiveForUser(who.user.id).map((e) => e.exerciseId));
    const classes = deps.db.classes.listForMember(who.user.id);
    const body = html`<section class="catalog">
      <h1>Kubernetes Services, hands-on</h1>
      <p class="lead">Eight labs, in order. Each gives you your own namespace on a cluster; build what it asks
        with <code>kubectl</code> or the YAML box, then press <strong>Check my work</strong>.</p>
      ${classes.length > 0 && html`<p class="muted">Your class${classes.length > 1 ? 'es' : ''}: ${classes.map((c, i) => html`${i > 0 ? ', ' : ''}<strong>${c.name}</strong>`)}</p>`}
      <ol class="exercise-list">
        ${deps.catalog.exercises.map((e) => {
          const p = progress.get(e.id);
          const s = standing(p, live.has(e.id));
          const points = e.checks.reduce((sum, c) => sum + c.points, 0);
          return html`<li class="exercise-card">
            <div class="exercise-card-main">
              <h2><a href="/exercises/${e.id}">${e.title}</a></h2>
              <p>${e.summary}</p>
            </div>
            <dl class="facts">
              <div><dt>Time</dt><dd>${e.minutes} min</dd></div>
              <div><dt>Best score</dt><dd>${p?.bestScore != null ? `${p.bestScore} / ${points}` : '—'}</dd></div>
              <div><dt>Status</dt><dd><span class="badge standing-${s.replace(' ', '-')}"><span aria-hidden="true">${ICON[s]}</span> ${s}</span></dd></div>
            </dl>
          </li>`;
        })}
      </ol>
    </section>`;
    return reply.type('text/html; charset=utf-8').send(page({ title: 'Exercises', assets: deps.assets, who, body }).value);
  });
};
