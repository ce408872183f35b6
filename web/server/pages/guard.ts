// Pages behind sign-in: an anonymous visitor is sent to /signin and comes back after.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { WebDeps } from '../deps.ts';
import { type SignedIn, signedIn } from '../session.ts';

/** The signed-in user, or undefined after answering with a redirect to sign-in. */
export function requirePage(request: FastifyRequest, reply: FastifyReply, deps: Pick<WebDeps, 'db'>): SignedIn | undefined {
  const who = signedIn(request, deps.db);
  if (who) return who;
  const path = request.url.split('?')[0] ?? '/';
  void reply.redirect(`/signin?next=${encodeURIComponent(path)}`, 303);
  return undefined;
}
