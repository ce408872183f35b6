// OIDC login states. The state and nonce are kept in SQLite (the state only as sha256),
// not only in a cookie: inside an LMS iframe a browser that blocks third-party cookies
// would otherwise lose them. Each state and its nonce can be spent once.
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { id, timestamp } from '../db/columns.ts';
import { hashToken } from '../db/tokens.ts';

/** A learner has this long between the LMS's click and our launch. */
export const LOGIN_STATE_TTL_MS = 10 * 60_000;

export const StateRow = z.object({
  state_hash: z.string(),
  nonce: z.string(),
  platform_id: id,
  target_link_uri: z.string(),
  created_at: timestamp,
  expires_at: timestamp,
  used_at: timestamp.nullable(),
});

export interface LoginState {
  readonly platformId: number;
  readonly nonce: string;
  readonly targetLinkUri: string;
}

/** Why a state or nonce was refused: a value, so the launch can name it. */
export type SpendResult =
  | { ok: true; state: LoginState }
  | { ok: false; reason: 'unknown' | 'used' | 'expired' };

export class LoginStates {
  readonly #now: () => number;
  readonly #insert: Database.Statement;
  readonly #byHash: Database.Statement;
  readonly #spend: Database.Statement;
  readonly #nonceUsed: Database.Statement;
  readonly #prune: Database.Statement;

  constructor(sqlite: Database.Database, now: () => number) {
    this.#now = now;
    this.#insert = sqlite.prepare(
      `INSERT INTO lti_login_states (state_hash, nonce, platform_id, target_link_uri, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.#byHash = sqlite.prepare('SELECT * FROM lti_login_states WHERE state_hash = ?');
    // Spending is one conditional UPDATE, so two racing launches cannot both win.
    this.#spend = sqlite.prepare('UPDATE lti_login_states SET used_at = ? WHERE state_hash = ? AND used_at IS NULL');
    this.#nonceUsed = sqlite.prepare('SELECT used_at FROM lti_login_states WHERE nonce = ?');
    // Old rows are only kept long enough to say "already used" rather than "unknown".
    this.#prune = sqlite.prepare('DELETE FROM lti_login_states WHERE expires_at < ?');
  }

  save(state: string, login: LoginState): void {
    const now = this.#now();
    this.#prune.run(now - 24 * 3600_000);
    this.#insert.run(hashToken(state), login.nonce, login.platformId, login.targetLinkUri, now, now + LOGIN_STATE_TTL_MS);
  }

  /** Spends the state: only the first launch presenting it gets it. */
  spend(state: string): SpendResult {
    const hash = hashToken(state);
    const found = this.#byHash.get(hash);
    if (found === undefined) return { ok: false, reason: 'unknown' };
    const row = StateRow.parse(found);
    if (row.used_at !== null) return { ok: false, reason: 'used' };
    if (row.expires_at <= this.#now()) return { ok: false, reason: 'expired' };
    if (this.#spend.run(this.#now(), hash).changes !== 1) return { ok: false, reason: 'used' };
    return { ok: true, state: { platformId: row.platform_id, nonce: row.nonce, targetLinkUri: row.target_link_uri } };
  }

  /** Whether this nonce belongs to a login already spent (a replayed id_token). */
  nonceSpent(nonce: string): boolean {
    const row = z.object({ used_at: timestamp.nullable() }).optional().parse(this.#nonceUsed.get(nonce));
    return row !== undefined && row.used_at !== null;
  }
}
