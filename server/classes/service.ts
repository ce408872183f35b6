// An instructor's classes: made, changed, and read through this one service, which also
// decides who may see what: an instructor sees their own classes, an admin every class,
// and a learner's work only through a class they are in. Everything that changes state
// is written to the audit log. Routes and pages both call it, so they cannot disagree.
import type { Catalog } from '../catalog/loader.ts';
import type { Class, ClassChanges, NewClass } from '../db/classes.ts';
import type { Db } from '../db/database.ts';
import type { EnvironmentService } from '../environments/service.ts';
import { EnvironmentNotFoundError } from '../environments/errors.ts';
import { HttpError } from '../http/errors.ts';
import { exerciseInsight } from './insight.ts';
import { buildMatrix } from './matrix.ts';
import type { Presence } from './presence.ts';

export interface Staff {
  readonly id: number;
  readonly role: 'learner' | 'instructor' | 'admin';
}

export class ClassNotFoundError extends HttpError {
  constructor() {
    super(404, 'class_not_found', 'no such class among yours');
  }
}

export type EnvironmentAction = 'extend' | 'reset' | 'delete';

export interface ClassServiceOptions {
  readonly db: Db;
  readonly catalog: Catalog;
  readonly environments: EnvironmentService;
  readonly presence: Presence;
  readonly now: () => number;
  readonly publicUrl: string;
}

export class ClassService {
  constructor(private readonly o: ClassServiceOptions) {}

  joinUrl(code: string): string {
    return `${this.o.publicUrl.replace(/\/$/, '')}/join/${code}`;
  }

  list(caller: Staff): Class[] {
    return caller.role === 'admin' ? this.o.db.classes.listAll() : this.o.db.classes.listForOwner(caller.id);
  }

  /** The class, if the caller owns it or is an admin; 404 otherwise (no oracle for ids). */
  get(caller: Staff, classId: number): Class {
    const found = this.o.db.classes.selectOptional(classId);
    if (!found || (caller.role !== 'admin' && found.ownerUserId !== caller.id)) throw new ClassNotFoundError();
    return found;
  }

  #checkExercises(ids: readonly string[] | undefined): void {
    const unknown = (ids ?? []).filter((id) => !this.o.catalog.byId(id));
    if (unknown.length > 0) throw new HttpError(400, 'unknown_exercise', `no such exercise: ${unknown.join(', ')}`, { field: 'exerciseIds', unknown });
  }

  create(caller: Staff, input: Omit<NewClass, 'ownerUserId' | 'exerciseIds'> & { exerciseIds?: readonly string[] }): { class: Class; joinUrl: string } {
    this.#checkExercises(input.exerciseIds);
    const exerciseIds = input.exerciseIds ?? this.o.catalog.exercises.map((e) => e.id);
    const made = this.o.db.transaction(() => {
      const created = this.o.db.classes.create({ ...input, exerciseIds, ownerUserId: caller.id });
      this.o.db.audit.record({ actorUserId: caller.id, action: 'class.create', target: `class:${created.class.id}`, details: { name: input.name } });
      return created;
    });
    return { class: made.class, joinUrl: this.joinUrl(made.joinCode) };
  }

  update(caller: Staff, classId: number, changes: ClassChanges): Class {
    this.get(caller, classId);
    this.#checkExercises(changes.exerciseIds);
    return this.o.db.transaction(() => {
      const updated = this.o.db.classes.update(classId, changes);
      this.o.db.audit.record({ actorUserId: caller.id, action: 'class.update', target: `class:${classId}`, details: { fields: Object.keys(changes) } });
      return updated;
    });
  }

  rotateJoinCode(caller: Staff, classId: number): { class: Class; joinUrl: string } {
    this.get(caller, classId);
    const rotated = this.o.db.transaction(() => {
      const r = this.o.db.classes.rotateJoinCode(classId);
      this.o.db.audit.record({ actorUserId: caller.id, action: 'class.join_code.rotate', target: `class:${classId}`, details: {} });
      return r;
    });
    return { class: rotated.class, joinUrl: this.joinUrl(rotated.joinCode) };
  }

  exercisesOf(klass: Class) {
    return klass.exerciseIds.flatMap((id) => {
      const e = this.o.catalog.byId(id);
      return e ? [{ id: e.id, title: e.title, maxScore: e.checks.reduce((sum, c) => sum + c.points, 0) }] : [];
    });
  }

  matrix(caller: Staff, classId: number) {
    const klass = this.get(caller, classId);
    const members = this.o.db.classes.members(classId);
    const memberIds = new Set(members.map((m) => m.userId));
    const exercises = this.exercisesOf(klass);
    const rows = buildMatrix({
      exercises,
      members,
      attempts: this.o.db.classResults.attempts(classId),
      failedChecks: this.o.db.classResults.failedChecks(classId),
      environments: this.o.db.environments.listLive().filter((e) => memberIds.has(e.userId)),
      isPresent: (userId) => this.o.presence.isPresent(userId),
      now: this.o.now(),
    });
    return { class: klass, exercises, rows };
  }

  #exerciseInClass(klass: Class, exerciseId: string) {
    const exercise = klass.exerciseIds.includes(exerciseId) ? this.o.catalog.byId(exerciseId) : undefined;
    if (!exercise) throw new HttpError(404, 'exercise_not_found', `exercise "${exerciseId}" is not part of this class`);
    return exercise;
  }

  insight(caller: Staff, classId: number, exerciseId: string) {
    const klass = this.get(caller, classId);
    const exercise = this.#exerciseInClass(klass, exerciseId);
    const checks = exerciseInsight({
      checks: exercise.checks,
      attempts: this.o.db.classResults.attempts(classId).filter((a) => a.exerciseId === exerciseId),
      failedChecks: this.o.db.classResults.failedChecks(classId, exerciseId),
    });
    return { class: klass, exercise: { id: exercise.id, title: exercise.title }, learners: this.o.db.classes.members(classId).length, checks };
  }

  #member(classId: number, userId: number) {
    const member = this.o.db.classes.members(classId).find((m) => m.userId === userId);
    if (!member) throw new HttpError(404, 'learner_not_found', 'no such learner in this class');
    return member;
  }

  learnerAttempts(caller: Staff, classId: number, userId: number) {
    const klass = this.get(caller, classId);
    const learner = this.#member(classId, userId);
    const attempts = this.o.db.classResults.attempts(classId).filter((a) => a.userId === userId).reverse();
    return { class: klass, learner, attempts };
  }

  /** A member's attempt at one of the class's exercises, with every check result. */
  attempt(caller: Staff, classId: number, attemptId: number) {
    const klass = this.get(caller, classId);
    const attempt = this.o.db.attempts.selectOptional(attemptId);
    if (!attempt || !klass.exerciseIds.includes(attempt.exerciseId) || !this.o.db.classes.isMember(classId, attempt.userId)) {
      throw new HttpError(404, 'attempt_not_found', 'no such attempt in this class');
    }
    return { class: klass, learner: this.#member(classId, attempt.userId), attempt, results: this.o.db.checkResults.listForAttempt(attemptId) };
  }

  /** Extend, reset or delete one learner's environment for an exercise of the class. */
  async environmentAction(caller: Staff, classId: number, userId: number, exerciseId: string, action: EnvironmentAction) {
    const klass = this.get(caller, classId);
    this.#exerciseInClass(klass, exerciseId);
    this.#member(classId, userId);
    const env = action === 'extend' ? (await this.o.environments.extend(userId, exerciseId)).environment
      : action === 'reset' ? await this.o.environments.reset(userId, exerciseId)
      : await this.o.environments.remove(userId, exerciseId);
    this.o.db.audit.record({ actorUserId: caller.id, action: `environment.${action}`, target: `environment:${env.id}`, details: { classId, userId, exerciseId, by: caller.role } });
    return env;
  }

  /** The same action for every member who has an environment for the exercise; one learner's failure does not stop the rest. */
  async bulkEnvironmentAction(caller: Staff, classId: number, exerciseId: string, action: EnvironmentAction) {
    const klass = this.get(caller, classId);
    this.#exerciseInClass(klass, exerciseId);
    const results: { userId: number; displayName: string; outcome: 'done' | 'no environment' | 'failed'; message?: string }[] = [];
    for (const member of this.o.db.classes.members(classId)) {
      try {
        await this.environmentAction(caller, classId, member.userId, exerciseId, action);
        results.push({ userId: member.userId, displayName: member.displayName, outcome: 'done' });
      } catch (error) {
        if (error instanceof EnvironmentNotFoundError) results.push({ userId: member.userId, displayName: member.displayName, outcome: 'no environment' });
        else results.push({ userId: member.userId, displayName: member.displayName, outcome: 'failed', message: error instanceof Error ? error.message : String(error) });
      }
    }
    return results;
  }
}
