// Browser sessions: a random secret in an httpOnly cookie, stored only as sha256 like
// API tokens. Sessions slide: each use pushes expiry out, up to an absolute cap, so a
// learner who keeps a lab page open is not signed out mid-lab, and a stolen cookie
// does not live forever.
import { createHmac } from 'node:crypto';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { id, timestamp } from './columns.ts';
import { hashToken } from './tokens.ts';
import type { User, UsersRepo } from './users.ts';

export const SESSION_PREFIX = 'kls_';
export const SessionVia = z.enum(['token', 'join', 'lti']);
export type SessionVia = z.infer<typeof SessionVia>;

/** A row of `sessions`, exactly as stored. */
export const SessionRow = z.object({
  id,
  user_id: id,
  token_hash: z.string().regex(/^[0-9a-f]{64}$/),
  via: SessionVia,
  created_at: timestamp,
  last_seen_at: timestamp,
  expires_at: timestamp,
  ended_at: timestamp.nullable(),
});

const parseSession = SessionRow.transform((r) => ({
  id: r.id,
  userId: r.user_id,
  via: r.via,
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
  expiresAt: r.expires_at,
  endedAt: r.ended_at,
  // Kept inside the server: it keys the CSRF token and never leaves in a response.
  tokenHash: r.token_hash,
}));
export type Session = z.output<typeof parseSession>;

export interface SessionTimes {
  /** Idle lifetime: a session unused this long ends. */
  readonly idleMs: number;
  /** Absolute lifetime from sign-in. */
  readonly maxMs: number;
}

export const DEFAULT_SESSION_TIMES: SessionTimes = { idleMs: 12 * 3600_000, maxMs: 14 * 24 * 3600_000 };

/**
 * The CSRF token for a session: an HMAC keyed by the session's stored hash, so it needs
 * no storage, differs per session, and cannot be computed by anyone who has not the
 * server's database (a cross-site page sees neither the cookie nor the hash).
 */
export function csrfTokenFor(session: Pick<Session, 'tokenHash'>): string {
  return createHmac('sha256', session.tokenHash).update('kubelab csrf v1').digest('base64url');
}

export class SessionsRepo {
  readonly #now: () => number;
  readonly #randomBytes: (size: number) => Buffer;
  readonly #users: UsersRepo;
  readonly #times: SessionTimes;
  readonly #insert: Database.Statement;
  readonly #byHash: Database.Statement;
  readonly #touch: Database.Statement;
  readonly #end: Database.Statement;
  readonly #endAll: Database.Statement;

  constructor(sqlite: Database.Database, deps: { now: () => number; randomBytes: (size: number) => Buffer; users: UsersRepo; times?: SessionTimes }) {
    this.#now = deps.now;
    this.#randomBytes = deps.randomBytes;
    this.#users = deps.users;
    this.#times = deps.times ?? DEFAULT_SESSION_TIMES;
    this.#insert = sqlite.prepare(
      `INSERT INTO sessions (user_id, token_hash, via, created_at, last_seen_at, expires_at)
       VALUES (@userId, @hash, @via, @now, @now, @expiresAt) RETURNING *`,
    );
    this.#byHash = sqlite.prepare('SELECT * FROM sessions WHERE token_hash = ?');
    this.#touch = sqlite.prepare('UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id = ?');
    this.#end = sqlite.prepare('UPDATE sessions SET ended_at = coalesce(ended_at, ?) WHERE token_hash = ?');
    this.#endAll = sqlite.prepare('UPDATE sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL');
  }

  /** Starts a session; the returned secret goes into the cookie and nowhere else. */
  create(userId: number, via: SessionVia): { secret: string; session: Session } {
    const secret = SESSION_PREFIX + this.#randomBytes(32).toString('base64url');
    const now = this.#now();
    const row = this.#insert.get({ userId, hash: hashToken(secret), via, now, expiresAt: now + this.#times.idleMs });
    return { secret, session: parseSession.parse(row) };
  }

  /** The session and its user, unless unknown, ended or expired; a use slides the expiry. */
  authenticate(secret: string): { session: Session; user: User } | undefined {
    if (!secret.startsWith(SESSION_PREFIX) || secret.length > 200) return undefined;
    const row = this.#byHash.get(hashToken(secret));
    if (row === undefined) return undefined;
    const session = parseSession.parse(row);
    const now = this.#now();
    if (session.endedAt !== null || session.expiresAt <= now) return undefined;
    const expiresAt = Math.min(now + this.#times.idleMs, session.createdAt + this.#times.maxMs);
    if (expiresAt <= now) return undefined;
    // Disabling ends the user's sessions; this also covers one begun in the same instant.
    const user = this.#users.select(session.userId);
    if (user.disabledAt !== null) return undefined;
    // Write at most once a minute: every page load and API call passes here.
    if (now - session.lastSeenAt >= 60_000) this.#touch.run(now, expiresAt, session.id);
    return { session: { ...session, lastSeenAt: now, expiresAt }, user };
  }

  /** Ends the session (sign out); ending twice keeps the first time. */
  end(secret: string): void {
    this.#end.run(this.#now(), hashToken(secret));
  }

  /** Ends every open session of the user (their account was disabled); returns how many. */
  endAllForUser(userId: number): number {
    return this.#endAll.run(this.#now(), userId).changes;
  }
}
