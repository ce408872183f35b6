// The dashboard's grid: one row per learner, one cell per exercise, from the class's
// attempts. A cell's status is the learner's best standing: passed beats failed beats
// error-only (kubelab could not grade: never the learner's fault) beats not started.
import type { ClassAttempt, FailedCheck } from '../db/class-results.ts';
import type { ClassMember } from '../db/classes.ts';
import type { Environment } from '../db/environments.ts';

export type CellStatus = 'passed' | 'failed' | 'error-only' | 'not started';

export interface MatrixCell {
  readonly exerciseId: string;
  readonly status: CellStatus;
  readonly bestScore: number | null;
  readonly maxScore: number;
  readonly attempts: number;
  readonly lastActivityAt: number | null;
  readonly latestAttemptId: number | null;
  /** The check failed in each of the last STUCK_AFTER graded attempts in a row, if any. */
  readonly stuckOn: string | null;
  readonly environment: { status: Environment['status']; expiresAt: number } | null;
}

export interface MatrixRow {
  readonly userId: number;
  readonly displayName: string;
  readonly joinedAt: number;
  readonly activeNow: boolean;
  readonly lastActivityAt: number | null;
  readonly totalScore: number;
  readonly passed: number;
  readonly cells: readonly MatrixCell[];
}

export const STUCK_AFTER = 3;
export const ACTIVE_WINDOW_MS = 10 * 60_000;

export interface MatrixInput {
  readonly exercises: readonly { id: string; maxScore: number }[];
  readonly members: readonly ClassMember[];
  readonly attempts: readonly ClassAttempt[];
  readonly failedChecks: readonly FailedCheck[];
  readonly environments: readonly Environment[];
  readonly isPresent: (userId: number) => boolean;
  readonly now: number;
}

function stuckCheck(graded: readonly ClassAttempt[], failsByAttempt: ReadonlyMap<number, ReadonlySet<string>>): string | null {
  const recent = graded.slice(-STUCK_AFTER);
  if (recent.length < STUCK_AFTER || recent.some((a) => a.result !== 'failed')) return null;
  const [first, ...rest] = recent.map((a) => failsByAttempt.get(a.id) ?? new Set<string>());
  for (const check of first ?? []) if (rest.every((set) => set.has(check))) return check;
  return null;
}

function cellOf(exercise: { id: string; maxScore: number }, attempts: readonly ClassAttempt[], failsByAttempt: ReadonlyMap<number, ReadonlySet<string>>, env: Environment | undefined): MatrixCell {
  const graded = attempts.filter((a) => a.status === 'finished' && (a.result === 'passed' || a.result === 'failed'));
  const status: CellStatus = graded.some((a) => a.result === 'passed') ? 'passed' : graded.length > 0 ? 'failed' : attempts.length > 0 ? 'error-only' : 'not started';
  const last = attempts.at(-1);
  return {
    exerciseId: exercise.id,
    status,
    bestScore: graded.length > 0 ? Math.max(...graded.map((a) => a.score ?? 0)) : null,
    maxScore: exercise.maxScore,
    attempts: attempts.length,
    lastActivityAt: last ? Math.max(last.createdAt, last.finishedAt ?? 0) : null,
    latestAttemptId: last?.id ?? null,
    stuckOn: status === 'passed' ? null : stuckCheck(graded, failsByAttempt),
    environment: env ? { status: env.status, expiresAt: env.expiresAt } : null,
  };
}

export function buildMatrix(input: MatrixInput): MatrixRow[] {
  const failsByAttempt = new Map<number, Set<string>>();
  for (const f of input.failedChecks) {
    const set = failsByAttempt.get(f.attemptId) ?? new Set<string>();
    set.add(f.checkId);
    failsByAttempt.set(f.attemptId, set);
  }
  return input.members.map((member) => {
    const mine = input.attempts.filter((a) => a.userId === member.userId);
    const envs = input.environments.filter((e) => e.userId === member.userId && e.status !== 'deleted');
    const cells = input.exercises.map((exercise) =>
      cellOf(exercise, mine.filter((a) => a.exerciseId === exercise.id), failsByAttempt, envs.find((e) => e.exerciseId === exercise.id)),
    );
    const activity = [...cells.map((c) => c.lastActivityAt ?? 0), ...envs.map((e) => e.updatedAt)];
    const lastActivityAt = activity.length > 0 && Math.max(...activity) > 0 ? Math.max(...activity) : null;
    return {
      userId: member.userId,
      displayName: member.displayName,
      joinedAt: member.joinedAt,
      activeNow: input.isPresent(member.userId) || (lastActivityAt !== null && input.now - lastActivityAt < ACTIVE_WINDOW_MS),
      lastActivityAt,
      totalScore: cells.reduce((sum, c) => sum + (c.bestScore ?? 0), 0),
      passed: cells.filter((c) => c.status === 'passed').length,
      cells,
    };
  });
}
