import type Database from 'better-sqlite3';
import { z } from 'zod';
import { id, jsonText, JsonValue, timestamp } from './columns.ts';

export const CheckStatus = z.enum(['pass', 'fail', 'error', 'skipped']);
export type CheckStatus = z.infer<typeof CheckStatus>;

/** A row of `check_results`, exactly as stored. */
export const CheckResultRow = z.object({
  attempt_id: id,
  check_id: z.string().min(1),
  status: CheckStatus,
  points: z.number().nonnegative(),
  max_points: z.number().nonnegative(),
  message: z.string(),
  hint: z.string().nullable(),
  /** The diagnosed cause of a fail; null otherwise and in rows older than the column. */
  cause: z.string().nullable(),
  evidence: jsonText(JsonValue),
  finished_at: timestamp,
});

const parseCheckResult = CheckResultRow.transform((r) => ({
  attemptId: r.attempt_id,
  checkId: r.check_id,
  status: r.status,
  points: r.points,
  maxPoints: r.max_points,
  message: r.message,
  hint: r.hint,
  cause: r.cause,
  evidence: r.evidence,
  finishedAt: r.finished_at,
}));
export type CheckResult = z.output<typeof parseCheckResult>;

export interface NewCheckResult {
  readonly attemptId: number;
  readonly checkId: string;
  readonly status: CheckStatus;
  readonly points: number;
  readonly maxPoints: number;
  readonly message: string;
  readonly hint?: string | null;
  /** The cause a failing check diagnosed (graders/causes.ts). */
  readonly cause?: string | null;
  /** Probe output, object excerpts: anything JSON. */
  readonly evidence?: JsonValue;
}

export class CheckResultsRepo {
  readonly #now: () => number;
  readonly #insert: Database.Statement;
  readonly #forAttempt: Database.Statement;

  constructor(sqlite: Database.Database, now: () => number) {
    this.#now = now;
    this.#insert = sqlite.prepare(
      `INSERT INTO check_results (attempt_id, check_id, status, points, max_points, message, hint, cause, evidence, finished_at)
       VALUES (@attemptId, @checkId, @status, @points, @maxPoints, @message, @hint, @cause, @evidence, @now) RETURNING *`,
    );
    this.#forAttempt = sqlite.prepare(
      // rowid-less table: finished_at then check_id gives the order results arrived in.
      'SELECT * FROM check_results WHERE attempt_id = ? ORDER BY finished_at, check_id',
    );
  }

  /**
   * Records one check's outcome as soon as it is known, each in its own statement,
   * so a result streamed to the learner survives a crash of the rest of the grade.
   */
  record(result: NewCheckResult): CheckResult {
    return parseCheckResult.parse(
      this.#insert.get({
        attemptId: result.attemptId,
        checkId: result.checkId,
        status: result.status,
        points: result.points,
        maxPoints: result.maxPoints,
        message: result.message,
        hint: result.hint ?? null,
        cause: result.cause ?? null,
        evidence: JSON.stringify(JsonValue.parse(result.evidence ?? null)),
        now: this.#now(),
      }),
    );
  }

  listForAttempt(attemptId: number): CheckResult[] {
    return this.#forAttempt.all(attemptId).map((row) => parseCheckResult.parse(row));
  }
}
