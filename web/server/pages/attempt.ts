// `/attempts/:id`: one earlier attempt, every check as the learner saw it. Another
// learner's attempt is a 404, exactly like one that does not exist.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { attemptView, checkResultView, type CheckResultView } from '../../../server/http/routes/grading-schemas.ts';
import type { WebDeps } from '../deps.ts';
import { html } from '../html.ts';
import { messagePage, page } from '../layout.ts';
import { requirePage } from './guard.ts';
import { codeSpans, hintHeading, STATUS_ICON, STATUS_EXPLAINED } from '../../client/status.ts';

const withCode = (text: string) => codeSpans(text).map((p) => (p.code ? html`<code>${p.text}</code>` : p.text));

const Params = z.object({ attemptId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export function checkItem(c: CheckResultView) {
  const hasEvidence = c.evidence !== null && !(typeof c.evidence === 'object' && Object.keys(c.evidence).length === 0);
  return html`<li class="check check-${c.status}">
    <div class="check-head"><span class="status-icon" aria-hidden="true">${STATUS_ICON[c.status]}</span>
      <span class="check-title">${c.title}</span> <span class="status-word">${c.status}</span>
      <span class="points">${c.points} / ${c.maxPoints}</span></div>
    <p class="check-message">${withCode(c.message)}</p>
    ${c.status === 'error' && html`<p class="not-your-fault">${STATUS_EXPLAINED.error}</p>`}
    ${c.hint && c.status === 'fail' && html`<p class="hint"><strong>${hintHeading(c.cause)}</strong> ${withCode(c.hint)}</p>`}
    ${hasEvidence && html`<details class="evidence"><summary>Evidence</summary><pre tabindex="0">${JSON.stringify(c.evidence, null, 2)}</pre></details>`}
  </li>`;
}

export const attemptRoutes: FastifyPluginAsync<WebDeps> = async (app, deps) => {
  app.get('/attempts/:attemptId', async (request, reply) => {
    const who = requirePage(request, reply, deps);
    if (!who) return reply;
    reply.type('text/html; charset=utf-8');
    const params = Params.safeParse(request.params);
    const view = params.success ? deps.grading.view(who.user.id, params.data.attemptId) : undefined;
    if (!view) {
      return reply.code(404).send(messagePage({ title: 'No such attempt', message: 'There is no attempt of yours at this address.', assets: deps.assets, who, link: { href: '/', text: 'All exercises' } }).value);
    }
    const attempt = attemptView(view.attempt);
    const exercise = deps.catalog.byId(attempt.exerciseId);
    const checks = view.results.map((r) => checkResultView(deps.catalog, attempt.exerciseId, r));
    const when = new Date(attempt.createdAt).toUTCString();
    const body = html`<div class="narrow wide-ish">
      <nav class="crumbs" aria-label="Breadcrumb"><a href="/">Exercises</a> <span aria-hidden="true">›</span>
        <a href="/exercises/${attempt.exerciseId}">${exercise?.title ?? attempt.exerciseId}</a> <span aria-hidden="true">›</span> <span>Attempt ${attempt.id}</span></nav>
      <h1>Attempt ${attempt.id}: ${exercise?.title ?? attempt.exerciseId}</h1>
      <p class="lead">${when} ·
        ${attempt.status === 'finished'
          ? html`<strong class="result result-${attempt.result}">${attempt.result}</strong>, ${attempt.score} of ${attempt.maxScore} points`
          : attempt.status === 'interrupted' ? 'interrupted: the server stopped while grading; this is not a grade.' : 'still grading…'}</p>
      <ul class="checks" aria-label="Check results">${checks.map(checkItem)}</ul>
      <p><a href="/exercises/${attempt.exerciseId}">Back to the exercise</a></p>
    </div>`;
    return reply.send(page({ title: `Attempt ${attempt.id}`, assets: deps.assets, who, body }).value);
  });
};
