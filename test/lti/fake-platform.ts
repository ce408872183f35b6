// A fake LMS for the LTI tests: a second Fastify server on 127.0.0.1:0 with its own
// RSA key and JWKS. /auth answers the OIDC login with a signed id_token (form_post
// back, as an LMS does); /token verifies our client assertion against the TOOL's
// published JWKS; /lineitems/:id/scores applies Canvas's rules; /deep-link-return
// verifies the tool's deep-linking response. Faults are injected per test.
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { createRemoteJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { z } from 'zod';
import { CLAIM } from '../../server/lti/claims.ts';

export const ISSUER = 'https://canvas.test.example';
export const CLIENT_ID = '10000000000042';
export const DEPLOYMENT_ID = '7:deployment-abc';
export const INSTRUCTOR = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor';
export const LEARNER = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner';

/** What the next launch for a message hint should carry, and how to spoil it. */
export interface LaunchSpec {
  readonly sub: string;
  readonly name?: string;
  readonly roles: readonly string[];
  readonly message?: 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest';
  readonly resourceLinkId?: string;
  readonly contextId?: string;
  readonly contextTitle?: string;
  readonly custom?: Record<string, string>;
  readonly targetLinkUri?: string;
  /** A line item URL on this platform (AGS); the platform makes it. */
  readonly lineitem?: boolean;
  /** The NRPS claim, pointing at this platform's roster of the context. */
  readonly nrps?: boolean;
  /** Changes to the claims before signing. */
  readonly claims?: (claims: Record<string, unknown>) => void;
  /** Sign with a key the platform's JWKS does not hold (same kid). */
  readonly foreignKey?: boolean;
  /** Flip a character of the payload after signing. */
  readonly tamper?: boolean;
  /** Seconds to add to iat and exp (negative: an old token). */
  readonly shiftS?: number;
}

export interface ReceivedScore {
  readonly lineitem: string;
  readonly userId: string;
  readonly scoreGiven: number;
  readonly scoreMaximum: number;
  readonly activityProgress: string;
  readonly gradingProgress: string;
  readonly timestamp: string;
}

const ScoreBody = z.strictObject({
  userId: z.string().min(1),
  scoreGiven: z.number().nonnegative().optional(),
  scoreMaximum: z.number().positive().optional(),
  activityProgress: z.enum(['Initialized', 'Started', 'InProgress', 'Submitted', 'Completed']),
  gradingProgress: z.enum(['FullyGraded', 'Pending', 'PendingManual', 'Failed', 'NotReady']),
  timestamp: z.iso.datetime({ offset: true }),
  comment: z.string().optional(),
});

export interface FakePlatform {
  readonly url: string;
  readonly authUrl: string;
  readonly tokenUrl: string;
  readonly jwksUrl: string;
  readonly returnUrl: string;
  /** Launch specs by lti_message_hint. */
  readonly launches: Map<string, LaunchSpec>;
  /** Scores the platform accepted, in order. */
  readonly scores: ReceivedScore[];
  /** Every answer of the scores endpoint, accepted or not. */
  readonly scoreAnswers: number[];
  /** Statuses the scores endpoint answers next, before its rules (fault injection). */
  readonly failNextScores: number[];
  /** Client assertions the token endpoint accepted (their jti). */
  readonly tokensIssued: string[];
  /** Verified deep-linking responses. */
  readonly deepLinkResponses: JWTPayload[];
  /** The course roster NRPS serves, two members a page. */
  readonly roster: { user_id: string; roles: string[]; status?: string; name?: string }[];
  /** Where the tool publishes its JWKS (set once the tool listens). */
  toolJwksUrl: string;
  lineitemUrl(resourceLinkId: string): string;
  close(): Promise<void>;
}

export async function startFakePlatform(options: { now: () => number; toolLaunchUrl: string }): Promise<FakePlatform> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const foreign = await generateKeyPair('RS256');
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid: 'platform-key-1', alg: 'RS256', use: 'sig' };
  const app: FastifyInstance = Fastify({ logger: false });
  await app.register(formbody);
  app.addContentTypeParser('application/vnd.ims.lis.v1.score+json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, JSON.parse(String(body)));
    } catch (error) {
      done(error instanceof Error ? error : new Error(String(error)), undefined);
    }
  });
  const accessTokens = new Set<string>();
  const lastTimestamp = new Map<string, number>();
  let toolKeys: ReturnType<typeof createRemoteJWKSet> | undefined;
  // Made once the server listens (its URLs need the port); routes only run after that.
  let platform!: FakePlatform;
  const keysOfTool = () => {
    toolKeys ??= createRemoteJWKSet(new URL(platform.toolJwksUrl));
    return toolKeys;
  };

  app.get('/jwks', async () => ({ keys: [publicJwk] }));

  app.get('/auth', async (request, reply) => {
    const q = z
      .object({
        scope: z.literal('openid'),
        response_type: z.literal('id_token'),
        response_mode: z.literal('form_post'),
        prompt: z.literal('none'),
        client_id: z.literal(CLIENT_ID),
        redirect_uri: z.literal(options.toolLaunchUrl),
        login_hint: z.string(),
        lti_message_hint: z.string(),
        state: z.string().min(20),
        nonce: z.string().min(20),
      })
      .safeParse(request.query);
    if (!q.success) return reply.code(400).send({ error: 'invalid_request', issues: q.error.issues });
    const spec = platform.launches.get(q.data.lti_message_hint);
    if (!spec) return reply.code(400).send({ error: 'unknown message hint' });
    const token = await idToken(spec, q.data.nonce);
    // The form_post an LMS answers with; the test posts it on like the browser would.
    return reply.type('text/html').send(
      `<form method="post" action="${options.toolLaunchUrl}"><input name="id_token" value="${token}"><input name="state" value="${q.data.state}"></form>`,
    );
  });

  async function idToken(spec: LaunchSpec, nonce: string): Promise<string> {
    const message = spec.message ?? 'LtiResourceLinkRequest';
    const claims: Record<string, unknown> = {
      nonce,
      name: spec.name ?? `User ${spec.sub}`,
      email: `${spec.sub}@school.example`,
      [CLAIM.messageType]: message,
      [CLAIM.version]: '1.3.0',
      [CLAIM.deploymentId]: DEPLOYMENT_ID,
      [CLAIM.roles]: spec.roles,
      [CLAIM.context]: { id: spec.contextId ?? 'course-1', title: spec.contextTitle ?? 'Kubernetes 101' },
      [CLAIM.targetLinkUri]: spec.targetLinkUri ?? options.toolLaunchUrl,
      ...(spec.custom ? { [CLAIM.custom]: spec.custom } : {}),
    };
    if (message === 'LtiResourceLinkRequest') {
      const link = spec.resourceLinkId ?? 'link-1';
      claims[CLAIM.resourceLink] = { id: link, title: 'Lab' };
      if (spec.lineitem) claims[CLAIM.ags] = { scope: ['https://purl.imsglobal.org/spec/lti-ags/scope/score', 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem'], lineitem: platform.lineitemUrl(link) };
    } else {
      claims[CLAIM.deepLinkingSettings] = { deep_link_return_url: platform.returnUrl, accept_types: ['ltiResourceLink'], accept_presentation_document_targets: ['iframe', 'window'], data: 'opaque-data-7' };
    }
    if (spec.nrps) claims[CLAIM.nrps] = { context_memberships_url: `${platform.url}/memberships`, service_versions: ['2.0'] };
    spec.claims?.(claims);
    const nowS = Math.floor(options.now() / 1000) + (spec.shiftS ?? 0);
    const jwt = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'platform-key-1', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(typeof claims.aud === 'string' || Array.isArray(claims.aud) ? (claims.aud as string | string[]) : CLIENT_ID)
      .setSubject(spec.sub)
      .setIssuedAt(nowS)
      .setExpirationTime(nowS + 300)
      .sign(spec.foreignKey ? foreign.privateKey : (privateKey as CryptoKey));
    if (!spec.tamper) return jwt;
    const [h, p, s] = jwt.split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>;
    payload.name = 'Mallory';
    return [h, Buffer.from(JSON.stringify(payload)).toString('base64url'), s].join('.');
  }

  app.post('/token', async (request, reply) => {
    const form = z
      .object({
        grant_type: z.literal('client_credentials'),
        client_assertion_type: z.literal('urn:ietf:params:oauth:client-assertion-type:jwt-bearer'),
        client_assertion: z.string(),
        scope: z.string(),
      })
      .safeParse(request.body);
    if (!form.success) return reply.code(400).send({ error: 'invalid_request' });
    try {
      const { payload } = await jwtVerify(form.data.client_assertion, keysOfTool(), {
        issuer: CLIENT_ID,
        subject: CLIENT_ID,
        audience: platform.tokenUrl,
        currentDate: new Date(options.now()),
        requiredClaims: ['jti', 'exp', 'iat'],
      });
      if (platform.tokensIssued.includes(String(payload.jti))) return reply.code(400).send({ error: 'invalid_grant', reason: 'jti reused' });
      platform.tokensIssued.push(String(payload.jti));
    } catch (error) {
      return reply.code(401).send({ error: 'invalid_client', reason: error instanceof Error ? error.message : String(error) });
    }
    const token = `at-${platform.tokensIssued.length}`;
    accessTokens.add(`${token} ${form.data.scope}`);
    return { access_token: token, token_type: 'Bearer', expires_in: 3600, scope: form.data.scope };
  });

  app.post('/lineitems/:id/scores', async (request, reply) => {
    const answer = (status: number, body: unknown) => {
      platform.scoreAnswers.push(status);
      return reply.code(status).send(body);
    };
    const injected = platform.failNextScores.shift();
    if (injected !== undefined) return answer(injected, { error: 'injected' });
    const bearer = /^Bearer (\S+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
    const granted = [...accessTokens].some((t) => t.startsWith(`${bearer} `) && t.includes('https://purl.imsglobal.org/spec/lti-ags/scope/score'));
    if (!bearer || !granted) return answer(401, { error: 'unauthorized' });
    if (!String(request.headers['user-agent'] ?? '')) return answer(400, { error: 'a User-Agent is required' });
    if (request.headers['content-type'] !== 'application/vnd.ims.lis.v1.score+json') return answer(415, { error: 'wrong content type' });
    const body = ScoreBody.safeParse(request.body);
    if (!body.success) return answer(400, { error: body.error.issues[0]?.message });
    // Canvas: scoreMaximum must come with scoreGiven.
    if (body.data.scoreGiven !== undefined && body.data.scoreMaximum === undefined) return answer(422, { error: 'ScoreMaximum not present' });
    const key = `${(request.params as { id: string }).id} ${body.data.userId}`;
    const at = Date.parse(body.data.timestamp);
    const last = lastTimestamp.get(key);
    // Canvas: a score older than the last one taken is refused.
    if (last !== undefined && at < last) return answer(400, { error: 'Provided timestamp of ... before last updated timestamp' });
    lastTimestamp.set(key, at);
    platform.scores.push({ lineitem: (request.params as { id: string }).id, userId: body.data.userId, scoreGiven: body.data.scoreGiven ?? 0, scoreMaximum: body.data.scoreMaximum ?? 0, activityProgress: body.data.activityProgress, gradingProgress: body.data.gradingProgress, timestamp: body.data.timestamp });
    return answer(200, { resultUrl: `${platform.url}/results/1` });
  });

  app.get('/memberships', async (request, reply) => {
    const bearer = /^Bearer (\S+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
    const granted = [...accessTokens].some((t) => t.startsWith(`${bearer} `) && t.includes('contextmembership.readonly'));
    if (!bearer || !granted) return reply.code(401).send({ error: 'unauthorized' });
    if (request.headers.accept !== 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json') return reply.code(406).send({ error: 'wrong accept' });
    const page = Number((request.query as { page?: string }).page ?? '0');
    const members = platform.roster.slice(page * 2, page * 2 + 2);
    if ((page + 1) * 2 < platform.roster.length) reply.header('link', `<${platform.url}/memberships?page=${page + 1}>; rel="next"`);
    return reply.type('application/vnd.ims.lti-nrps.v2.membershipcontainer+json').send({ id: `${platform.url}/memberships`, context: { id: 'course' }, members });
  });

  app.post('/deep-link-return', async (request, reply) => {
    const form = z.object({ JWT: z.string() }).safeParse(request.body);
    if (!form.success) return reply.code(400).send({ error: 'no JWT' });
    try {
      const { payload } = await jwtVerify(form.data.JWT, keysOfTool(), { issuer: CLIENT_ID, audience: ISSUER, currentDate: new Date(options.now()), requiredClaims: ['nonce', 'iat', 'exp'] });
      platform.deepLinkResponses.push(payload);
      return { ok: true };
    } catch (error) {
      return reply.code(401).send({ error: error instanceof Error ? error.message : String(error) });
    }
  });

  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  platform = {
    url: address,
    authUrl: `${address}/auth`,
    tokenUrl: `${address}/token`,
    jwksUrl: `${address}/jwks`,
    returnUrl: `${address}/deep-link-return`,
    launches: new Map(),
    scores: [],
    scoreAnswers: [],
    failNextScores: [],
    tokensIssued: [],
    deepLinkResponses: [],
    roster: [],
    toolJwksUrl: '',
    lineitemUrl: (id) => `${address}/lineitems/${encodeURIComponent(id)}?type=kubelab`,
    close: () => app.close(),
  };
  return platform;
}
