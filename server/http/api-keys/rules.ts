// What a service API key may do, route by route. A route opts in by naming the scope it
// needs and how it reaches classes; a route that names none (a learner's own lab, the
// account routes, key management itself) is closed to keys, because those act for a
// person and a key is not one. Checked onRequest, right after the key is recognised.
import type { FastifyRequest } from 'fastify';
import { ClassNotFoundError } from '../../classes/service.ts';
import type { ApiKeyScope } from '../../db/api-keys.ts';
import { HttpError } from '../errors.ts';

/**
 * How a route reaches classes, which decides what a class key (one made for a single
 * class) may do there:
 * - `param`: the route names a class as :classId; a class key must name its own.
 * - `listed`: the route lists classes; it shows a class key only its own.
 * - `server`: nothing class-shaped to check (creating a class): server-wide keys only.
 */
export type ClassReach = 'param' | 'listed' | 'server';

export interface ApiKeyRule {
  readonly scope: ApiKeyScope;
  readonly classes: ClassReach;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Present when service API keys may call this route. */
    apiKey?: ApiKeyRule;
  }
}

/** What a recognised key grants, carried on the request's caller. */
export interface KeyGrant {
  readonly id: number;
  readonly scopes: readonly ApiKeyScope[];
  /** null: the whole server; otherwise the one class the key belongs to. */
  readonly classId: number | null;
}

/** Route options that open a route to keys holding `scope`. */
export function keysMay(scope: ApiKeyScope, classes: ClassReach = 'param'): { config: { apiKey: ApiKeyRule } } {
  return { config: { apiKey: { scope, classes } } };
}

export class InsufficientScopeError extends HttpError {
  override readonly name = 'InsufficientScopeError';
  constructor(message: string, details?: unknown) {
    super(403, 'insufficient_scope', message, details);
  }
}

/** Throws unless the key may call this route (and, for a class key, on this class). */
export function checkKeyMayCall(request: FastifyRequest, grant: KeyGrant): void {
  const rule = request.routeOptions.config.apiKey;
  if (rule === undefined) {
    throw new InsufficientScopeError('service API keys cannot use this route: it acts for a person (use their sign-in or user token)');
  }
  if (!grant.scopes.includes(rule.scope)) {
    throw new InsufficientScopeError(`this API key lacks the scope ${rule.scope}`, { requiredScope: rule.scope, scopes: grant.scopes });
  }
  if (grant.classId === null) return;
  if (rule.classes === 'server') {
    throw new InsufficientScopeError('a class API key cannot do this: it needs a server-wide key (made by an admin)');
  }
  if (rule.classes === 'param') {
    // Raw route parameter (validation has not run yet): compare as text. Another class
    // answers 404 exactly like a missing one, so a key learns nothing about other classes.
    const params = request.params as Record<string, unknown>;
    if (String(params['classId']) !== String(grant.classId)) throw new ClassNotFoundError();
  }
}
