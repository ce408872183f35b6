// Service API keys (klk_…): secrets for integrations, not people. Like user tokens,
// a random 32 bytes shown once and stored as sha256 (high entropy, so a fast hash is
// enough). A key carries scopes and, when an instructor made it, the one class it may
// touch; what that means per route is decided in server/http/api-keys.
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { id, jsonText, timestamp } from './columns.ts';
import { NotFoundError } from './errors.ts';
import { hashToken, LAST_USED_PRECISION_MS } from './tokens.ts';
import { API_KEY_SCOPES } from '../api-keys/scopes.ts';

export { API_KEY_SCOPES };

/** Every service key starts with this (user tokens use klb_), so leaks are easy to scan for and to tell apart. */
export const API_KEY_PREFIX = 'klk_';

export const ApiKeyScope = z.enum(API_KEY_SCOPES);
export type ApiKeyScope = z.infer<typeof ApiKeyScope>;

/** A row of `service_api_keys`, exactly as stored. */
export const ApiKeyRow = z.object({
  id,
  name: z.string(),
  key_hash: z.string().regex(/^[0-9a-f]{64}$/),
  hint: z.string(),
  scopes: jsonText(z.array(ApiKeyScope)),
  class_id: id.nullable(),
  created_by_user_id: id,
  created_at: timestamp,
  last_used_at: timestamp.nullable(),
  revoked_at: timestamp.nullable(),
});

// The hash never leaves this module.
const parseKey = ApiKeyRow.transform((r) => ({
  id: r.id,
  name: r.name,
  hint: r.hint,
  scopes: r.scopes,
  classId: r.class_id,
  createdByUserId: r.created_by_user_id,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
}));
export type ApiKey = z.output<typeof parseKey>;

export interface NewApiKey {
  readonly name: string;
  readonly scopes: readonly ApiKeyScope[];
  /** null: the whole server (admins only); a class id: that class only. */
  readonly classId: number | null;
  readonly createdByUserId: number;
}

export interface CreatedApiKey {
  /** The secret: hand it over now, it cannot be recovered later. */
  readonly plaintext: string;
  readonly key: ApiKey;
}

export interface ApiKeyPageQuery {
  /** Only keys of classes this user owns; undefined: every key (admins). */
  readonly classOwnerId?: number;
  /** Keys with a larger id than this (the cursor). */
  readonly afterId: number;
  readonly limit: number;
}

export class ApiKeysRepo {
  readonly #now: () => number;
  readonly #randomBytes: (size: number) => Buffer;
  readonly #insert: Database.Statement;
  readonly #byId: Database.Statement;
  readonly #byHash: Database.Statement;
  readonly #page: Database.Statement;
  readonly #touch: Database.Statement;
  readonly #revoke: Database.Statement;

  constructor(sqlite: Database.Database, deps: { now: () => number; randomBytes: (size: number) => Buffer }) {
    this.#now = deps.now;
    this.#randomBytes = deps.randomBytes;
    this.#insert = sqlite.prepare(
      `INSERT INTO service_api_keys (name, key_hash, hint, scopes, class_id, created_by_user_id, created_at)
       VALUES (@name, @hash, @hint, @scopes, @classId, @createdBy, @now) RETURNING *`,
    );
    this.#byId = sqlite.prepare('SELECT * FROM service_api_keys WHERE id = ?');
    this.#byHash = sqlite.prepare('SELECT * FROM service_api_keys WHERE key_hash = ?');
    // Keyset pagination by id: rows inserted while a client pages get larger ids and
    // land on later pages, so no row is skipped or shown twice.
    this.#page = sqlite.prepare(
      `SELECT k.* FROM service_api_keys k LEFT JOIN classes c ON c.id = k.class_id
       WHERE k.id > @afterId AND (@ownerId IS NULL OR c.owner_user_id = @ownerId)
       ORDER BY k.id LIMIT @limit`,
    );
    this.#touch = sqlite.prepare('UPDATE service_api_keys SET last_used_at = ? WHERE id = ?');
    this.#revoke = sqlite.prepare('UPDATE service_api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE id = ? RETURNING *');
  }

  /** Issues a new random key; the plaintext is returned here and nowhere else. */
  create(input: NewApiKey): CreatedApiKey {
    const plaintext = API_KEY_PREFIX + this.#randomBytes(32).toString('base64url');
    const row = this.#insert.get({
      name: input.name,
      hash: hashToken(plaintext),
      hint: plaintext.slice(0, API_KEY_PREFIX.length + 4),
      scopes: JSON.stringify(z.array(ApiKeyScope).parse([...new Set(input.scopes)])),
      classId: input.classId,
      createdBy: input.createdByUserId,
      now: this.#now(),
    });
    return { plaintext, key: parseKey.parse(row) };
  }

  /** The key a presented secret belongs to, unless unknown or revoked; records its use (to the minute). */
  authenticate(plaintext: string): ApiKey | undefined {
    if (!plaintext.startsWith(API_KEY_PREFIX) || plaintext.length > 1024) return undefined;
    const row = this.#byHash.get(hashToken(plaintext));
    if (row === undefined) return undefined;
    const key = parseKey.parse(row);
    if (key.revokedAt !== null) return undefined;
    const now = this.#now();
    if (key.lastUsedAt === null || now - key.lastUsedAt >= LAST_USED_PRECISION_MS) {
      this.#touch.run(now, key.id);
      return { ...key, lastUsedAt: now };
    }
    return key;
  }

  select(keyId: number): ApiKey {
    const row = this.#byId.get(keyId);
    if (row === undefined) throw new NotFoundError('api key', keyId);
    return parseKey.parse(row);
  }

  page(query: ApiKeyPageQuery): ApiKey[] {
    return this.#page
      .all({ afterId: query.afterId, ownerId: query.classOwnerId ?? null, limit: query.limit })
      .map((row) => parseKey.parse(row));
  }

  /** Revokes a key at once; revoking twice keeps the first time. */
  revoke(keyId: number): ApiKey {
    const row = this.#revoke.get(this.#now(), keyId);
    if (row === undefined) throw new NotFoundError('api key', keyId);
    return parseKey.parse(row);
  }
}
