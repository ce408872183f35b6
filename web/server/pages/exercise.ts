// `/exercises/:id`: the page a learner keeps open for a whole lab. The instructions are
// rendered here; the work panel (environment, Apply YAML, Check my work, live view,
// history) is drawn by the `exercise` island from the state embedded below, because
// all of it changes while the page is open and has one renderer that way.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { exerciseId } from '../../../server/catalog/schema.ts';
import { EnvironmentNotFoundError } from '../../../server/environments/errors.ts';
import { environmentView } from '../../../server/http/routes/environments-schemas.ts';
import { attemptView } from '../../../server/http/routes/grading-schemas.ts';
import type { WebDeps } from '../deps.ts';
import { html, jsonScript, trusted } from '../html.ts';
import { messagePage, page } from '../layout.ts';
import { requirePage } from './guard.ts';
import type { ExercisePageState } from '../../client/state.ts';

const Params = z.object({ id: exerciseId });

/**
 * The page's own <h1> is the exercise title, so the instructions' leading title goes and
 * any other level-1 heading becomes level 2: one h1 per page, for screen readers too.
 */
export function pageInstructions(rendered: string): string {
  return rendered.replace(/^\s*<h1>[\s\S]*?<\/h1>\s*/, '').replace(/<(\/?)h1>/g, '<$1h2>');
}

/** JSON inside <script type="application/json">: `<` escaped so no text can close the tag. */
export const exerciseRoutes: FastifyPluginAsync<WebDeps> = async (app, deps) => {
  const instructions = new Map(deps.catalog.exercises.map((e) => [e.id, pageInstructions(deps.renderMarkdown(e.instructions))]));

  app.get('/exercises/:id', async (request, reply) => {
    const who = requirePage(request, reply, deps);
    if (!who) return reply;
    reply.type('text/html; charset=utf-8');
    const params = Params.safeParse(request.params);
    const exercise = params.success ? deps.catalog.byId(params.data.id) : undefined;
    if (!exercise) {
      return reply.code(404).send(messagePage({ title: 'No such exercise', message: 'There is no exercise at this address.', assets: deps.assets, who, link: { href: '/', text: 'All exercises' } }).value);
    }
    let environment = null;
    try {
      environment = environmentView(deps.environments.get(who.user.id, exercise.id));
    } catch (error) {
      if (!(error instanceof EnvironmentNotFoundError)) throw error;
    }
    const state: ExercisePageState = {
      exerciseId: exercise.id,
      title: exercise.title,
      checks: exercise.checks.map((c) => ({ id: c.id, title: c.title, points: c.points })),
      environment,
      history: deps.grading.history(who.user.id, exercise.id, 20).map(attemptView),
      serverNow: new Date(deps.now()).toISOString(),
      terminalScript: deps.assets.url('terminal'),
    };
    const points = exercise.checks.reduce((sum, c) => sum + c.points, 0);
    const body = html`<div class="exercise-page">
      <nav class="crumbs" aria-label="Breadcrumb"><a href="/">Exercises</a> <span aria-hidden="true">›</span> <span>${exercise.title}</span></nav>
      <h1>${exercise.title}</h1>
      <p class="lead">${exercise.summary} <span class="muted">· about ${exercise.minutes} min · ${points} points</span></p>
      <a class="jump" href="#work">Jump to your lab panel</a>
      <div class="split">
        <article class="instructions prose" aria-label="Instructions">${trusted(instructions.get(exercise.id) ?? '')}</article>
        <div class="work" id="work">
          <section class="panel" aria-labelledby="env-h"><h2 id="env-h">Your environment</h2><div id="env-panel"><p class="muted">Loading…</p></div></section>
          <section class="panel" aria-labelledby="apply-h"><h2 id="apply-h">Apply YAML</h2><div id="apply-panel"></div></section>
          <section class="panel" aria-labelledby="grade-h"><h2 id="grade-h">Check my work</h2><div id="grade-panel"></div></section>
          <section class="panel" aria-labelledby="live-h"><h2 id="live-h">Live view of your namespace</h2><div id="live-panel"></div></section>
          <section class="panel" aria-labelledby="history-h"><h2 id="history-h">History</h2><div id="history-panel"></div></section>
          <noscript><p class="callout">This page needs JavaScript for the lab panel. You can still work with kubectl and the HTTP API.</p></noscript>
        </div>
      </div>
      ${jsonScript('page-state', state)}
    </div>`;
    return reply.send(page({ title: exercise.title, assets: deps.assets, who, body, scripts: ['exercise'] }).value);
  });
};
