// Minimal bearer authentication for the environment routes: the token is looked up by
// the injected function (the db's hashed API tokens) and never logged or echoed. It runs
// onRequest, before any validation, so an anonymous caller learns nothing but 401.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { UnauthorizedError } from '../errors.ts';

export type Authenticate = (token: string) => { id: number } | undefined;

const BEARER = /^Bearer ([\x21-\x7e]{1,1024})$/;

function learnerOf(request: FastifyRequest, authenticate: Authenticate): { id: number } {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? BEARER.exec(header) : null;
  if (!match) throw new UnauthorizedError('send your API token as "Authorization: Bearer <token>"');
  const user = authenticate(match[1]!);
  if (!user) throw new UnauthorizedError('unknown, expired or revoked API token');
  return user;
}

const learners = new WeakMap<FastifyRequest, { id: number }>();

/** Adds the hook to this (encapsulated) plugin's routes only. */
export function requireLearner(app: FastifyInstance, authenticate: Authenticate): void {
  app.addHook('onRequest', async (request) => {
    learners.set(request, learnerOf(request, authenticate));
  });
}

/** The authenticated caller; only valid inside routes behind requireLearner. */
export function currentLearner(request: FastifyRequest): { id: number } {
  const learner = learners.get(request);
  if (!learner) throw new UnauthorizedError();
  return learner;
}
