// /join/<code>: the link an instructor shares. A newcomer types a display name and gets
// a learner account in that class plus a session; someone already signed in just joins.
import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { Class } from '../../../server/db/classes.ts';
import type { WebDeps } from '../deps.ts';
import { html } from '../html.ts';
import { messagePage, page } from '../layout.ts';
import { fromOwnPage, type SignedIn, signedIn, startSession, validCsrf } from '../session.ts';

const JoinParams = z.object({ code: z.string().max(100) });
const JoinForm = z.object({
  displayName: z
    .string()
    .trim()
    .min(1, 'type the name your instructor will see')
    .max(80, 'at most 80 characters')
    .regex(/^[^\p{Cc}\p{Cf}]+$/u, 'letters, digits, spaces and punctuation only')
    .optional(),
  _csrf: z.string().max(200).optional(),
});

function joinPage(deps: WebDeps, klass: Class, code: string, who: SignedIn | undefined, error?: string) {
  return page({
    title: `Join ${klass.name}`,
    assets: deps.assets,
    who,
    body: html`<section class="narrow card">
      <h1>Join ${klass.name}</h1>
      <form method="post" action="/join/${code}" class="stack" novalidate>
        ${who
          ? html`<p>You are signed in as <strong>${who.user.displayName}</strong>. Join this class with that account.</p>
              <input type="hidden" name="_csrf" value="${who.csrfToken}">`
          : html`<p>Choose the name your instructor will see next to your work. No password is needed:
                this browser stays signed in.</p>
              <label for="displayName">Display name</label>
              <input id="displayName" name="displayName" type="text" autocomplete="name" maxlength="80" required
                ${error ? html`aria-invalid="true" aria-describedby="name-error"` : ''}>
              ${error && html`<p id="name-error" class="field-error" role="alert">${error}</p>`}`}
        <button type="submit" class="button primary">Join</button>
      </form>
    </section>`,
  });
}

function invalidLink(deps: WebDeps, who: SignedIn | undefined) {
  return messagePage({
    title: 'This join link does not work',
    message: 'The link is mistyped, was replaced by a newer one, or the class is closed to new members. Ask your instructor for the current link.',
    assets: deps.assets,
    who,
    link: { href: '/signin', text: 'Sign in with a token instead' },
  }).value;
}

export const joinRoutes: FastifyPluginAsync<WebDeps> = async (app, deps) => {
  app.get('/join/:code', async (request, reply) => {
    const who = signedIn(request, deps.db);
    const params = JoinParams.safeParse(request.params);
    const klass = params.success ? deps.db.classes.selectOpenByJoinCode(params.data.code) : undefined;
    reply.type('text/html; charset=utf-8').header('referrer-policy', 'no-referrer');
    if (!klass || !params.success) return reply.code(404).send(invalidLink(deps, who));
    return reply.send(joinPage(deps, klass, params.data.code, who).value);
  });

  app.post('/join/:code', async (request, reply) => {
    const who = signedIn(request, deps.db);
    const params = JoinParams.safeParse(request.params);
    const klass = params.success ? deps.db.classes.selectOpenByJoinCode(params.data.code) : undefined;
    reply.type('text/html; charset=utf-8');
    if (!klass || !params.success) return reply.code(404).send(invalidLink(deps, who));
    const form = JoinForm.safeParse(request.body ?? {});
    if (!fromOwnPage(request, deps.config.publicUrl) || (who && !validCsrf(who, form.success ? form.data._csrf : undefined))) {
      return reply.code(403).send(messagePage({ title: 'Not allowed', message: 'Join from the link’s own page.', assets: deps.assets, who }).value);
    }
    if (who) {
      deps.db.classes.addMember(klass.id, who.user.id);
      return reply.redirect('/', 303);
    }
    const displayName = form.success ? form.data.displayName : undefined;
    if (displayName === undefined) {
      const message = form.success ? 'type the name your instructor will see' : (form.error.issues[0]?.message ?? 'type a display name');
      return reply.code(400).send(joinPage(deps, klass, params.data.code, who, message).value);
    }
    const user = deps.db.transaction(() => {
      // Display names need not be unique; the account is keyed by a random id of its own.
      const created = deps.db.users.create({ externalKey: `join:${klass.id}:${randomBytes(12).toString('base64url')}`, displayName, role: 'learner' });
      deps.db.classes.addMember(klass.id, created.id);
      deps.db.audit.record({ actorUserId: created.id, action: 'class.join', target: `class:${klass.id}`, details: {} });
      return created;
    });
    startSession(reply, deps.db, user.id, 'join', deps.secureCookies);
    return reply.redirect('/', 303);
  });
};
