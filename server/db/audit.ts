import type Database from 'better-sqlite3';
import { z } from 'zod';
import { id, jsonText, JsonValue, timestamp } from './columns.ts';

/** A row of `audit_log`, exactly as stored. */
export const AuditRow = z.object({
  id,
  at: timestamp,
  actor_user_id: id.nullable(),
  action: z.string().min(1),
  target: z.string().nullable(),
  details: jsonText(JsonValue),
});

const parseAudit = AuditRow.transform((r) => ({
  id: r.id,
  at: r.at,
  actorUserId: r.actor_user_id,
  action: r.action,
  target: r.target,
  details: r.details,
}));
export type AuditEntry = z.output<typeof parseAudit>;

export interface NewAuditEntry {
  /** null for the system itself (reaper, start-up recovery). */
  readonly actorUserId: number | null;
  /** Dotted verb, e.g. `environment.reset`, `token.create`. */
  readonly action: string;
  /** What was acted on, e.g. `environment:12`. */
  readonly target?: string | null;
  /** Never secrets: the audit log is shown to admins. */
  readonly details?: JsonValue;
}

export class AuditRepo {
  readonly #now: () => number;
  readonly #insert: Database.Statement;
  readonly #page: Database.Statement;

  constructor(sqlite: Database.Database, now: () => number) {
    this.#now = now;
    this.#insert = sqlite.prepare(
      `INSERT INTO audit_log (at, actor_user_id, action, target, details)
       VALUES (@now, @actorUserId, @action, @target, @details) RETURNING *`,
    );
    this.#page = sqlite.prepare('SELECT * FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?');
  }

  record(entry: NewAuditEntry): AuditEntry {
    return parseAudit.parse(
      this.#insert.get({
        now: this.#now(),
        actorUserId: entry.actorUserId,
        action: entry.action,
        target: entry.target ?? null,
        details: JSON.stringify(JsonValue.parse(entry.details ?? {})),
      }),
    );
  }

  /** Newest first; pass the smallest id seen as `before` for the next page. */
  list(options: { before?: number; limit?: number } = {}): AuditEntry[] {
    return this.#page
      .all(options.before ?? Number.MAX_SAFE_INTEGER, options.limit ?? 100)
      .map((row) => parseAudit.parse(row));
  }
}
