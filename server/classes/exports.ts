// A class's results for the gradebook. Wide: one row per learner, one column per
// exercise (best graded score), then the total. Long: one row per learner × attempt ×
// check, for anyone who wants to analyse the attempts themselves.
import type { Catalog } from '../catalog/loader.ts';
import type { Db } from '../db/database.ts';
import type { CsvValue } from './csv.ts';
import type { MatrixRow } from './matrix.ts';

export interface Table {
  readonly header: readonly string[];
  readonly rows: readonly (readonly CsvValue[])[];
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function wideTable(exercises: readonly { id: string; maxScore: number }[], rows: readonly MatrixRow[]): Table {
  const max = exercises.reduce((sum, e) => sum + e.maxScore, 0);
  return {
    header: ['learner_id', 'learner', ...exercises.map((e) => `${e.id} (of ${e.maxScore})`), `total (of ${max})`, 'exercises_passed', 'last_activity'],
    rows: rows.map((r) => [r.userId, r.displayName, ...r.cells.map((c) => c.bestScore), r.totalScore, r.passed, iso(r.lastActivityAt)]),
  };
}

export function longTable(db: Db, catalog: Catalog, classId: number): Table {
  const names = new Map(db.classes.members(classId).map((m) => [m.userId, m.displayName]));
  const attempts = new Map(db.classResults.attempts(classId).map((a) => [a.id, a]));
  const title = (exerciseId: string, checkId: string) => catalog.byId(exerciseId)?.checks.find((c) => c.id === checkId)?.title ?? checkId;
  return {
    header: ['learner_id', 'learner', 'exercise', 'attempt_id', 'attempt_at', 'attempt_result', 'attempt_score', 'check_id', 'check', 'status', 'points', 'max_points', 'message'],
    rows: db.classResults.checkResults(classId).map((r) => {
      const a = attempts.get(r.attemptId);
      return [r.userId, names.get(r.userId) ?? '', r.exerciseId, r.attemptId, iso(r.attemptCreatedAt), a?.result ?? a?.status ?? null, a?.score ?? null, r.checkId, title(r.exerciseId, r.checkId), r.status, r.points, r.maxPoints, r.message];
    }),
  };
}
