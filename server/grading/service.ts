// Attempts: queued → running → finished, in SQLite. Each check result is recorded
// BEFORE anyone hears of it; the attempt's verdict is recorded before its final event.
// One running attempt per learner (a second request gets the running one back), and
// a global limit on grades in flight. Attempts a dead process left queued or running
// are marked interrupted at start-up (server/cli/startup.ts); starting again makes a
// new attempt.
import type { Catalog, Exercise } from '../catalog/loader.ts';
import type { Attempt, Verdict } from '../db/attempts.ts';
import type { CheckResult } from '../db/checkResults.ts';
import type { Db } from '../db/database.ts';
import type { Environment } from '../db/environments.ts';
import type { CheckOutcome, GradeOutcome } from '../../graders/engine.ts';
import { AttemptEvents, type AttemptEvent } from './events.ts';
import { ConcurrencyQueue } from './queue.ts';

/** What grading needs from the engine: grade a namespace, report each check as it ends. */
export interface Grader {
  grade(request: { exercise: Exercise; namespace: string; onCheck: (outcome: CheckOutcome) => Promise<void> }): Promise<GradeOutcome>;
}

/** The learner's ready environment for an exercise; throws the environment service's named errors. */
export type ReadyEnvironment = (userId: number, exerciseId: string) => Environment;

export interface GradingServiceOptions {
  db: Db;
  catalog: Catalog;
  grader: Grader;
  environment: ReadyEnvironment;
  concurrency: number;
  /** Where a grade that blew up is reported (the attempt itself ends as `error`). */
  onFailure?: (attemptId: number, error: unknown) => void;
  /**
   * Runs inside the transaction that stores the verdict (the webhooks outbox writes
   * there), so what it records exists exactly when the verdict does.
   */
  onFinished?: (attempt: Attempt) => void;
}

export class UnknownExerciseError extends Error {
  override readonly name = 'UnknownExerciseError';
  constructor(readonly exerciseId: string) {
    super(`no exercise with id "${exerciseId}"`);
  }
}

export interface AttemptView {
  attempt: Attempt;
  results: CheckResult[];
}

export class GradingService {
  readonly #o: GradingServiceOptions;
  readonly #queue: ConcurrencyQueue;
  readonly events = new AttemptEvents();
  /**
   * "userId/exerciseId" → the attempt in flight. Keyed by exercise too: a learner may
   * grade two exercises at once, and a second click on the same one gets the running attempt.
   */
  readonly #inFlight = new Map<string, { attemptId: number; done: Promise<void> }>();

  constructor(options: GradingServiceOptions) {
    this.#o = options;
    this.#queue = new ConcurrencyQueue(options.concurrency);
  }

  #exercise(id: string): Exercise {
    const exercise = this.#o.catalog.byId(id);
    if (!exercise) throw new UnknownExerciseError(id);
    return exercise;
  }

  /** Queue a grade of the learner's environment; returns this exercise's attempt already in flight if there is one. */
  start(userId: number, exerciseId: string): { attempt: Attempt; existing: boolean } {
    const exercise = this.#exercise(exerciseId);
    const key = `${userId}/${exercise.id}`;
    const current = this.#inFlight.get(key);
    if (current) return { attempt: this.#o.db.attempts.select(current.attemptId), existing: true };
    const environment = this.#o.environment(userId, exerciseId);
    const maxScore = exercise.checks.reduce((sum, c) => sum + c.points, 0);
    const attempt = this.#o.db.attempts.create({ userId, environmentId: environment.id, exerciseId, maxScore });
    const done = this.#queue
      .run(() => this.#run(attempt.id, exercise, environment.namespace))
      .catch((error: unknown) => this.#o.onFailure?.(attempt.id, error))
      .finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, { attemptId: attempt.id, done });
    return { attempt, existing: false };
  }

  async #run(attemptId: number, exercise: Exercise, namespace: string): Promise<void> {
    const { db } = this.#o;
    this.#publish(attemptId, { type: 'attempt', attempt: db.attempts.markRunning(attemptId) });
    let finished: Attempt;
    try {
      const outcome = await this.#o.grader.grade({
        exercise,
        namespace,
        onCheck: async (check) => {
          const result = db.checkResults.record({
            attemptId,
            checkId: check.id,
            status: check.status,
            points: check.points,
            maxPoints: check.maxPoints,
            message: check.message,
            hint: check.hint,
            cause: check.cause,
            evidence: check.evidence,
          });
          this.#publish(attemptId, { type: 'check', result });
        },
      });
      finished = this.#finish(attemptId, { result: outcome.status, score: outcome.score });
    } catch (error) {
      // The engine turns every check failure into a value; reaching here means the
      // grader itself broke (e.g. the database). Close the attempt as an error.
      this.#o.onFailure?.(attemptId, error);
      const score = db.checkResults.listForAttempt(attemptId).reduce((sum, r) => sum + r.points, 0);
      finished = this.#finish(attemptId, { result: 'error', score });
    }
    this.#publish(attemptId, { type: 'attempt', attempt: finished });
  }

  #finish(attemptId: number, verdict: Verdict): Attempt {
    const { db } = this.#o;
    return db.transaction(() => {
      const finished = db.attempts.finish(attemptId, verdict);
      this.#o.onFinished?.(finished);
      return finished;
    });
  }

  #publish(attemptId: number, event: AttemptEvent): void {
    this.events.publish(attemptId, event);
  }

  /** The learner's own attempt, or undefined (also for other learners' attempts: no oracle). */
  view(userId: number, attemptId: number): AttemptView | undefined {
    const attempt = this.#o.db.attempts.selectOptional(attemptId);
    if (!attempt || attempt.userId !== userId) return undefined;
    return { attempt, results: this.#o.db.checkResults.listForAttempt(attemptId) };
  }

  history(userId: number, exerciseId: string, limit = 50): Attempt[] {
    this.#exercise(exerciseId);
    return this.#o.db.attempts.listForUser(userId, { exerciseId, limit });
  }

  /** Resolves when every grade in flight has finished (shutdown, tests). */
  async drain(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight.values()].map((f) => f.done.catch(() => undefined)));
  }
}
