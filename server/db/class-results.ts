// What a class has done, read across tables for the instructor's views: every attempt
// of its members at its exercises, the failed checks of those attempts, and their
// check results in full for exports. Rows are parsed like every other table's.
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { AttemptRow } from './attempts.ts';
import { CheckResultRow } from './checkResults.ts';
import { id, timestamp } from './columns.ts';

const ClassAttemptRow = AttemptRow.transform((r) => ({
  id: r.id,
  userId: r.user_id,
  exerciseId: r.exercise_id,
  status: r.status,
  result: r.result,
  score: r.score,
  maxScore: r.max_score,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
}));
export type ClassAttempt = z.output<typeof ClassAttemptRow>;

const FailedCheckRow = z.object({ attempt_id: id, user_id: id, check_id: z.string(), message: z.string() });
export type FailedCheck = { attemptId: number; userId: number; checkId: string; message: string };

const ResultRow = CheckResultRow.extend({ user_id: id, exercise_id: z.string(), created_at: timestamp });

/** The members' attempts at the class's exercises. */
const IN_CLASS = `
  FROM attempts a
  JOIN class_members m ON m.user_id = a.user_id AND m.class_id = @classId
  WHERE a.exercise_id IN (SELECT value FROM json_each((SELECT exercise_ids FROM classes WHERE id = @classId)))`;

export class ClassResultsRepo {
  readonly #attempts: Database.Statement;
  readonly #fails: Database.Statement;
  readonly #allFails: Database.Statement;
  readonly #results: Database.Statement;

  constructor(sqlite: Database.Database) {
    this.#attempts = sqlite.prepare(`SELECT a.* ${IN_CLASS} ORDER BY a.id`);
    this.#fails = sqlite.prepare(
      `SELECT r.attempt_id, a.user_id, r.check_id, r.message FROM check_results r JOIN attempts a ON a.id = r.attempt_id
       WHERE r.status = 'fail' AND r.attempt_id IN (SELECT a.id ${IN_CLASS} AND a.exercise_id = @exerciseId)`,
    );
    this.#allFails = sqlite.prepare(
      `SELECT r.attempt_id, a.user_id, r.check_id, r.message FROM check_results r JOIN attempts a ON a.id = r.attempt_id
       WHERE r.status = 'fail' AND r.attempt_id IN (SELECT a.id ${IN_CLASS})`,
    );
    this.#results = sqlite.prepare(
      `SELECT r.*, a.user_id, a.exercise_id, a.created_at FROM check_results r JOIN attempts a ON a.id = r.attempt_id
       WHERE r.attempt_id IN (SELECT a.id ${IN_CLASS}) ORDER BY a.user_id, a.id, r.finished_at, r.check_id`,
    );
  }

  /** Oldest first. */
  attempts(classId: number): ClassAttempt[] {
    return this.#attempts.all({ classId }).map((row) => ClassAttemptRow.parse(row));
  }

  /** Every failed check of the members' attempts, at one exercise or all of the class's. */
  failedChecks(classId: number, exerciseId?: string): FailedCheck[] {
    const rows = exerciseId === undefined ? this.#allFails.all({ classId }) : this.#fails.all({ classId, exerciseId });
    return rows.map((row) => {
      const r = FailedCheckRow.parse(row);
      return { attemptId: r.attempt_id, userId: r.user_id, checkId: r.check_id, message: r.message };
    });
  }

  /** Every check result of every attempt in the class (the long export). */
  checkResults(classId: number) {
    return this.#results.all({ classId }).map((row) => {
      const r = ResultRow.parse(row);
      return { attemptId: r.attempt_id, userId: r.user_id, exerciseId: r.exercise_id, attemptCreatedAt: r.created_at, checkId: r.check_id, status: r.status, points: r.points, maxPoints: r.max_points, message: r.message };
    });
  }
}
