// Query parameters, parsed with zod into typed options once per request; anything
// malformed is a 400 BadRequest, never a crash.
// Source: k8s.io/apimachinery/pkg/apis/meta/v1/types.go (ListOptions, CreateOptions, ...)

import { z } from 'zod';
import { badRequest } from '../core/errors.ts';

/** strconv.ParseBool, which the parameter codec uses for booleans. */
const bool = z.string().transform((s, ctx) => {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False', ''].includes(s)) return false;
  ctx.addIssue({ code: 'custom', message: `strconv.ParseBool: parsing "${s}": invalid syntax` });
  return z.NEVER;
});
const int = z.string().regex(/^-?\d+$/, 'must be an integer').transform(Number);
const nonNegative = int.refine((n) => n >= 0, 'must be non-negative');
const dryRun = z.string().transform((s, ctx) => {
  if (s === '') return false;
  if (s === 'All') return true;
  ctx.addIssue({ code: 'custom', message: `Unsupported value: "${s}": supported values: "All"` });
  return z.NEVER;
});
const fieldValidation = z.enum(['Ignore', 'Warn', 'Strict']);

export const listQuery = z.object({
  labelSelector: z.string().optional(),
  fieldSelector: z.string().optional(),
  watch: bool.optional(),
  resourceVersion: z.string().regex(/^\d*$/, 'must be a resource version').optional(),
  resourceVersionMatch: z.enum(['', 'NotOlderThan', 'Exact']).optional(),
  timeoutSeconds: nonNegative.optional(),
  limit: nonNegative.optional(),
  continue: z.string().optional(),
  allowWatchBookmarks: bool.optional(),
  sendInitialEvents: bool.optional(),
  includeObject: z.enum(['None', 'Metadata', 'Object']).optional(),
});
export type ListQuery = z.infer<typeof listQuery>;

export const writeQuery = z.object({
  dryRun: dryRun.optional(),
  fieldManager: z.string().max(128).optional(),
  fieldValidation: fieldValidation.optional(),
  force: bool.optional(),
});
export type WriteQuery = z.infer<typeof writeQuery>;

export const deleteQuery = z.object({
  dryRun: dryRun.optional(),
  gracePeriodSeconds: int.optional(),
  propagationPolicy: z.enum(['Orphan', 'Background', 'Foreground']).optional(),
  orphanDependents: bool.optional(),
});
export type DeleteQuery = z.infer<typeof deleteQuery>;

export const logQuery = z.object({
  container: z.string().optional(),
  follow: bool.optional(),
  previous: bool.optional(),
  timestamps: bool.optional(),
  tailLines: nonNegative.optional(),
  sinceSeconds: nonNegative.optional(),
  limitBytes: nonNegative.optional(),
});

export const execQuery = z.object({
  container: z.string().optional(),
  stdin: bool.optional(),
  stdout: bool.optional(),
  stderr: bool.optional(),
  tty: bool.optional(),
});

/** First value of each parameter (repeated ones like ?command= are read separately). */
export function firstValues(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of params) if (!(k in out)) out[k] = v;
  return out;
}

export function parseQuery<T extends z.ZodType>(schema: T, params: URLSearchParams): z.infer<T> {
  const result = schema.safeParse(firstValues(params));
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.join('.') ?? '';
    throw badRequest(`invalid query parameter ${where}: ${issue?.message ?? 'malformed'}`);
  }
  return result.data;
}
