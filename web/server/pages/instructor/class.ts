// `/instructor/classes/:classId`: one class at a glance. The matrix (learners ×
// exercises) is drawn by the dashboard island from the same JSON the API serves, and
// kept current over the class's event stream; the rest is plain forms and links.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { classView, matrixRowView } from '../../../../server/http/routes/classes-schemas.ts';
import type { WebDeps } from '../../deps.ts';
import { html, jsonScript } from '../../html.ts';
import { page } from '../../layout.ts';
import type { DashboardState } from '../../../client/dashboard/state.ts';
import { orNotFoundPage, pathIds, requireStaffForm, requireStaffPage } from './guard.ts';

const SettingsForm = z.object({ _csrf: z.string(), joinOpen: z.enum(['yes', 'no']) });

export const instructorClassRoutes: FastifyPluginAsync<WebDeps> = async (app, deps) => {
  app.get('/instructor/classes/:classId', async (request, reply) => {
    const p = requireStaffPage(request, reply, deps);
    if (!p) return reply;
    return orNotFoundPage(reply, deps, p.who, () => {
      const { classId } = pathIds(request.params, ['classId']);
      const m = deps.classes.matrix(p.staff, classId);
      const k = m.class;
      const state: DashboardState = { matrix: { class: classView(k), exercises: m.exercises, rows: m.rows.map(matrixRowView) }, now: deps.now() };
      const ttl = k.environmentTtlMs === null ? 'server default' : `${Math.round(k.environmentTtlMs / 60_000)} min`;
      const csv = (shape: string) => `/api/v1/classes/${k.id}/export?format=csv&shape=${shape}`;
      const body = html`<div class="wide-page">
        <nav class="crumbs" aria-label="Breadcrumb"><a href="/instructor">Your classes</a> <span aria-hidden="true">›</span> <span>${k.name}</span></nav>
        <h1>${k.name}</h1>
        <dl class="facts class-facts">
          <div><dt>Learners</dt><dd id="learner-count">${m.rows.length}</dd></div>
          <div><dt>Due</dt><dd>${k.dueAt === null ? '—' : new Date(k.dueAt).toISOString().slice(0, 10)}</dd></div>
          <div><dt>Environment lifetime</dt><dd>${ttl}</dd></div>
          <div><dt>Joining</dt><dd>${k.joinOpen ? 'open' : 'closed'}</dd></div>
        </dl>
        <div class="toolbar">
          <form method="post" action="/instructor/classes/${k.id}/join-code">
            <input type="hidden" name="_csrf" value="${p.who.csrfToken}">
            <button type="submit" class="button">New join link</button>
          </form>
          <form method="post" action="/instructor/classes/${k.id}/settings">
            <input type="hidden" name="_csrf" value="${p.who.csrfToken}">
            <input type="hidden" name="joinOpen" value="${k.joinOpen ? 'no' : 'yes'}">
            <button type="submit" class="button">${k.joinOpen ? 'Close joining' : 'Open joining'}</button>
          </form>
          <a class="button" href="${csv('wide')}" download>Download CSV (one row per learner)</a>
          <a class="button" href="${csv('long')}" download>Download CSV (every check)</a>
        </div>

        <section aria-labelledby="progress-heading" class="matrix-section">
          <div class="section-head">
            <h2 id="progress-heading">Progress</h2>
            <p class="muted small" id="live-state" aria-live="polite">Updates live while your class works.</p>
          </div>
          <div id="matrix" class="table-scroll"><noscript>The progress table needs JavaScript; the CSV downloads above hold the same data.</noscript></div>
        </section>

        <section aria-labelledby="insight-heading">
          <h2 id="insight-heading">Exercise insight</h2>
          <p class="muted">Which checks learners fail, and the commonest messages.</p>
          <ul class="link-list">${m.exercises.map((e) => html`<li><a href="/instructor/classes/${k.id}/exercises/${e.id}">${e.title}</a></li>`)}</ul>
        </section>

        <section aria-labelledby="bulk-heading" id="bulk" class="card">
          <h2 id="bulk-heading">Environments for the whole class</h2>
          <p class="muted">Act on every learner’s environment for one exercise at once (one learner’s environment: open them from the table).</p>
          <form id="bulk-form" class="form-row">
            <label>Exercise <select name="exerciseId">${m.exercises.map((e) => html`<option value="${e.id}">${e.title}</option>`)}</select></label>
            <label>Action <select name="action">
              <option value="extend">Extend</option><option value="reset">Reset (empties the namespace)</option><option value="delete">Delete</option>
            </select></label>
            <button type="submit" class="button">Apply to everyone</button>
          </form>
          <div id="bulk-result" aria-live="polite"></div>
        </section>
        ${jsonScript('dashboard-state', state)}
      </div>`;
      return page({ title: k.name, assets: deps.assets, who: p.who, body, scripts: ['dashboard'] }).value;
    });
  });

  app.post('/instructor/classes/:classId/settings', async (request, reply) => {
    const p = requireStaffForm(request, reply, deps);
    if (!p) return reply;
    const form = SettingsForm.safeParse(request.body);
    if (!form.success) return reply.code(400).type('text/plain; charset=utf-8').send('joinOpen: expected yes or no');
    return orNotFoundPage(reply, deps, p.who, () => {
      const { classId } = pathIds(request.params, ['classId']);
      deps.classes.update(p.staff, classId, { joinOpen: form.data.joinOpen === 'yes' });
      return { redirect: `/instructor/classes/${classId}` };
    });
  });
};
