// `/instructor/classes/:classId/learners/:userId`: one learner of the class: per exercise
// their environment (with Extend / Reset / Delete) and their attempts, each opening the
// attempt as the learner saw it (`…/attempts/:attemptId`).
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { toHttpError } from '../../../../server/http/routes/environments-errors.ts';
import { HttpError } from '../../../../server/http/errors.ts';
import { attemptView, checkResultView } from '../../../../server/http/routes/grading-schemas.ts';
import type { WebDeps } from '../../deps.ts';
import { html } from '../../html.ts';
import { messagePage, page } from '../../layout.ts';
import { checkItem } from '../attempt.ts';
import { gradeSyncSection, syncRows } from './grade-sync.ts';
import { orNotFoundPage, pathExercise, pathIds, requireStaffForm, requireStaffPage, when } from './guard.ts';

const Action = z.object({ action: z.enum(['extend', 'reset', 'delete']) });
const DONE: Record<string, string> = { extend: 'extended', reset: 'reset (emptied)', delete: 'deleted' };
const ScoreParams = z.object({ scoreId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
const Query = z.object({ done: z.string().regex(/^(extend|reset|delete|resend):[a-z0-9-]{1,63}$/).optional() });

export const instructorLearnerRoutes: FastifyPluginAsync<WebDeps> = async (app, deps) => {
  app.get('/instructor/classes/:classId/learners/:userId', async (request, reply) => {
    const p = requireStaffPage(request, reply, deps);
    if (!p) return reply;
    return orNotFoundPage(reply, deps, p.who, () => {
      const { classId, userId } = pathIds(request.params, ['classId', 'userId']);
      const r = deps.classes.learnerAttempts(p.staff, classId, userId);
      const envs = deps.db.environments.listLiveForUser(userId);
      const now = deps.now();
      const done = Query.safeParse(request.query).data?.done?.split(':');
      const base = `/instructor/classes/${classId}`;
      const synced = syncRows(deps.gradeSync, classId, userId);
      const body = html`<div class="wide-page narrow-text">
        <nav class="crumbs" aria-label="Breadcrumb"><a href="/instructor">Your classes</a> <span aria-hidden="true">›</span>
          <a href="${base}">${r.class.name}</a> <span aria-hidden="true">›</span> <span>${r.learner.displayName}</span></nav>
        <h1>${r.learner.displayName}</h1>
        <p class="muted">Joined ${new Date(r.learner.joinedAt).toISOString().slice(0, 10)}.</p>
        ${done && html`<p class="callout info" role="status">${done[0] === 'resend'
          ? `The LMS grade for ${deps.catalog.byId(done[1]!)?.title ?? done[1]} is being sent again.`
          : `The environment for ${deps.catalog.byId(done[1]!)?.title ?? done[1]} was ${DONE[done[0]!]}.`}</p>`}
        ${deps.classes.exercisesOf(r.class).map((e) => {
          const env = envs.find((x) => x.exerciseId === e.id);
          const attempts = r.attempts.filter((a) => a.exerciseId === e.id);
          return html`<section class="card" aria-labelledby="ex-${e.id}">
            <h2 id="ex-${e.id}">${e.title}</h2>
            ${env
              ? html`<p>Environment <code>${env.namespace}</code>: ${env.status}, expires ${new Date(env.expiresAt).toISOString().slice(11, 16)} UTC.</p>
                <div class="toolbar">${(['extend', 'reset', 'delete'] as const).map((action) => html`<form method="post" action="${base}/learners/${userId}/environments/${e.id}/${action}"${action === 'extend' ? '' : html` data-confirm="${action === 'reset' ? 'Reset' : 'Delete'} ${r.learner.displayName}’s environment for ${e.title}?"`}>
                  <input type="hidden" name="_csrf" value="${p.who.csrfToken}">
                  <button type="submit" class="button${action === 'extend' ? '' : ' danger'}" aria-label="${action[0]!.toUpperCase()}${action.slice(1)} the environment for ${e.title}">${action[0]!.toUpperCase()}${action.slice(1)}</button>
                </form>`)}</div>`
              : html`<p class="muted">No environment.</p>`}
            ${gradeSyncSection(synced.filter((row) => row.exerciseId === e.id), (scoreId) => `${base}/learners/${userId}/grade-sync/${scoreId}/resend`, p.who.csrfToken, e.title)}
            ${attempts.length === 0
              ? html`<p class="muted">No attempts yet.</p>`
              : html`<ul class="history">${attempts.map((a) => html`<li><a href="${base}/attempts/${a.id}">Attempt ${a.id}</a> · ${when(a.createdAt, now)} ·
                  <strong class="result-${a.result ?? 'none'}">${a.result ?? a.status}</strong>${a.score !== null ? ` · ${a.score} / ${a.maxScore}` : ''}</li>`)}</ul>`}
          </section>`;
        })}
      </div>`;
      return page({ title: r.learner.displayName, assets: deps.assets, who: p.who, body, scripts: ['common'] }).value;
    });
  });

  app.post('/instructor/classes/:classId/learners/:userId/environments/:exerciseId/:action', async (request, reply) => {
    const p = requireStaffForm(request, reply, deps);
    if (!p) return reply;
    return orNotFoundPage(reply, deps, p.who, async () => {
      const { classId, userId } = pathIds(request.params, ['classId', 'userId']);
      const action = Action.safeParse(request.params);
      if (!action.success) throw new HttpError(404, 'not_found', 'there is nothing of yours at this address');
      const exerciseId = pathExercise(request.params, deps);
      try {
        await deps.classes.environmentAction(p.staff, classId, userId, exerciseId, action.data.action);
      } catch (error) {
        const translated = toHttpError(error);
        if (translated instanceof HttpError && translated.status !== 404 && translated.status < 500) {
          reply.code(translated.status);
          return messagePage({ title: 'Not done', message: translated.message, assets: deps.assets, who: p.who, link: { href: `/instructor/classes/${classId}/learners/${userId}`, text: 'Back to the learner' } }).value;
        }
        throw translated;
      }
      return { redirect: `/instructor/classes/${classId}/learners/${userId}?done=${action.data.action}:${exerciseId}` };
    });
  });

  app.post('/instructor/classes/:classId/learners/:userId/grade-sync/:scoreId/resend', async (request, reply) => {
    const p = requireStaffForm(request, reply, deps);
    if (!p) return reply;
    return orNotFoundPage(reply, deps, p.who, async () => {
      const { classId, userId } = pathIds(request.params, ['classId', 'userId']);
      // Throws the not-found page unless this instructor may see this learner of this class.
      deps.classes.learnerAttempts(p.staff, classId, userId);
      const scoreId = ScoreParams.safeParse(request.params).data?.scoreId;
      const row = syncRows(deps.gradeSync, classId, userId).find((r) => r.score.id === scoreId);
      if (!row || !deps.gradeSync) throw new HttpError(404, 'not_found', 'there is nothing of yours at this address');
      deps.gradeSync.scores.resend(row.score.id);
      deps.db.audit.record({ actorUserId: p.who.user.id, action: 'lti.score.resend', target: `lti-score:${row.score.id}`, details: {} });
      // Sent in the background; the page shows how it went on the next look.
      deps.gradeSync.passback.deliverDue().catch((error: unknown) => request.log.warn({ err: error }, 'lti score delivery failed'));
      return { redirect: `/instructor/classes/${classId}/learners/${userId}?done=resend:${row.exerciseId}` };
    });
  });

  app.get('/instructor/classes/:classId/attempts/:attemptId', async (request, reply) => {
    const p = requireStaffPage(request, reply, deps);
    if (!p) return reply;
    return orNotFoundPage(reply, deps, p.who, () => {
      const { classId, attemptId } = pathIds(request.params, ['classId', 'attemptId']);
      const r = deps.classes.attempt(p.staff, classId, attemptId);
      const a = attemptView(r.attempt);
      const title = deps.catalog.byId(a.exerciseId)?.title ?? a.exerciseId;
      const base = `/instructor/classes/${classId}`;
      const body = html`<div class="narrow wide-ish">
        <nav class="crumbs" aria-label="Breadcrumb"><a href="/instructor">Your classes</a> <span aria-hidden="true">›</span>
          <a href="${base}">${r.class.name}</a> <span aria-hidden="true">›</span>
          <a href="${base}/learners/${r.learner.userId}">${r.learner.displayName}</a> <span aria-hidden="true">›</span> <span>Attempt ${a.id}</span></nav>
        <h1>${r.learner.displayName}: attempt ${a.id} at ${title}</h1>
        <p class="lead">${new Date(a.createdAt).toUTCString()} ·
          ${a.status === 'finished' ? html`<strong class="result result-${a.result}">${a.result}</strong>, ${a.score} of ${a.maxScore} points` : a.status}</p>
        <p class="muted">What the learner saw, check by check.</p>
        <ul class="checks" aria-label="Check results">${r.results.map((c) => checkItem(checkResultView(deps.catalog, a.exerciseId, c)))}</ul>
      </div>`;
      return page({ title: `Attempt ${a.id}`, assets: deps.assets, who: p.who, body }).value;
    });
  });
};
