// `/instructor/classes/:classId/exercises/:exerciseId`: where a class struggles with one
// exercise. Per check: how many learners failed it, how many still do, and the fail
// messages grouped ("12 learners: selector matches 0 Pods"), commonest first.
import type { FastifyPluginAsync } from 'fastify';
import type { WebDeps } from '../../deps.ts';
import { html } from '../../html.ts';
import { page } from '../../layout.ts';
import { codeSpans } from '../../../client/status.ts';
import { orNotFoundPage, pathExercise, pathIds, requireStaffPage } from './guard.ts';

const withCode = (text: string) => codeSpans(text).map((p) => (p.code ? html`<code>${p.text}</code>` : p.text));
const learners = (n: number) => `${n} learner${n === 1 ? '' : 's'}`;

export const instructorInsightRoutes: FastifyPluginAsync<WebDeps> = async (app, deps) => {
  app.get('/instructor/classes/:classId/exercises/:exerciseId', async (request, reply) => {
    const p = requireStaffPage(request, reply, deps);
    if (!p) return reply;
    return orNotFoundPage(reply, deps, p.who, () => {
      const { classId } = pathIds(request.params, ['classId']);
      const i = deps.classes.insight(p.staff, classId, pathExercise(request.params, deps));
      const worst = [...i.checks].sort((a, b) => b.learnersFailed - a.learnersFailed)[0];
      const body = html`<div class="wide-page narrow-text">
        <nav class="crumbs" aria-label="Breadcrumb"><a href="/instructor">Your classes</a> <span aria-hidden="true">›</span>
          <a href="/instructor/classes/${i.class.id}">${i.class.name}</a> <span aria-hidden="true">›</span> <span>${i.exercise.title}</span></nav>
        <h1>${i.exercise.title}: where learners get stuck</h1>
        <p class="lead">${learners(i.learners)} in the class.
          ${worst && worst.learnersFailed > 0 ? html`The check failed most often is <strong>${worst.title}</strong> (${learners(worst.learnersFailed)}).` : 'Nobody has failed a check of this exercise yet.'}</p>
        <ol class="insight-list" aria-label="Checks">
          ${i.checks.map((c) => html`<li class="card insight ${c.learnersFailed > 0 ? 'insight-failed' : ''}">
            <h2>${c.title}</h2>
            <p><strong>${learners(c.learnersFailed)}</strong> failed it at least once; <strong>${c.failingNow}</strong> still fail${c.failingNow === 1 ? 's' : ''} it in their latest attempt.</p>
            ${c.messages.length > 0 && html`<ul class="message-groups" aria-label="Fail messages for ${c.title}">
              ${c.messages.map((m) => html`<li><span class="count">${learners(m.learners)}:</span> ${withCode(m.message)}</li>`)}
            </ul>`}
          </li>`)}
        </ol>
      </div>`;
      return page({ title: `${i.exercise.title} · ${i.class.name}`, assets: deps.assets, who: p.who, body }).value;
    });
  });
};
