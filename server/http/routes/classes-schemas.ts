// Request and response schemas of the instructor routes (classes, the matrix, insight,
// a learner's attempts, environments, exports): validation, serialization and the
// OpenAPI document from one source.
import { z } from 'zod';
import { NextCursor } from '../pagination/cursor.ts';
import { exerciseId } from '../../catalog/schema.ts';
import type { Class, ClassMember } from '../../db/classes.ts';
import type { MatrixRow } from '../../classes/matrix.ts';

const positiveId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const ClassParams = z.strictObject({ classId: positiveId });
export const ClassExerciseParams = z.strictObject({ classId: positiveId, exerciseId });
export const ClassLearnerParams = z.strictObject({ classId: positiveId, userId: positiveId });
export const ClassAttemptParams = z.strictObject({ classId: positiveId, attemptId: positiveId });
export const EnvironmentActionParams = z.strictObject({
  classId: positiveId,
  userId: positiveId,
  exerciseId,
  action: z.enum(['extend', 'reset', 'delete']),
});
export const BulkActionParams = z.strictObject({ classId: positiveId, exerciseId, action: z.enum(['extend', 'reset', 'delete']) });

/** Minutes on the wire (what people type); milliseconds inside. Between 10 minutes and a week. */
const ttlMinutes = z.number().int().min(10).max(7 * 24 * 60);

export const CreateClassBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  /** Default: every exercise in the catalog, in teaching order. */
  exerciseIds: z.array(exerciseId).min(1).max(50).optional(),
  dueAt: z.iso.datetime({ offset: true }).nullable().optional(),
  environmentTtlMinutes: ttlMinutes.nullable().optional(),
});

export const UpdateClassBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    exerciseIds: z.array(exerciseId).min(1).max(50).optional(),
    dueAt: z.iso.datetime({ offset: true }).nullable().optional(),
    environmentTtlMinutes: ttlMinutes.nullable().optional(),
    joinOpen: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'say what to change: name, exerciseIds, dueAt, environmentTtlMinutes or joinOpen' });

export const ExportQuery = z.strictObject({
  format: z.enum(['csv', 'json']).default('csv'),
  /** wide: a row per learner, a column per exercise; long: a row per learner × attempt × check. */
  shape: z.enum(['wide', 'long']).default('wide'),
});

export const ClassView = z
  .object({
    id: z.number().int(),
    name: z.string(),
    exerciseIds: z.array(z.string()),
    dueAt: z.iso.datetime().nullable(),
    environmentTtlMinutes: z.number().nullable(),
    joinOpen: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Class' });

export function classView(c: Class): z.infer<typeof ClassView> {
  return {
    id: c.id,
    name: c.name,
    exerciseIds: [...c.exerciseIds],
    dueAt: iso(c.dueAt),
    environmentTtlMinutes: c.environmentTtlMs === null ? null : Math.round(c.environmentTtlMs / 60_000),
    joinOpen: c.joinOpen,
    createdAt: new Date(c.createdAt).toISOString(),
  };
}

export const MemberView = z.object({ userId: z.number().int(), displayName: z.string(), joinedAt: z.iso.datetime() });
export const memberView = (m: ClassMember) => ({ userId: m.userId, displayName: m.displayName, joinedAt: new Date(m.joinedAt).toISOString() });

export const ClassListResponse = z.object({ classes: z.array(ClassView), nextCursor: NextCursor });
export const ClassResponse = z.object({ class: ClassView, learners: z.array(MemberView) });
/** The join link is shown when it is made (create, rotate) and never stored in the clear. */
export const JoinLinkResponse = z.object({ class: ClassView, joinUrl: z.string() });

const CellView = z.object({
  exerciseId: z.string(),
  status: z.enum(['passed', 'failed', 'error-only', 'not started']),
  bestScore: z.number().nullable(),
  maxScore: z.number(),
  attempts: z.number().int(),
  lastActivityAt: z.iso.datetime().nullable(),
  latestAttemptId: z.number().int().nullable(),
  stuckOn: z.string().nullable().describe('The check failed in each of the last 3 graded attempts, if any'),
  environment: z.object({ status: z.string(), expiresAt: z.iso.datetime() }).nullable(),
});

export const MatrixRowView = z.object({
  userId: z.number().int(),
  displayName: z.string(),
  activeNow: z.boolean().describe('A lab page open, or activity in the last 10 minutes'),
  lastActivityAt: z.iso.datetime().nullable(),
  totalScore: z.number(),
  passed: z.number().int(),
  cells: z.array(CellView),
});

export const MatrixResponse = z
  .object({
    class: ClassView,
    exercises: z.array(z.object({ id: z.string(), title: z.string(), maxScore: z.number() })),
    rows: z.array(MatrixRowView),
  })
  .meta({ id: 'ClassMatrix' });
export type MatrixResponse = z.infer<typeof MatrixResponse>;

export function matrixRowView(r: MatrixRow): z.infer<typeof MatrixRowView> {
  return {
    userId: r.userId,
    displayName: r.displayName,
    activeNow: r.activeNow,
    lastActivityAt: iso(r.lastActivityAt),
    totalScore: r.totalScore,
    passed: r.passed,
    cells: r.cells.map((c) => ({
      ...c,
      lastActivityAt: iso(c.lastActivityAt),
      environment: c.environment && { status: c.environment.status, expiresAt: new Date(c.environment.expiresAt).toISOString() },
    })),
  };
}

export const InsightResponse = z.object({
  exercise: z.object({ id: z.string(), title: z.string() }),
  learners: z.number().int(),
  checks: z.array(
    z.object({
      checkId: z.string(),
      title: z.string(),
      learnersFailed: z.number().int(),
      failingNow: z.number().int(),
      messages: z.array(z.object({ message: z.string(), learners: z.number().int() })),
    }),
  ),
});

export const BulkActionResponse = z.object({
  results: z.array(
    z.object({
      userId: z.number().int(),
      displayName: z.string(),
      outcome: z.enum(['done', 'no environment', 'failed']),
      message: z.string().optional(),
    }),
  ),
});

export const ExportJson = z.object({ header: z.array(z.string()), rows: z.array(z.array(z.union([z.string(), z.number(), z.null()]))) });
