// /api/v1/lti: platform registrations and the tool's keys (admins), and the per-learner
// grade sync status with a Resend action (admins: every score; instructors: scores of
// their own classes). The private key never appears in any answer.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ConflictError, ForbiddenError } from '../../http/errors.ts';
import { currentCaller, requireStaff, type Authenticate, type Caller } from '../../http/routes/environments-auth.ts';
import { ErrorResponse, NoQuery } from '../../http/schemas/common.ts';
import { SIGNED_IN } from '../../http/schemas/security.ts';
import { NotFoundError } from '../../db/errors.ts';
import type { QueuedScore } from '../ags/scores.ts';
import { DuplicatePlatformError, NewPlatform, type Platform } from '../platforms.ts';
import type { LtiService } from '../service.ts';

export interface LtiApiOptions {
  readonly lti: LtiService;
  readonly authenticate: Authenticate;
}

const tags = ['lti'];
const security = SIGNED_IN;
const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse } as const;

const PlatformView = z.object({
  id: z.number().int(),
  name: z.string(),
  issuer: z.string(),
  clientId: z.string(),
  authUrl: z.string(),
  tokenUrl: z.string(),
  jwksUrl: z.string(),
  deploymentIds: z.array(z.string()),
  createdAt: z.iso.datetime(),
});
const ToolUrlsView = z.object({ loginUrl: z.string(), launchUrl: z.string(), jwksUrl: z.string(), deepLinkingUrl: z.string() });
const PlatformListResponse = z.object({ platforms: z.array(PlatformView), tool: ToolUrlsView });
const PlatformResponse = z.object({ platform: PlatformView, tool: ToolUrlsView });
const KeyView = z.object({ kid: z.string(), createdAt: z.iso.datetime(), retiredAt: z.iso.datetime().nullable() });
const KeyListResponse = z.object({ keys: z.array(KeyView) });
const KeyResponse = z.object({ key: KeyView });
const IdParams = z.strictObject({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
const ScoreView = z.object({
  id: z.number().int(),
  userId: z.number().int(),
  linkId: z.number().int(),
  exerciseId: z.string(),
  attemptId: z.number().int(),
  scoreGiven: z.number(),
  scoreMaximum: z.number(),
  activityProgress: z.string(),
  status: z.enum(['pending', 'sent', 'failed']),
  tries: z.number().int(),
  nextTryAt: z.iso.datetime().nullable(),
  lastError: z.string().nullable(),
  sentAt: z.iso.datetime().nullable(),
  timestamp: z.iso.datetime(),
});
const ScoreListQuery = z.strictObject({ userId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional() });
const ScoreListResponse = z.object({ scores: z.array(ScoreView) });
const ScoreResponse = z.object({ score: ScoreView });


const iso = (ms: number) => new Date(ms).toISOString();

function platformView(p: Platform): z.infer<typeof PlatformView> {
  return { ...p, createdAt: iso(p.createdAt) };
}

function requireAdmin(request: FastifyRequest): Caller {
  const caller = currentCaller(request);
  if (caller.role !== 'admin') throw new ForbiddenError('LTI registrations are for admins');
  return caller;
}

export const ltiApiRoutes: FastifyPluginAsyncZod<LtiApiOptions> = async (app, { lti, authenticate }) => {
  requireStaff(app, authenticate);

  app.get('/lti/platforms', {
    schema: { tags, security, summary: 'Registered LMS platforms, and the tool URLs to paste into an LMS', querystring: NoQuery, response: { 200: PlatformListResponse, ...errors } },
  }, async (request) => {
    requireAdmin(request);
    return { platforms: lti.platforms.list().map(platformView), tool: lti.urls };
  });

  app.post('/lti/platforms', {
    schema: { tags, security, summary: 'Register an LMS platform (issuer, client id, its auth / token / JWKS URLs, deployment ids)', querystring: NoQuery, body: NewPlatform, response: { 201: PlatformResponse, ...errors } },
  }, async (request, reply) => {
    const caller = requireAdmin(request);
    try {
      const platform = lti.platforms.create(request.body);
      // Make the tool key now, so the JWKS the LMS admin is about to paste is already there.
      await lti.keys.signingKey();
      lti.db.audit.record({ actorUserId: caller.id, action: 'lti.platform.register', target: `lti-platform:${platform.id}`, details: { issuer: platform.issuer, clientId: platform.clientId } });
      return reply.code(201).send({ platform: platformView(platform), tool: lti.urls });
    } catch (error) {
      if (error instanceof DuplicatePlatformError) throw new ConflictError(error.message);
      throw error;
    }
  });

  app.delete('/lti/platforms/:id', {
    schema: { tags, security, summary: 'Remove a platform registration (its launches stop working; its mappings and queued scores go)', params: IdParams, querystring: NoQuery, response: { 204: z.null(), ...errors } },
  }, async (request, reply) => {
    const caller = requireAdmin(request);
    lti.platforms.remove(request.params.id);
    lti.db.audit.record({ actorUserId: caller.id, action: 'lti.platform.remove', target: `lti-platform:${request.params.id}`, details: {} });
    return reply.code(204).send(null);
  });

  app.get('/lti/keys', {
    schema: { tags, security, summary: 'The tool’s published signing keys (public ids only), newest first', querystring: NoQuery, response: { 200: KeyListResponse, ...errors } },
  }, async (request) => {
    requireAdmin(request);
    await lti.keys.signingKey();
    return { keys: lti.keys.list().map((k) => ({ kid: k.kid, createdAt: iso(k.createdAt), retiredAt: k.retiredAt === null ? null : iso(k.retiredAt) })) };
  });

  app.post('/lti/keys/rotate', {
    schema: { tags, security, summary: 'Make a new signing key; the old one stays in the JWKS for a grace period', querystring: NoQuery, response: { 201: KeyResponse, ...errors } },
  }, async (request, reply) => {
    const caller = requireAdmin(request);
    const key = await lti.keys.rotate();
    lti.db.audit.record({ actorUserId: caller.id, action: 'lti.key.rotate', target: `lti-key:${key.kid}`, details: {} });
    return reply.code(201).send({ key: { kid: key.kid, createdAt: iso(key.createdAt), retiredAt: null } });
  });

  const visible = (caller: Caller, score: QueuedScore): boolean => {
    if (caller.role === 'admin') return true;
    const link = lti.mappings.linkById(score.linkId);
    return link !== undefined && lti.db.classes.selectOptional(link.classId)?.ownerUserId === caller.id;
  };
  const scoreView = (score: QueuedScore): z.infer<typeof ScoreView> => ({
    id: score.id,
    userId: score.userId,
    linkId: score.linkId,
    exerciseId: lti.mappings.linkById(score.linkId)?.exerciseId ?? '',
    attemptId: score.attemptId,
    scoreGiven: score.scoreGiven,
    scoreMaximum: score.scoreMaximum,
    activityProgress: score.activityProgress,
    status: score.status,
    tries: score.tries,
    nextTryAt: score.status === 'pending' ? iso(score.nextTryAt) : null,
    lastError: score.lastError,
    sentAt: score.sentAt === null ? null : iso(score.sentAt),
    timestamp: iso(score.scoredAt),
  });

  app.get('/lti/scores', {
    schema: { tags, security, summary: 'Grade sync status: each learner’s score per LMS line item (pending, sent or failed)', querystring: ScoreListQuery, response: { 200: ScoreListResponse, ...errors } },
  }, async (request) => {
    const caller = currentCaller(request);
    const rows = request.query.userId === undefined ? lti.scores.list() : lti.scores.forUser(request.query.userId);
    return { scores: rows.filter((s) => visible(caller, s)).map(scoreView) };
  });

  app.post('/lti/scores/:id/resend', {
    schema: { tags, security, summary: 'Send a learner’s score to the LMS again (now, with a newer timestamp)', params: IdParams, querystring: NoQuery, response: { 202: ScoreResponse, ...errors } },
  }, async (request, reply) => {
    const caller = currentCaller(request);
    const found = lti.scores.select(request.params.id);
    if (!found || !visible(caller, found)) throw new NotFoundError('lti score', request.params.id);
    const again = lti.scores.resend(found.id)!;
    lti.db.audit.record({ actorUserId: caller.id, action: 'lti.score.resend', target: `lti-score:${found.id}`, details: {} });
    // Sent in the background; the row's status says how it went.
    lti.passback.deliverDue().catch((error: unknown) => request.log.warn({ err: error }, 'lti score delivery failed'));
    return reply.code(202).send({ score: scoreView(again) });
  });
};
