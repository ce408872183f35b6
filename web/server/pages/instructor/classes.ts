// `/instructor`: the instructor's classes and a form to make one. Making a class, or a
// new join link for it, answers with a page that shows the link once: only its hash is
// stored, so a leaked database lets nobody join.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { Class } from '../../../../server/db/classes.ts';
import type { WebDeps } from '../../deps.ts';
import { html, type Html } from '../../html.ts';
import { page } from '../../layout.ts';
import type { SignedIn } from '../../session.ts';
import { orNotFoundPage, pathIds, requireStaffForm, requireStaffPage } from './guard.ts';

const CreateForm = z.object({
  _csrf: z.string(),
  name: z.string().trim().min(1, 'give the class a name').max(100, 'keep the name under 100 characters'),
  exerciseIds: z.union([z.string(), z.array(z.string())]).optional().transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v])),
  due: z.union([z.literal(''), z.iso.date({ message: 'pick a date' })]).optional(),
  ttlMinutes: z.union([z.literal(''), z.coerce.number().int('whole minutes').min(10, 'at least 10 minutes').max(10_080, 'at most a week (10080 minutes)')]).optional(),
});

/** The due date is the end of that day, UTC: one moment for the whole class. */
export function endOfDayUtc(date: string): number {
  return Date.parse(`${date}T23:59:59Z`);
}

function classRow(c: Class, learners: number, now: number) {
  const due = c.dueAt === null ? '—' : new Date(c.dueAt).toISOString().slice(0, 10);
  return html`<tr>
    <th scope="row"><a href="/instructor/classes/${c.id}">${c.name}</a></th>
    <td>${learners}</td>
    <td>${c.exerciseIds.length}</td>
    <td>${due}${c.dueAt !== null && c.dueAt < now ? ' (past)' : ''}</td>
    <td>${c.joinOpen ? 'open' : 'closed'}</td>
  </tr>`;
}

function createForm(deps: WebDeps, who: SignedIn, error?: { field: string; message: string }, values: Partial<z.input<typeof CreateForm>> = {}): Html {
  const chosen = new Set(values.exerciseIds === undefined ? deps.catalog.exercises.map((e) => e.id) : [values.exerciseIds].flat());
  return html`<form method="post" action="/instructor/classes" class="card stack" aria-labelledby="new-class">
    <h2 id="new-class">New class</h2>
    <input type="hidden" name="_csrf" value="${who.csrfToken}">
    ${error && html`<p class="field-error" role="alert">${error.field}: ${error.message}</p>`}
    <label>Name <input type="text" name="name" required maxlength="100" value="${values.name ?? ''}" placeholder="Week 3 — Services"></label>
    <fieldset class="exercise-picks"><legend>Exercises</legend>
      ${deps.catalog.exercises.map((e) => html`<label class="check-label"><input type="checkbox" name="exerciseIds" value="${e.id}" ${chosen.has(e.id) ? html`checked` : ''}> ${e.title}</label>`)}
    </fieldset>
    <div class="form-row">
      <label>Due date (end of day, UTC) <input type="date" name="due" value="${values.due ?? ''}"></label>
      <label>Environment lifetime, minutes <input type="number" name="ttlMinutes" min="10" max="10080" step="1" inputmode="numeric" value="${String(values.ttlMinutes ?? '')}" placeholder="server default"></label>
    </div>
    <div class="actions"><button type="submit" class="button primary">Create class</button></div>
  </form>`;
}

export function joinLinkPage(deps: WebDeps, who: SignedIn, klass: Class, joinUrl: string, fresh: 'created' | 'rotated'): string {
  const body = html`<section class="narrow card">
    <nav class="crumbs" aria-label="Breadcrumb"><a href="/instructor">Your classes</a> <span aria-hidden="true">›</span> <a href="/instructor/classes/${klass.id}">${klass.name}</a></nav>
    <h1>${fresh === 'created' ? `Class “${klass.name}” created` : 'New join link'}</h1>
    <p>Share this link with your learners. Each one types a display name and is in the class. <strong>Copy it now:</strong> kubelab keeps only a fingerprint of it, so it is shown this once. You can make a new one at any time (the old one then stops working).</p>
    <pre class="join-link" aria-label="Join link"><code>${joinUrl}</code></pre>
    <p><a class="button primary" href="/instructor/classes/${klass.id}">Open the class dashboard</a></p>
  </section>`;
  return page({ title: klass.name, assets: deps.assets, who, body }).value;
}

function listPage(deps: WebDeps, who: SignedIn, classes: readonly Class[], form: Html): string {
  const now = deps.now();
  const body = html`<div class="wide-page">
    <h1>Your classes</h1>
    ${who.user.role === 'admin' && html`<p class="muted">As an admin you see every instructor’s classes.</p>`}
    ${classes.length === 0
      ? html`<p class="lead">No classes yet. Make one below, then share its join link.</p>`
      : html`<div class="table-scroll"><table class="data" aria-label="Classes">
          <thead><tr><th scope="col">Class</th><th scope="col">Learners</th><th scope="col">Exercises</th><th scope="col">Due</th><th scope="col">Joining</th></tr></thead>
          <tbody>${classes.map((c) => classRow(c, deps.db.classes.members(c.id).length, now))}</tbody>
        </table></div>`}
    ${form}
  </div>`;
  return page({ title: 'Your classes', assets: deps.assets, who, body }).value;
}

export const instructorClassesRoutes: FastifyPluginAsync<WebDeps> = async (app, deps) => {
  app.get('/instructor', async (request, reply) => {
    const p = requireStaffPage(request, reply, deps);
    if (!p) return reply;
    return reply.type('text/html; charset=utf-8').send(listPage(deps, p.who, deps.classes.list(p.staff), createForm(deps, p.who)));
  });

  app.post('/instructor/classes', async (request, reply) => {
    const p = requireStaffForm(request, reply, deps);
    if (!p) return reply;
    reply.type('text/html; charset=utf-8');
    const form = CreateForm.safeParse(request.body);
    const raw = (request.body ?? {}) as Partial<z.input<typeof CreateForm>>;
    const problem = !form.success
      ? { field: String(form.error.issues[0]?.path[0] ?? 'form'), message: form.error.issues[0]?.message ?? 'check the form' }
      : form.data.exerciseIds.length === 0 ? { field: 'exerciseIds', message: 'pick at least one exercise' }
      : form.data.exerciseIds.some((id) => !deps.catalog.byId(id)) ? { field: 'exerciseIds', message: 'pick exercises from the list' } : undefined;
    if (problem || !form.success) {
      return reply.code(400).send(listPage(deps, p.who, deps.classes.list(p.staff), createForm(deps, p.who, problem, raw)));
    }
    const f = form.data;
    const made = deps.classes.create(p.staff, {
      name: f.name,
      exerciseIds: f.exerciseIds,
      dueAt: f.due ? endOfDayUtc(f.due) : null,
      environmentTtlMs: typeof f.ttlMinutes === 'number' ? f.ttlMinutes * 60_000 : null,
    });
    return reply.code(201).send(joinLinkPage(deps, p.who, made.class, made.joinUrl, 'created'));
  });

  app.post('/instructor/classes/:classId/join-code', async (request, reply) => {
    const p = requireStaffForm(request, reply, deps);
    if (!p) return reply;
    return orNotFoundPage(reply, deps, p.who, () => {
      const r = deps.classes.rotateJoinCode(p.staff, pathIds(request.params, ['classId']).classId);
      return joinLinkPage(deps, p.who, r.class, r.joinUrl, 'rotated');
    });
  });
};
