// The portal's side of the session model: reading the cookie on a page request, starting
// and ending sessions, and the checks every form post passes. The API side of the same
// cookie lives in server/http/routes/environments-auth.ts.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../server/db/database.ts';
import { csrfTokenFor, DEFAULT_SESSION_TIMES, type Session, type SessionVia } from '../../server/db/sessions.ts';
import type { User } from '../../server/db/users.ts';
import { sameSecret, SESSION_COOKIE, sessionSecretOf } from '../../server/http/routes/environments-auth.ts';

export interface SignedIn {
  readonly user: User;
  readonly session: Session;
  readonly csrfToken: string;
}

export function signedIn(request: FastifyRequest, db: Db): SignedIn | undefined {
  const secret = sessionSecretOf(request);
  if (secret === undefined) return undefined;
  const found = db.sessions.authenticate(secret);
  return found && { ...found, csrfToken: csrfTokenFor(found.session) };
}

/**
 * `embedded`: the session begins inside another site's frame (an LTI launch), where only a
 * SameSite=None cookie comes back; browsers accept that only with Secure (https).
 */
export function startSession(reply: FastifyReply, db: Db, userId: number, via: SessionVia, secure: boolean, embedded = false): void {
  const { secret } = db.sessions.create(userId, via);
  reply.setCookie(SESSION_COOKIE, secret, {
    path: '/',
    httpOnly: true,
    sameSite: embedded && secure ? 'none' : 'lax',
    secure,
    // The cookie may outlive a browser restart; the server decides when the session ends.
    maxAge: Math.floor(DEFAULT_SESSION_TIMES.maxMs / 1000),
  });
}

export function endSession(request: FastifyRequest, reply: FastifyReply, db: Db, secure: boolean): void {
  const secret = sessionSecretOf(request);
  if (secret !== undefined) db.sessions.end(secret);
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
}

/**
 * A form post must come from our own pages. Browsers say where a request comes from
 * (Sec-Fetch-Site, Origin); a cross-site form post is refused even before sign-in, so
 * no other site can sign a learner into an account of its choosing.
 */
export function fromOwnPage(request: FastifyRequest, publicOrigin: string): boolean {
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') return false;
  const origin = request.headers.origin;
  if (typeof origin === 'string' && origin !== 'null') {
    const host = request.headers.host;
    return origin === publicOrigin || (typeof host === 'string' && (origin === `http://${host}` || origin === `https://${host}`));
  }
  return true;
}

/** A signed-in form post carries the session's CSRF token in a hidden `_csrf` field. */
export function validCsrf(who: SignedIn, presented: string | undefined): boolean {
  return typeof presented === 'string' && sameSecret(presented, who.csrfToken);
}

/** Where to go after sign-in: only a path on this site, never another origin. */
export function safeNext(next: string | undefined): string {
  return typeof next === 'string' && /^\/(?![/\\])[\x21-\x7e]{0,500}$/.test(next) ? next : '/';
}
