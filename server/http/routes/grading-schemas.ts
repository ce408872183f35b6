// Attempts and check results as the API shows them; one schema for the JSON
// responses and the SSE event payloads.
import { z } from 'zod';
import { NextCursor } from '../pagination/cursor.ts';
import type { Catalog } from '../../catalog/loader.ts';
import type { Attempt } from '../../db/attempts.ts';
import type { CheckResult } from '../../db/checkResults.ts';

export const AttemptParams = z.strictObject({ attemptId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const CheckResultView = z
  .object({
    checkId: z.string(),
    title: z.string(),
    status: z.enum(['pass', 'fail', 'error', 'skipped']),
    points: z.number(),
    maxPoints: z.number(),
    message: z.string(),
    hint: z.string().nullable(),
    cause: z
      .string()
      .nullable()
      .describe('On a fail: what the check diagnosed as the cause (e.g. no-endpoints, wrong-target-port), which chose the hint; null when it names none, and for results graded before causes were kept'),
    evidence: z.json(),
    finishedAt: z.iso.datetime(),
  })
  .describe('One check of an attempt');
export type CheckResultView = z.infer<typeof CheckResultView>;

export const AttemptView = z
  .object({
    id: z.number().int(),
    exerciseId: z.string(),
    status: z.enum(['queued', 'running', 'finished', 'interrupted']).describe('interrupted: the server stopped mid-grade; start a new attempt'),
    result: z.enum(['passed', 'failed', 'error']).nullable().describe('error: kubelab could not grade everything; not a grade, try again'),
    score: z.number().nullable(),
    maxScore: z.number(),
    createdAt: z.iso.datetime(),
    startedAt: z.iso.datetime().nullable(),
    finishedAt: z.iso.datetime().nullable(),
  })
  .describe('A graded (or grading) attempt');
export type AttemptView = z.infer<typeof AttemptView>;

export const AttemptResponse = z.object({ attempt: AttemptView, checks: z.array(CheckResultView) });
export const StartAttemptResponse = AttemptResponse.extend({
  started: z.boolean().describe('true: this request started the attempt (202); false: the attempt already running for this exercise is returned (200)'),
});
export const AttemptListResponse = z.object({ attempts: z.array(AttemptView), nextCursor: NextCursor });

export function attemptView(a: Attempt): AttemptView {
  return {
    id: a.id,
    exerciseId: a.exerciseId,
    status: a.status,
    result: a.result,
    score: a.score,
    maxScore: a.maxScore,
    createdAt: new Date(a.createdAt).toISOString(),
    startedAt: iso(a.startedAt),
    finishedAt: iso(a.finishedAt),
  };
}

export function checkResultView(catalog: Catalog, exerciseId: string, r: CheckResult): CheckResultView {
  const title = catalog.byId(exerciseId)?.checks.find((c) => c.id === r.checkId)?.title ?? r.checkId;
  return {
    checkId: r.checkId,
    title,
    status: r.status,
    points: r.points,
    maxPoints: r.maxPoints,
    message: r.message,
    hint: r.hint,
    cause: r.cause,
    evidence: r.evidence,
    finishedAt: new Date(r.finishedAt).toISOString(),
  };
}
