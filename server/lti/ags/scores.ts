// The durable queue of scores for AGS: one row per (resource link, learner) holding the
// score the LMS should show. A better grade replaces a pending or sent score and makes
// the row due again; the row's timestamp only moves forward (Canvas refuses a score
// older than the last one it took). A process that dies mid-send loses nothing: the
// row is still due when the next one starts.
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { id, timestamp } from '../../db/columns.ts';

export const SCORE_STATUSES = ['pending', 'sent', 'failed'] as const;
export const ScoreRow = z.object({
  id,
  link_id: id,
  user_id: id,
  attempt_id: id,
  score_given: z.number().nonnegative(),
  score_maximum: z.number().positive(),
  activity_progress: z.enum(['Started', 'InProgress', 'Submitted', 'Completed']),
  scored_at: timestamp,
  status: z.enum(SCORE_STATUSES),
  tries: z.number().int().nonnegative(),
  next_try_at: timestamp,
  last_error: z.string().nullable(),
  sent_at: timestamp.nullable(),
  updated_at: timestamp,
});
const parseScore = ScoreRow.transform((r) => ({
  id: r.id,
  linkId: r.link_id,
  userId: r.user_id,
  attemptId: r.attempt_id,
  scoreGiven: r.score_given,
  scoreMaximum: r.score_maximum,
  activityProgress: r.activity_progress,
  scoredAt: r.scored_at,
  status: r.status,
  tries: r.tries,
  nextTryAt: r.next_try_at,
  lastError: r.last_error,
  sentAt: r.sent_at,
  updatedAt: r.updated_at,
}));
export type QueuedScore = z.output<typeof parseScore>;

const BestRow = z.object({ id, score: z.number().nonnegative(), max_score: z.number().nonnegative() });

export interface WantedScore {
  readonly linkId: number;
  readonly userId: number;
  readonly attemptId: number;
  readonly scoreGiven: number;
  readonly scoreMaximum: number;
  readonly activityProgress: QueuedScore['activityProgress'];
}

export class ScoreQueue {
  readonly #now: () => number;
  readonly #upsert: Database.Statement;
  readonly #byId: Database.Statement;
  readonly #due: Database.Statement;
  readonly #sent: Database.Statement;
  readonly #retry: Database.Statement;
  readonly #failed: Database.Statement;
  readonly #resend: Database.Statement;
  readonly #forUser: Database.Statement;
  readonly #all: Database.Statement;
  readonly #best: Database.Statement;

  constructor(sqlite: Database.Database, now: () => number) {
    this.#now = now;
    // Only a better score (or the first) changes the row; its timestamp is at least one
    // millisecond past the one before, whatever the clock did.
    this.#upsert = sqlite.prepare(
      `INSERT INTO lti_scores (link_id, user_id, attempt_id, score_given, score_maximum, activity_progress, scored_at, status, tries, next_try_at, updated_at)
       VALUES (@linkId, @userId, @attemptId, @scoreGiven, @scoreMaximum, @activityProgress, @now, 'pending', 0, @now, @now)
       ON CONFLICT (link_id, user_id) DO UPDATE SET
         attempt_id = excluded.attempt_id,
         score_given = excluded.score_given,
         score_maximum = excluded.score_maximum,
         activity_progress = excluded.activity_progress,
         scored_at = max(excluded.scored_at, scored_at + 1),
         status = 'pending', tries = 0, next_try_at = excluded.next_try_at, last_error = NULL,
         updated_at = excluded.updated_at
       WHERE excluded.score_given > score_given OR excluded.score_maximum <> score_maximum
       RETURNING *`,
    );
    this.#byId = sqlite.prepare('SELECT * FROM lti_scores WHERE id = ?');
    this.#due = sqlite.prepare(`SELECT * FROM lti_scores WHERE status = 'pending' AND next_try_at <= ? ORDER BY next_try_at, id LIMIT ?`);
    this.#sent = sqlite.prepare(`UPDATE lti_scores SET status = 'sent', sent_at = @now, last_error = NULL, tries = tries + 1, updated_at = @now WHERE id = @id AND scored_at = @scoredAt`);
    this.#retry = sqlite.prepare(`UPDATE lti_scores SET tries = tries + 1, next_try_at = @nextTryAt, last_error = @error, updated_at = @now WHERE id = @id AND status = 'pending'`);
    this.#failed = sqlite.prepare(`UPDATE lti_scores SET status = 'failed', tries = tries + 1, last_error = @error, updated_at = @now WHERE id = @id AND status = 'pending'`);
    // Resend moves the timestamp on too: the LMS must see it as newer than what it has.
    this.#resend = sqlite.prepare(
      `UPDATE lti_scores SET status = 'pending', tries = 0, next_try_at = @now, scored_at = max(@now, scored_at + 1), updated_at = @now
       WHERE id = @id RETURNING *`,
    );
    this.#forUser = sqlite.prepare('SELECT * FROM lti_scores WHERE user_id = ? ORDER BY id');
    this.#all = sqlite.prepare('SELECT * FROM lti_scores ORDER BY id LIMIT 1000');
    // A learner's best verdict on an exercise; an `error` attempt is no verdict at all.
    this.#best = sqlite.prepare(
      `SELECT id, score, max_score FROM attempts
       WHERE user_id = ? AND exercise_id = ? AND status = 'finished' AND result IN ('passed', 'failed')
       ORDER BY score DESC, id LIMIT 1`,
    );
  }

  /** Queues the score unless the row already holds one as good; returns the row when it changed. */
  want(score: WantedScore): QueuedScore | undefined {
    const row = this.#upsert.get({ ...score, now: this.#now() });
    return row === undefined ? undefined : parseScore.parse(row);
  }

  select(scoreId: number): QueuedScore | undefined {
    const row = this.#byId.get(scoreId);
    return row === undefined ? undefined : parseScore.parse(row);
  }

  due(limit = 50): QueuedScore[] {
    return this.#due.all(this.#now(), limit).map((r) => parseScore.parse(r));
  }

  /** Marks sent, unless a better score replaced it meanwhile (then that one is still due). */
  markSent(score: QueuedScore): void {
    this.#sent.run({ id: score.id, scoredAt: score.scoredAt, now: this.#now() });
  }

  markRetry(scoreId: number, nextTryAt: number, error: string): void {
    this.#retry.run({ id: scoreId, nextTryAt, error, now: this.#now() });
  }

  markFailed(scoreId: number, error: string): void {
    this.#failed.run({ id: scoreId, error, now: this.#now() });
  }

  resend(scoreId: number): QueuedScore | undefined {
    const row = this.#resend.get({ id: scoreId, now: this.#now() });
    return row === undefined ? undefined : parseScore.parse(row);
  }

  forUser(userId: number): QueuedScore[] {
    return this.#forUser.all(userId).map((r) => parseScore.parse(r));
  }

  list(): QueuedScore[] {
    return this.#all.all().map((r) => parseScore.parse(r));
  }

  bestAttempt(userId: number, exerciseId: string): { attemptId: number; score: number; maxScore: number } | undefined {
    const row = this.#best.get(userId, exerciseId);
    if (row === undefined) return undefined;
    const best = BestRow.parse(row);
    return { attemptId: best.id, score: best.score, maxScore: best.max_score };
  }
}
