// API tokens: random 32 bytes shown to their owner once, stored only as sha256.
// A plain hash suffices because the secret is high-entropy; a slow KDF would only
// slow every request down.
import { createHash, randomBytes as cryptoRandomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { id, jsonText, timestamp } from './columns.ts';
import { NotFoundError } from './errors.ts';
import type { User, UsersRepo } from './users.ts';

/** Every kubelab token starts with this, so leaked ones are easy to scan for. */
export const TOKEN_PREFIX = 'klb_';

/** How stale a token's last_used_at may be: it is written at most this often. */
export const LAST_USED_PRECISION_MS = 60_000;

export const Scope = z.string().regex(/^[a-z][a-z0-9_:.-]{0,63}$/, 'expected a scope like "grades:read"');
export const Scopes = z.array(Scope).max(64);

/** A row of `api_tokens`, exactly as stored. */
export const ApiTokenRow = z.object({
  id,
  user_id: id,
  name: z.string(),
  token_hash: z.string().regex(/^[0-9a-f]{64}$/),
  scopes: jsonText(Scopes),
  created_at: timestamp,
  last_used_at: timestamp.nullable(),
  expires_at: timestamp.nullable(),
  revoked_at: timestamp.nullable(),
});

// The hash never leaves this module.
const parseToken = ApiTokenRow.transform((r) => ({
  id: r.id,
  userId: r.user_id,
  name: r.name,
  scopes: r.scopes,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
}));
export type ApiToken = z.output<typeof parseToken>;

export interface CreatedToken {
  /** The secret itself: hand it to the user now, it cannot be recovered later. */
  readonly plaintext: string;
  readonly token: ApiToken;
}

export interface Authenticated {
  readonly user: User;
  readonly token: ApiToken;
}

export function hashToken(plaintext: string): string {
  return createHash('sha256').update(plaintext, 'utf8').digest('hex');
}

export class TokensRepo {
  readonly #now: () => number;
  readonly #randomBytes: (size: number) => Buffer;
  readonly #users: UsersRepo;
  readonly #insert: Database.Statement;
  readonly #byId: Database.Statement;
  readonly #byHash: Database.Statement;
  readonly #byUser: Database.Statement;
  readonly #touch: Database.Statement;
  readonly #revoke: Database.Statement;

  constructor(sqlite: Database.Database, deps: { now: () => number; randomBytes: (size: number) => Buffer; users: UsersRepo }) {
    this.#now = deps.now;
    this.#randomBytes = deps.randomBytes;
    this.#users = deps.users;
    this.#insert = sqlite.prepare(
      `INSERT INTO api_tokens (user_id, name, token_hash, scopes, created_at, expires_at)
       VALUES (@userId, @name, @hash, @scopes, @now, @expiresAt) RETURNING *`,
    );
    this.#byId = sqlite.prepare('SELECT * FROM api_tokens WHERE id = ?');
    this.#byHash = sqlite.prepare('SELECT * FROM api_tokens WHERE token_hash = ?');
    this.#byUser = sqlite.prepare('SELECT * FROM api_tokens WHERE user_id = ? ORDER BY id');
    this.#touch = sqlite.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?');
    this.#revoke = sqlite.prepare(
      'UPDATE api_tokens SET revoked_at = coalesce(revoked_at, ?) WHERE id = ? RETURNING *',
    );
  }

  /** Issues a new random token; the plaintext is returned here and nowhere else. */
  createToken(userId: number, name: string, scopes: readonly string[], expiresAt?: number): CreatedToken {
    const plaintext = TOKEN_PREFIX + this.#randomBytes(32).toString('base64url');
    return { plaintext, token: this.#store(userId, name, plaintext, scopes, expiresAt) };
  }

  /**
   * Registers a secret chosen outside kubelab (the KUBELAB_ADMIN_TOKEN bootstrap);
   * idempotent, so restarting with the same secret keeps one token.
   */
  importToken(userId: number, name: string, plaintext: string, scopes: readonly string[]): ApiToken {
    const existing = this.#byHash.get(hashToken(plaintext));
    if (existing !== undefined) return parseToken.parse(existing);
    return this.#store(userId, name, plaintext, scopes, undefined);
  }

  /** The user a presented token belongs to, unless it is unknown, revoked or expired, or the user is disabled. */
  authenticate(plaintext: string): Authenticated | undefined {
    // Imported secrets may have any shape, so only absurd lengths are refused early.
    if (plaintext.length === 0 || plaintext.length > 1024) return undefined;
    const row = this.#byHash.get(hashToken(plaintext));
    if (row === undefined) return undefined;
    const token = parseToken.parse(row);
    const now = this.#now();
    if (token.revokedAt !== null || (token.expiresAt !== null && token.expiresAt <= now)) return undefined;
    const user = this.#users.select(token.userId);
    // A disabled account's tokens stay as they are (enabling restores them) but open nothing.
    if (user.disabledAt !== null) return undefined;
    // "Last used" is for people deciding what to revoke: a minute's precision is plenty,
    // and a script polling every second should not write the database every second.
    if (token.lastUsedAt === null || now - token.lastUsedAt >= LAST_USED_PRECISION_MS) {
      this.#touch.run(now, token.id);
      return { user, token: { ...token, lastUsedAt: now } };
    }
    return { user, token };
  }

  select(tokenId: number): ApiToken {
    const token = this.selectOptional(tokenId);
    if (token === undefined) throw new NotFoundError('api token', tokenId);
    return token;
  }

  selectOptional(tokenId: number): ApiToken | undefined {
    const row = this.#byId.get(tokenId);
    return row === undefined ? undefined : parseToken.parse(row);
  }

  listForUser(userId: number): ApiToken[] {
    return this.#byUser.all(userId).map((row) => parseToken.parse(row));
  }

  /** Revokes a token; revoking twice keeps the first revocation time. */
  revoke(tokenId: number): ApiToken {
    const row = this.#revoke.get(this.#now(), tokenId);
    if (row === undefined) throw new NotFoundError('api token', tokenId);
    return parseToken.parse(row);
  }

  #store(userId: number, name: string, plaintext: string, scopes: readonly string[], expiresAt: number | undefined): ApiToken {
    const row = this.#insert.get({
      userId,
      name,
      hash: hashToken(plaintext),
      scopes: JSON.stringify(Scopes.parse(scopes)),
      now: this.#now(),
      expiresAt: expiresAt ?? null,
    });
    return parseToken.parse(row);
  }
}

export const defaultRandomBytes = (size: number): Buffer => cryptoRandomBytes(size);
