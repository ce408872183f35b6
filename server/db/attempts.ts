import type Database from 'better-sqlite3';
import { z } from 'zod';
import { id, timestamp } from './columns.ts';
import { NotFoundError } from './errors.ts';

export const AttemptStatus = z.enum(['queued', 'running', 'finished', 'interrupted']);
export type AttemptStatus = z.infer<typeof AttemptStatus>;
export const AttemptResult = z.enum(['passed', 'failed', 'error']);
export type AttemptResult = z.infer<typeof AttemptResult>;

/** A row of `attempts`, exactly as stored. */
export const AttemptRow = z.object({
  id,
  user_id: id,
  environment_id: id,
  exercise_id: z.string().min(1),
  status: AttemptStatus,
  result: AttemptResult.nullable(),
  score: z.number().nonnegative().nullable(),
  max_score: z.number().nonnegative(),
  created_at: timestamp,
  started_at: timestamp.nullable(),
  finished_at: timestamp.nullable(),
});

const parseAttempt = AttemptRow.transform((r) => ({
  id: r.id,
  userId: r.user_id,
  environmentId: r.environment_id,
  exerciseId: r.exercise_id,
  status: r.status,
  result: r.result,
  score: r.score,
  maxScore: r.max_score,
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
}));
export type Attempt = z.output<typeof parseAttempt>;

export interface NewAttempt {
  readonly userId: number;
  readonly environmentId: number;
  readonly exerciseId: string;
  readonly maxScore: number;
}

export interface Verdict {
  readonly result: AttemptResult;
  readonly score: number;
}

/** A learner's standing on one exercise, from their finished attempts. */
export const ExerciseProgress = z.object({
  exercise_id: z.string(),
  attempts: z.number().int().nonnegative(),
  best_score: z.number().nullable(),
  max_score: z.number().nullable(),
  passed: z.number().int().min(0).max(1),
  last_at: timestamp,
});
const parseProgress = ExerciseProgress.transform((r) => ({
  exerciseId: r.exercise_id,
  attempts: r.attempts,
  bestScore: r.best_score,
  maxScore: r.max_score,
  passed: r.passed === 1,
  lastAt: r.last_at,
}));
export type ExerciseProgress = z.output<typeof parseProgress>;

export class AttemptsRepo {
  readonly #now: () => number;
  readonly #insert: Database.Statement;
  readonly #byId: Database.Statement;
  readonly #forUser: Database.Statement;
  readonly #forUserExercise: Database.Statement;
  readonly #start: Database.Statement;
  readonly #finish: Database.Statement;
  readonly #interrupt: Database.Statement;
  readonly #progress: Database.Statement;

  constructor(sqlite: Database.Database, now: () => number) {
    this.#now = now;
    this.#insert = sqlite.prepare(
      `INSERT INTO attempts (user_id, environment_id, exercise_id, status, max_score, created_at)
       VALUES (@userId, @environmentId, @exerciseId, 'queued', @maxScore, @now) RETURNING *`,
    );
    this.#byId = sqlite.prepare('SELECT * FROM attempts WHERE id = ?');
    this.#forUser = sqlite.prepare('SELECT * FROM attempts WHERE user_id = ? ORDER BY id DESC LIMIT ?');
    this.#forUserExercise = sqlite.prepare(
      'SELECT * FROM attempts WHERE user_id = ? AND exercise_id = ? ORDER BY id DESC LIMIT ?',
    );
    // Guarded by the current status so a late or duplicate call cannot rewrite history.
    this.#start = sqlite.prepare(
      `UPDATE attempts SET status = 'running', started_at = @now WHERE id = @id AND status = 'queued' RETURNING *`,
    );
    this.#finish = sqlite.prepare(
      `UPDATE attempts SET status = 'finished', result = @result, score = @score, finished_at = @now
       WHERE id = @id AND status IN ('queued', 'running') RETURNING *`,
    );
    // An `error` attempt is not a grade, so it never sets the best score.
    this.#progress = sqlite.prepare(
      `SELECT exercise_id, count(*) AS attempts,
              max(CASE WHEN result IN ('passed', 'failed') THEN score END) AS best_score,
              max(max_score) AS max_score,
              coalesce(max(result = 'passed'), 0) AS passed,
              max(created_at) AS last_at
       FROM attempts WHERE user_id = ? GROUP BY exercise_id`,
    );
    this.#interrupt = sqlite.prepare(
      `UPDATE attempts SET status = 'interrupted', finished_at = @now WHERE status IN ('queued', 'running') RETURNING *`,
    );
  }

  /** Per exercise the learner tried: attempts, best score (graded ones only), passed or not. */
  progressForUser(userId: number): ExerciseProgress[] {
    return this.#progress.all(userId).map((row) => parseProgress.parse(row));
  }

  create(attempt: NewAttempt): Attempt {
    return parseAttempt.parse(this.#insert.get({ ...attempt, now: this.#now() }));
  }

  select(attemptId: number): Attempt {
    const attempt = this.selectOptional(attemptId);
    if (attempt === undefined) throw new NotFoundError('attempt', attemptId);
    return attempt;
  }

  selectOptional(attemptId: number): Attempt | undefined {
    const row = this.#byId.get(attemptId);
    return row === undefined ? undefined : parseAttempt.parse(row);
  }

  /** Newest first. */
  listForUser(userId: number, options: { exerciseId?: string; limit?: number } = {}): Attempt[] {
    const limit = options.limit ?? 100;
    const rows =
      options.exerciseId === undefined
        ? this.#forUser.all(userId, limit)
        : this.#forUserExercise.all(userId, options.exerciseId, limit);
    return rows.map((row) => parseAttempt.parse(row));
  }

  /** queued → running; throws when the attempt is not queued. */
  markRunning(attemptId: number): Attempt {
    return this.#transition(this.#start.get({ id: attemptId, now: this.#now() }), attemptId, 'start');
  }

  /** queued|running → finished with a verdict; throws when already ended. */
  finish(attemptId: number, verdict: Verdict): Attempt {
    const row = this.#finish.get({ id: attemptId, result: verdict.result, score: verdict.score, now: this.#now() });
    return this.#transition(row, attemptId, 'finish');
  }

  /**
   * Marks every queued or running attempt interrupted. Called at start-up: whatever
   * was in flight died with the previous process, and saying so beats a spinner forever.
   */
  interruptUnfinished(): Attempt[] {
    return this.#interrupt.all({ now: this.#now() }).map((row) => parseAttempt.parse(row));
  }

  #transition(row: unknown, attemptId: number, verb: string): Attempt {
    if (row !== undefined) return parseAttempt.parse(row);
    const current = this.select(attemptId);
    throw new Error(`cannot ${verb} attempt ${attemptId}: it is ${current.status}`);
  }
}
