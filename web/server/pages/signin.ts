// Sign-in with an API token (pasted once; the browser then holds a session cookie) and
// sign-out. The token form is for people who already have one: instructors who made it
// with `kubelab users add`, learners whose LMS or instructor handed one out.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { WebDeps } from '../deps.ts';
import { html } from '../html.ts';
import { messagePage, page } from '../layout.ts';
import { endSession, fromOwnPage, safeNext, signedIn, startSession, validCsrf } from '../session.ts';

const SignInForm = z.object({
  token: z.string().trim().min(1, 'paste your API token').max(1024, 'that is longer than any kubelab token'),
  next: z.string().max(600).optional(),
});
const SignInQuery = z.object({ next: z.string().max(600).optional() }).loose();
const SignOutForm = z.object({ _csrf: z.string().max(200).optional() });

function signInPage(deps: WebDeps, next: string, error?: string) {
  return page({
    title: 'Sign in',
    assets: deps.assets,
    body: html`<section class="narrow card">
      <h1>Sign in to kubelab</h1>
      <p>Your instructor gave you either a <strong>join link</strong> (open it, and you are in) or an
        <strong>API token</strong> starting with <code>klb_</code>. Paste the token here.</p>
      <form method="post" action="/signin" class="stack" novalidate>
        <input type="hidden" name="next" value="${next}">
        <label for="token">API token</label>
        <input id="token" name="token" type="password" autocomplete="current-password" spellcheck="false" required
          ${error ? html`aria-invalid="true" aria-describedby="token-error"` : ''}>
        ${error && html`<p id="token-error" class="field-error" role="alert">${error}</p>`}
        <button type="submit" class="button primary">Sign in</button>
      </form>
    </section>`,
  });
}

export const signInRoutes: FastifyPluginAsync<WebDeps> = async (app, deps) => {
  app.get('/signin', async (request, reply) => {
    const query = SignInQuery.safeParse(request.query);
    const next = safeNext(query.success ? query.data.next : undefined);
    if (signedIn(request, deps.db)) return reply.redirect(next, 303);
    return reply.type('text/html; charset=utf-8').send(signInPage(deps, next).value);
  });

  app.post('/signin', async (request, reply) => {
    if (!fromOwnPage(request, deps.config.publicUrl)) return reply.code(403).type('text/html; charset=utf-8').send(messagePage({ title: 'Not allowed', message: 'Sign in from kubelab’s own sign-in page.', assets: deps.assets }).value);
    const form = SignInForm.safeParse(request.body ?? {});
    const next = safeNext(form.success ? form.data.next : undefined);
    if (!form.success) {
      return reply.code(400).type('text/html; charset=utf-8').send(signInPage(deps, next, form.error.issues[0]?.message ?? 'paste your API token').value);
    }
    const found = deps.db.tokens.authenticate(form.data.token);
    if (!found) {
      return reply.code(401).type('text/html; charset=utf-8').send(signInPage(deps, next, 'That token is unknown, expired or revoked. Check that you pasted all of it.').value);
    }
    startSession(reply, deps.db, found.user.id, 'token', deps.secureCookies);
    return reply.redirect(next, 303);
  });

  app.post('/signout', async (request, reply) => {
    const who = signedIn(request, deps.db);
    const form = SignOutForm.safeParse(request.body ?? {});
    // Without a valid session there is nothing to end; with one, only our own page may end it.
    if (who && (!fromOwnPage(request, deps.config.publicUrl) || !validCsrf(who, form.success ? form.data._csrf : undefined))) {
      return reply.code(403).type('text/html; charset=utf-8').send(messagePage({ title: 'Not allowed', message: 'Sign out from a kubelab page.', assets: deps.assets, who }).value);
    }
    endSession(request, reply, deps.db, deps.secureCookies);
    return reply.redirect('/signin', 303);
  });
};
