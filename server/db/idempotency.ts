// Stored answers to POSTs sent with an Idempotency-Key (see server/http/idempotency):
// one row per caller and key, claimed before the work runs and completed with the
// answer afterwards, so a retry replays the answer instead of doing the work twice.
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { timestamp } from './columns.ts';

/** How long an answer is kept for replay. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

export const IdempotencyRow = z.object({
  caller: z.string(),
  key: z.string(),
  request_hash: z.string().regex(/^[0-9a-f]{64}$/),
  status: z.number().int().nullable(),
  content_type: z.string().nullable(),
  body: z.string().nullable(),
  created_at: timestamp,
});

export type StoredRequest =
  | { readonly state: 'running'; readonly requestHash: string }
  | { readonly state: 'done'; readonly requestHash: string; readonly status: number; readonly contentType: string | null; readonly body: string };

export class IdempotencyRepo {
  readonly #now: () => number;
  readonly #claim: Database.Statement;
  readonly #get: Database.Statement;
  readonly #complete: Database.Statement;
  readonly #release: Database.Statement;
  readonly #sweep: Database.Statement;

  constructor(sqlite: Database.Database, now: () => number) {
    this.#now = now;
    this.#claim = sqlite.prepare(
      `INSERT INTO idempotency_keys (caller, key, request_hash, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (caller, key) DO NOTHING`,
    );
    this.#get = sqlite.prepare('SELECT * FROM idempotency_keys WHERE caller = ? AND key = ?');
    this.#complete = sqlite.prepare('UPDATE idempotency_keys SET status = ?, content_type = ?, body = ? WHERE caller = ? AND key = ?');
    this.#release = sqlite.prepare('DELETE FROM idempotency_keys WHERE caller = ? AND key = ? AND status IS NULL');
    this.#sweep = sqlite.prepare('DELETE FROM idempotency_keys WHERE created_at <= ?');
  }

  /**
   * Claims the key for a new request, or returns what is stored under it (within the
   * window). Older rows are swept first, so an expired key starts afresh.
   */
  claim(caller: string, key: string, requestHash: string): { claimed: true } | { claimed: false; stored: StoredRequest } {
    const now = this.#now();
    this.#sweep.run(now - IDEMPOTENCY_WINDOW_MS);
    if (this.#claim.run(caller, key, requestHash, now).changes === 1) return { claimed: true };
    const row = IdempotencyRow.parse(this.#get.get(caller, key));
    if (row.status === null || row.body === null) return { claimed: false, stored: { state: 'running', requestHash: row.request_hash } };
    return {
      claimed: false,
      stored: { state: 'done', requestHash: row.request_hash, status: row.status, contentType: row.content_type, body: row.body },
    };
  }

  complete(caller: string, key: string, answer: { status: number; contentType: string | null; body: string }): void {
    this.#complete.run(answer.status, answer.contentType, answer.body, caller, key);
  }

  /** Forgets a claim whose request produced no answer worth replaying (a 5xx, a dropped connection). */
  release(caller: string, key: string): void {
    this.#release.run(caller, key);
  }
}
