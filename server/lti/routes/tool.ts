// The tool's public endpoints, as an LMS and a learner's browser reach them:
// JWKS, OIDC login initiation (GET and POST), the launch (resource links and deep-linking
// requests), the hand-over to the landing page, the deep-linking answer, and the
// admin's page of URLs. Every refusal is a page naming what failed, never a 5xx.
import formbody from '@fastify/formbody';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { WebDeps } from '../../../web/server/deps.ts';
import { messagePage } from '../../../web/server/layout.ts';
import { signedIn, startSession } from '../../../web/server/session.ts';
import { CLAIM, type DeepLinkingClaims } from '../claims.ts';
import { deepLinkResponse, DeepLinkRequestId } from '../deep-linking.ts';
import { LaunchError } from '../launch-validation.ts';
import { initiateLogin } from '../login.ts';
import type { Platform } from '../platforms.ts';
import { contextClass, launchingUser, provisionResourceLaunch } from '../provision.ts';
import type { LtiService } from '../service.ts';
import { syncRoster } from '../roster.ts';
import { Ticket } from '../tickets.ts';
import { adminPage, autoPostPage, AUTOPOST_SCRIPT, handOverPage, launchErrorPage, newWindowPage, pickerPage, ticketGonePage } from './pages.ts';

export interface LtiToolOptions {
  readonly lti: LtiService;
  readonly web: WebDeps;
}

const TicketQuery = z.object({ ticket: Ticket });
const DeepLinkForm = z.object({ request: DeepLinkRequestId, exercise: z.string({ error: 'pick an exercise' }).min(1, 'pick an exercise').max(200) });

/** Origins of an URL list, skipping what is no URL (an issuer need not be one). */
function origins(urls: readonly string[]): string[] {
  return [...new Set(urls.flatMap((u) => (URL.canParse(u) ? [new URL(u).origin] : [])))];
}

/** The LMS origins that may frame our LTI pages: each registered platform's issuer and auth host. */
export function platformOrigins(platforms: readonly Platform[]): string[] {
  return origins(platforms.flatMap((p) => [p.issuer, p.authUrl]));
}

/**
 * Like the portal's policy, except the LMS may frame these pages and the deep-linking
 * page may post to the LMS's return URL.
 */
function ltiHeaders(reply: FastifyReply, frameOrigins: readonly string[], formTargets: readonly string[] = []): void {
  reply.header('content-security-policy', [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    `form-action 'self' ${formTargets.join(' ')}`.trim(),
    `frame-ancestors 'self' ${frameOrigins.join(' ')}`.trim(),
  ].join('; '));
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('cache-control', 'no-store');
}

export const ltiToolRoutes: FastifyPluginAsync<LtiToolOptions> = async (app, { lti, web }) => {
  // The LMS posts forms (login initiation, launch); this plugin parses them itself.
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  app.addHook('onRoute', (route) => {
    route.schema = { ...route.schema, hide: true };
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (!reply.hasHeader('content-security-policy')) ltiHeaders(reply, platformOrigins(lti.platforms.list()));
    return payload;
  });

  const refuse = (reply: FastifyReply, error: unknown) => {
    if (!(error instanceof LaunchError)) throw error;
    return reply.code(400).type('text/html; charset=utf-8').send(launchErrorPage(web.assets, error.check, error.message));
  };

  app.get('/lti/jwks.json', async (_request, reply) => {
    // Platforms cache it; a rotated key appears within the hour.
    return reply.header('cache-control', 'public, max-age=3600').send(await lti.keys.jwks());
  });

  app.get('/lti/autopost.js', async (_request, reply) => reply.type('text/javascript; charset=utf-8').send(AUTOPOST_SCRIPT));

  const login = async (input: unknown, reply: FastifyReply) => {
    try {
      return reply.redirect(initiateLogin({ platforms: lti.platforms, states: lti.states, randomBytes: lti.randomBytes, launchUrl: lti.urls.launchUrl }, input), 302);
    } catch (error) {
      return refuse(reply, error);
    }
  };
  app.get('/lti/login', async (request, reply) => login(request.query, reply));
  app.post('/lti/login', async (request, reply) => login(request.body, reply));

  app.post('/lti/launch', async (request, reply) => {
    try {
      const launch = await lti.validator.validate(request.body);
      if (launch.message === 'deep-linking') return await deepLinkingRequest(reply, launch.platform, launch.deploymentId, launch.claims);
      const landing = provisionResourceLaunch(lti, launch.platform, launch.deploymentId, launch.claims);
      const nrps = launch.claims[CLAIM.nrps];
      if (landing.teacher && nrps) {
        // The roster is a convenience: a failure is logged and the launch goes on.
        await syncRoster({ db: lti.db, mappings: lti.mappings, tokens: lti.tokens, fetch: lti.fetch }, launch.platform, nrps.context_memberships_url, landing.classId)
          .catch((error: unknown) => request.log.warn({ err: error }, 'lti roster sync failed'));
      }
      startSession(reply, lti.db, landing.user.id, 'lti', web.secureCookies, true);
      const ticket = lti.tickets.issue({ userId: landing.user.id, targetPath: landing.targetPath });
      return reply.type('text/html; charset=utf-8').send(handOverPage(web.assets, `/lti/continue?ticket=${ticket}`));
    } catch (error) {
      return refuse(reply, error);
    }
  });

  async function deepLinkingRequest(reply: FastifyReply, platform: Platform, deploymentId: string, claims: DeepLinkingClaims) {
    const user = lti.db.transaction(() => {
      const made = launchingUser(lti, platform, claims);
      if (made.role === 'learner') throw new LaunchError('roles', 'only instructors can add kubelab exercises to a course');
      contextClass(lti, platform, deploymentId, claims, made);
      return made;
    });
    const settings = claims[CLAIM.deepLinkingSettings];
    const requestId = lti.deepLinks.save({ platformId: platform.id, deploymentId, userId: user.id, returnUrl: settings.deep_link_return_url, data: settings.data ?? null });
    startSession(reply, lti.db, user.id, 'lti', web.secureCookies, true);
    return reply.type('text/html; charset=utf-8').send(pickerPage(web.assets, undefined, requestId, lti.catalog.exercises));
  }

  app.post('/lti/deep-link', async (request, reply) => {
    reply.type('text/html; charset=utf-8');
    const form = DeepLinkForm.safeParse(request.body ?? {});
    if (!form.success) {
      const requestId = DeepLinkRequestId.safeParse((request.body as { request?: unknown } | undefined)?.request);
      if (requestId.success) return reply.code(400).send(pickerPage(web.assets, undefined, requestId.data, lti.catalog.exercises, form.error.issues[0]?.message));
      return reply.code(400).send(launchErrorPage(web.assets, 'deep_linking', 'the exercise picker’s form is malformed: open it again from your course'));
    }
    const exercise = lti.catalog.byId(form.data.exercise);
    if (!exercise) return reply.code(400).send(pickerPage(web.assets, undefined, form.data.request, lti.catalog.exercises, `there is no exercise ${JSON.stringify(form.data.exercise)}`));
    const pending = lti.deepLinks.spend(form.data.request);
    if (!pending) return reply.code(400).send(launchErrorPage(web.assets, 'deep_linking', 'this picker was already used or has expired: open it again from your course'));
    const platform = lti.platforms.select(pending.platformId);
    const jwt = await deepLinkResponse(lti.keys, {
      platform,
      request: pending,
      exercise,
      launchUrl: lti.urls.launchUrl,
      now: lti.now(),
      nonce: lti.randomBytes(16).toString('base64url'),
    });
    lti.db.audit.record({ actorUserId: pending.userId, action: 'lti.deep_link', target: `lti-platform:${platform.id}`, details: { exerciseId: exercise.id } });
    ltiHeaders(reply, platformOrigins(lti.platforms.list()), origins([pending.returnUrl]));
    return reply.send(autoPostPage(web.assets, pending.returnUrl, jwt));
  });

  // The cookie came back: the browser keeps it in the LMS frame, go on. It did not:
  // offer a new window, where the ticket signs in first-party.
  app.get('/lti/continue', async (request, reply) => {
    reply.type('text/html; charset=utf-8');
    const query = TicketQuery.safeParse(request.query);
    const who = signedIn(request, lti.db);
    const target = query.success ? lti.tickets.peek(query.data.ticket) : undefined;
    if (!query.success || !target) return reply.code(400).send(ticketGonePage(web.assets, who));
    if (who?.user.id === target.userId && lti.tickets.spend(query.data.ticket)) return reply.redirect(target.targetPath, 303);
    return reply.send(newWindowPage(web.assets, `/lti/open?ticket=${query.data.ticket}`));
  });

  app.get('/lti/open', async (request, reply) => {
    reply.type('text/html; charset=utf-8');
    const query = TicketQuery.safeParse(request.query);
    const target = query.success ? lti.tickets.spend(query.data.ticket) : undefined;
    if (!target) return reply.code(400).send(ticketGonePage(web.assets, signedIn(request, lti.db)));
    startSession(reply, lti.db, target.userId, 'lti', web.secureCookies);
    return reply.redirect(target.targetPath, 303);
  });

  app.get('/admin/lti', async (request, reply) => {
    reply.type('text/html; charset=utf-8');
    const who = signedIn(request, lti.db);
    if (!who) return reply.redirect(`/signin?next=${encodeURIComponent('/admin/lti')}`, 303);
    if (who.user.role !== 'admin') {
      return reply.code(403).send(messagePage({ title: 'Not allowed', message: 'LTI registrations are for admins.', assets: web.assets, who }).value);
    }
    await lti.keys.signingKey();
    return reply.send(adminPage(web.assets, who, lti.urls, lti.platforms.list(), lti.keys.list()));
  });
};
