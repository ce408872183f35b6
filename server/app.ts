// The whole HTTP application as one function of its dependencies. It never listens:
// server/cli/serve.ts does that, and tests call buildApp with the same deps shape and
// talk to it through app.inject.
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyServerFactory } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Catalog } from './catalog/loader.ts';
import type { Config } from './config/config.ts';
import type { Db } from './db/database.ts';
import type { RouteContext } from './http/context.ts';
import { frameworkErrorHandler, registerErrorHandling } from './http/errorHandler.ts';
import { loggerOptions, type LogDestination } from './http/logging.ts';
import { createMarkdownRenderer } from './http/markdown.ts';
import { exerciseRoutes } from './http/routes/exercises.ts';
import { healthRoutes } from './http/routes/health.ts';
import { openapiRoutes } from './http/routes/openapi.ts';
import { environmentRoutes } from './http/routes/environments.ts';
import { gradingRoutes } from './http/routes/grading.ts';
import { clusterRoutes } from './http/routes/clusters.ts';
import type { Platform } from './platform.ts';
import { csrfTokenFor } from './db/sessions.ts';
import type { Authenticate } from './http/routes/environments-auth.ts';
import { liveRoutes } from './http/routes/live.ts';
import { accountRoutes } from './http/routes/accounts.ts';
import { SECURITY_SCHEMES } from './http/schemas/security.ts';
import { classRoutes } from './http/routes/classes.ts';
import { classEventRoutes } from './http/routes/classes-events.ts';
import { Terminals } from './terminal/terminals.ts';
import { handleTerminalUpgrades } from './terminal/upgrade.ts';
import { API_KEY_PREFIX } from './db/api-keys.ts';
import { apiKeyCaller } from './http/api-keys/caller.ts';
import { apiKeyRoutes } from './http/api-keys/routes.ts';
import { honourIdempotencyKeys } from './http/idempotency/hooks.ts';
import { RateLimiter } from './http/rate-limit/limiter.ts';
import { Presence } from './classes/presence.ts';
import { ClassService } from './classes/service.ts';
import { sharedAssets } from '../web/server/assets.ts';
import type { WebDeps } from '../web/server/deps.ts';
import { notFoundPage, securityHeaders, webPlugin } from '../web/server/plugin.ts';
import { webhookRoutes } from './webhooks/routes.ts';
import { intervalScheduler, type Scheduler } from './environments/reaper.ts';
import { LtiService } from './lti/service.ts';
import { ltiApiRoutes } from './lti/routes/api.ts';
import { ltiToolRoutes, platformOrigins } from './lti/routes/tool.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** LTI 1.3: registrations, launches, deep linking and grade passback. */
    lti: LtiService;
  }
}

export const API_PREFIX = '/api/v1';
export const API_VERSION = '0.1.0';

export interface AppDeps {
  readonly config: Config;
  readonly db: Db;
  readonly catalog: Catalog;
  /** The cluster-backed services (startPlatform): learner environments and grading. */
  readonly platform: Pick<Platform, 'environments' | 'grading' | 'webhooks'> & Partial<Pick<Platform, 'pool'>>;
  /** Where JSON log lines go (default stdout); tests capture them here. Level: config.logLevel. */
  readonly logStream?: LogDestination;
  /** Clock (epoch ms). Default Date.now. */
  readonly now?: () => number;
  /** LTI's outbound side: the HTTP client for LMS calls and when queued scores are sent. */
  readonly lti?: { readonly fetch?: typeof fetch; readonly scheduler?: Scheduler };
  /** The HTTP server to use instead of a new one: `serve` binds its port before the app exists (server/http/early). */
  readonly serverFactory?: FastifyServerFactory;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(deps.config.logLevel, deps.logStream),
    // Route params are bounded by their schemas; this bounds the raw URL piece first.
    routerOptions: { maxParamLength: 200 },
    frameworkErrors: frameworkErrorHandler,
    ...(deps.serverFactory ? { serverFactory: deps.serverFactory } : {}),
  }).withTypeProvider<ZodTypeProvider>();

  // Layer 1: external plugins and the schema compilers.
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Filled in below, once the portal's dependencies exist; only called for requests.
  let web: WebDeps | undefined;
  registerErrorHandling(app, (request, reply) => {
    securityHeaders(reply);
    return web ? notFoundPage(web, request) : 'Not found';
  });
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'kubelab',
        version: API_VERSION,
        description:
          'Hands-on Kubernetes Service labs: exercises, environments and grades. ' +
          'Lists take ?limit= and an opaque ?cursor= (the previous page’s nextCursor). ' +
          'POSTs honour an Idempotency-Key header for 24 hours (same request: the first answer replayed; another request: 422). ' +
          'Requests per API key or user token are rate limited (429 with Retry-After).',
      },
      servers: [{ url: deps.config.publicUrl }],
      components: { securitySchemes: SECURITY_SCHEMES },
    },
    transform: jsonSchemaTransform,
  });

  // Layer 2: app services (db, catalog, and the platform's environments and grading).
  const ctx: RouteContext = {
    config: deps.config,
    db: deps.db,
    catalog: deps.catalog,
    now: deps.now ?? Date.now,
    renderMarkdown: createMarkdownRenderer(),
    ...(deps.platform.pool ? { clusters: () => deps.platform.pool!.status() } : {}),
  };

  // One sign-in model for the API: a bearer token, or the portal's session cookie.
  // Service keys (klk_…) and user tokens share the Bearer header; the prefix tells them apart.
  const authenticate: Authenticate = {
    bearer: (token) => {
      if (token.startsWith(API_KEY_PREFIX)) return apiKeyCaller(deps.db, token);
      const found = deps.db.tokens.authenticate(token);
      return found && { id: found.user.id, role: found.user.role, credential: `token:${found.token.id}` };
    },
    rateLimit: new RateLimiter({ perMinute: deps.config.rateLimitPerMinute, now: ctx.now }),
    session: (secret) => {
      const found = deps.db.sessions.authenticate(secret);
      return found && { user: { id: found.user.id, role: found.user.role, credential: `session:${found.session.id}` }, csrfToken: csrfTokenFor(found.session) };
    },
  };
  // Who has a lab page open: the live view reports it, the dashboard reads it.
  const presence = new Presence();
  const classes = new ClassService({
    db: deps.db,
    catalog: deps.catalog,
    environments: deps.platform.environments,
    presence,
    now: ctx.now,
    publicUrl: deps.config.publicUrl,
  });
  const lti = new LtiService({ db: deps.db, catalog: deps.catalog, publicUrl: deps.config.publicUrl, now: ctx.now, ...(deps.lti?.fetch ? { fetch: deps.lti.fetch } : {}) });
  web = {
    config: deps.config,
    classes,
    db: deps.db,
    catalog: deps.catalog,
    environments: deps.platform.environments,
    grading: deps.platform.grading,
    assets: await sharedAssets(),
    renderMarkdown: ctx.renderMarkdown,
    now: ctx.now,
    secureCookies: deps.config.publicUrl.startsWith('https:'),
    // A launched lab shows inside the LMS's page.
    frameOrigins: () => platformOrigins(lti.platforms.list()),
    gradeSync: lti,
  };

  app.decorate('lti', lti);
  const stopLti = lti.start({
    events: deps.platform.grading.events,
    scheduler: deps.lti?.scheduler ?? intervalScheduler,
    onError: (message) => app.log.error(message),
  });
  app.addHook('onClose', async () => stopLti());

  // Layer 3: routes.
  await app.register(healthRoutes, ctx);
  await app.register(webPlugin, web);
  await app.register(ltiToolRoutes, { lti, web });
  await app.register(
    async (api) => {
      honourIdempotencyKeys(api, deps.db.idempotency);
      await api.register(exerciseRoutes, ctx);
      await api.register(environmentRoutes, { service: deps.platform.environments, authenticate });
      await api.register(liveRoutes, { service: deps.platform.environments, authenticate, presence });
      await api.register(classRoutes, { classes, catalog: deps.catalog, db: deps.db, authenticate });
      await api.register(classEventRoutes, { classes, db: deps.db, events: deps.platform.grading.events, presence, authenticate });
      await api.register(gradingRoutes, { grading: deps.platform.grading, catalog: deps.catalog, authenticate });
      await api.register(accountRoutes, { db: deps.db, authenticate, now: ctx.now });
      await api.register(apiKeyRoutes, { db: deps.db, authenticate });
      await api.register(webhookRoutes, { webhooks: deps.platform.webhooks, authenticate, now: ctx.now });
      if (deps.platform.pool) await api.register(clusterRoutes, { pool: deps.platform.pool, environments: deps.platform.environments, authenticate });
      await api.register(ltiApiRoutes, { lti, authenticate });
      await api.register(openapiRoutes);
    },
    { prefix: API_PREFIX },
  );

  // The portal's terminal: a WebSocket beside the routes (GET .../exercises/{id}/terminal).
  const terminals = new Terminals({
    environments: deps.platform.environments,
    image: deps.config.workspaceImage,
    idleMs: deps.config.terminalIdleMs,
    onError: (message, err) => app.log.error({ err }, message),
  });
  const stopTerminals = handleTerminalUpgrades(app.server, authenticate, terminals);
  // Before the server stops accepting: open shells end with a message, not a dropped socket.
  app.addHook('preClose', async () => stopTerminals());

  await app.ready();
  return app;
}
