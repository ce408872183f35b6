// Who is calling a learner route: an API token (`Authorization: Bearer`) for scripts and
// LMSs, or the portal's session cookie for browsers. Both resolve to one user. A
// cookie-authenticated request that changes state must also carry the session's CSRF
// token in `x-csrf-token`, since a browser attaches cookies to cross-site requests too.
// It runs onRequest, before any validation, so an anonymous caller learns nothing but 401.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { checkKeyMayCall, type KeyGrant } from '../api-keys/rules.ts';
import { ForbiddenError, UnauthorizedError } from '../errors.ts';
import type { RateLimiter } from '../rate-limit/limiter.ts';
import { SERVICE_KEY_SCHEME, SIGNED_IN } from '../schemas/security-requirements.ts';

export const SESSION_COOKIE = 'kubelab_session';
export const CSRF_HEADER = 'x-csrf-token';

/** Who a request acts as: enough to scope data (id) and to check a role. */
export interface Caller {
  readonly id: number;
  readonly role: 'learner' | 'instructor' | 'admin';
  /** Set when a service API key calls: its scopes and class narrow what the role allows. */
  readonly apiKey?: KeyGrant;
  /** Which secret was presented (`api-key:3`, `token:7`): what rate limits and idempotency keys are counted per. */
  readonly credential?: string;
}

export interface Authenticate {
  /** The user of an API token, unless it is unknown, revoked or expired. */
  bearer(token: string): Caller | undefined;
  /** The user of a session cookie and its CSRF token, unless ended or expired. */
  session(secret: string): { user: Caller; csrfToken: string } | undefined;
  /** Requests per bearer credential (API keys and user tokens); the portal's sessions are not counted. */
  readonly rateLimit?: RateLimiter;
}

export const BEARER = /^Bearer ([\x21-\x7e]{1,1024})$/;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The session cookie's value, if the request carries one (needs @fastify/cookie). */
export function sessionSecretOf(request: FastifyRequest): string | undefined {
  const value = request.cookies?.[SESSION_COOKIE];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function callerOf(request: FastifyRequest, authenticate: Authenticate): Caller {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = typeof header === 'string' ? BEARER.exec(header) : null;
    if (!match) throw new UnauthorizedError('send your API token as "Authorization: Bearer <token>"');
    const user = authenticate.bearer(match[1]!);
    if (!user) throw new UnauthorizedError('unknown, expired or revoked API token');
    if (user.apiKey) checkKeyMayCall(request, user.apiKey);
    authenticate.rateLimit?.take(user.credential ?? `user:${user.id}`);
    return user;
  }
  const secret = sessionSecretOf(request);
  if (secret === undefined) throw new UnauthorizedError('sign in, or send your API token as "Authorization: Bearer <token>"');
  const found = authenticate.session(secret);
  if (!found) throw new UnauthorizedError('your session has ended: sign in again');
  if (!SAFE_METHODS.has(request.method)) {
    const presented = request.headers[CSRF_HEADER];
    if (typeof presented !== 'string' || !sameSecret(presented, found.csrfToken)) {
      throw new ForbiddenError(`a signed-in browser must send the page's CSRF token in ${CSRF_HEADER}`);
    }
  }
  return found.user;
}

const callers = new WeakMap<FastifyRequest, Caller>();

/**
 * The OpenAPI `security` of the plugin's routes, from the same facts the hooks enforce:
 * signed in (token or session), plus a service key with the scope a route names, if any.
 */
function documentSecurity(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (route.schema === undefined || route.schema.hide === true) return;
    const rule = route.config?.apiKey;
    // Idempotent: a GET's HEAD twin shares its schema object and passes here too.
    const base = (route.schema.security ?? SIGNED_IN).filter((requirement) => !(SERVICE_KEY_SCHEME in requirement));
    route.schema.security = rule === undefined ? base : [...base, { [SERVICE_KEY_SCHEME]: [rule.scope] }];
  });
}

/** Any signed-in user, acting on their own work. Adds the hook to this (encapsulated) plugin's routes only. */
export function requireLearner(app: FastifyInstance, authenticate: Authenticate): void {
  documentSecurity(app);
  app.addHook('onRequest', async (request) => {
    callers.set(request, callerOf(request, authenticate));
  });
}

/**
 * Instructors and admins only. A learner gets 403: they are signed in, the route exists,
 * and saying so leaks nothing (what a class holds is still scoped per route).
 */
export function requireStaff(app: FastifyInstance, authenticate: Authenticate): void {
  documentSecurity(app);
  app.addHook('onRequest', async (request) => {
    const caller = callerOf(request, authenticate);
    if (caller.role === "learner") throw new ForbiddenError('this is for instructors: your account is a learner’s');
    callers.set(request, caller);
  });
}

/** The authenticated caller; only valid inside routes behind requireLearner or requireStaff. */
export function currentLearner(request: FastifyRequest): Caller {
  const caller = callers.get(request);
  if (!caller) throw new UnauthorizedError();
  return caller;
}

export const currentCaller = currentLearner;

/** The caller, when a route behind requireLearner or requireStaff has one (hooks that run for every route). */
export function callerIfAny(request: FastifyRequest): Caller | undefined {
  return callers.get(request);
}
