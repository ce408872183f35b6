// Minimal bearer authentication for the environment routes: the token is looked up by
// the injected function (the db's hashed API tokens) and never logged or echoed.
import type { FastifyRequest } from 'fastify';
import { UnauthorizedError } from '../errors.ts';

export type Authenticate = (token: string) => { id: number } | undefined;

const BEARER = /^Bearer ([\x21-\x7e]{1,1024})$/;

export function learnerOf(request: FastifyRequest, authenticate: Authenticate): { id: number } {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? BEARER.exec(header) : null;
  if (!match) throw new UnauthorizedError('send your API token as "Authorization: Bearer <token>"');
  const user = authenticate(match[1]!);
  if (!user) throw new UnauthorizedError('unknown, expired or revoked API token');
  return user;
}
