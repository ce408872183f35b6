// The learner portal as one Fastify plugin: form parsing, security headers, the hashed
// assets, and the pages. buildApp registers it beside the /api/v1 plugin; the browser
// code talks to that same API with the session cookie and the page's CSRF token.
import formbody from '@fastify/formbody';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { WebDeps } from './deps.ts';
import { messagePage } from './layout.ts';
import { attemptRoutes } from './pages/attempt.ts';
import { catalogRoutes } from './pages/catalog.ts';
import { exerciseRoutes } from './pages/exercise.ts';
import { joinRoutes } from './pages/join.ts';
import { signInRoutes } from './pages/signin.ts';
import { signedIn } from './session.ts';
import { instructorClassRoutes } from './pages/instructor/class.ts';
import { instructorClassesRoutes } from './pages/instructor/classes.ts';
import { instructorInsightRoutes } from './pages/instructor/insight.ts';
import { instructorLearnerRoutes } from './pages/instructor/learner.ts';

/** No inline script or style anywhere: everything comes from /assets on this origin. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'self'",
].join('; ');

/**
 * `frameOrigins`: other sites allowed to frame the page (the LMSs kubelab is registered
 * with, so a launched lab shows inside the course). None: only our own pages may.
 */
function securityHeaders(reply: FastifyReply, frameOrigins: readonly string[] = []): void {
  const policy = frameOrigins.length === 0
    ? CONTENT_SECURITY_POLICY
    : CONTENT_SECURITY_POLICY.replace("frame-ancestors 'self'", `frame-ancestors 'self' ${frameOrigins.join(' ')}`);
  reply.header('content-security-policy', policy);
  reply.header('x-content-type-options', 'nosniff');
  // A page may ask for less (the join page's URL is its secret: no-referrer).
  if (!reply.hasHeader('referrer-policy')) reply.header('referrer-policy', 'same-origin');
  // X-Frame-Options cannot name other sites; browsers that know CSP use frame-ancestors.
  if (frameOrigins.length === 0) reply.header('x-frame-options', 'SAMEORIGIN');
  reply.header('cross-origin-opener-policy', 'same-origin');
}

export const webPlugin: FastifyPluginAsync<WebDeps> = async (app, deps) => {
  // Pages are for browsers; the OpenAPI document describes /api/v1 only.
  app.addHook('onRoute', (route) => {
    route.schema = { ...route.schema, hide: true };
  });
  await app.register(formbody, { bodyLimit: 64 * 1024 });

  app.addHook('onSend', async (_request, reply, payload) => {
    securityHeaders(reply, deps.frameOrigins?.() ?? []);
    // Pages carry a CSRF token and personal progress: never from a shared cache.
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) reply.header('cache-control', 'no-store');
    return payload;
  });

  app.get('/assets/*', async (request, reply) => {
    const asset = deps.assets.byPath(request.url.split('?')[0] ?? '');
    if (!asset) return reply.code(404).type('text/plain; charset=utf-8').send('no such asset');
    const gzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
    reply.type(asset.contentType).header('cache-control', 'public, max-age=31536000, immutable').header('vary', 'accept-encoding');
    if (gzip) reply.header('content-encoding', 'gzip');
    return reply.send(gzip ? asset.gzip : asset.body);
  });

  await app.register(signInRoutes, deps);
  await app.register(joinRoutes, deps);
  await app.register(catalogRoutes, deps);
  await app.register(exerciseRoutes, deps);
  await app.register(attemptRoutes, deps);
  await app.register(instructorClassesRoutes, deps);
  await app.register(instructorClassRoutes, deps);
  await app.register(instructorInsightRoutes, deps);
  await app.register(instructorLearnerRoutes, deps);
};

/** The 404 a browser sees for a path that is no page. */
export function notFoundPage(deps: WebDeps, request: Parameters<typeof signedIn>[0]): string {
  return messagePage({
    title: 'Page not found',
    message: 'There is no page at this address.',
    assets: deps.assets,
    who: signedIn(request, deps.db),
    link: { href: '/', text: 'All exercises' },
  }).value;
}

export { securityHeaders };
