// The shape of one check in an exercise file: the graders define what a check is (its
// type, params and points); the catalog (server/catalog) reads the files that hold them.
import { z } from 'zod';
import { CHECK_CAUSES } from './causes.ts';
import { CHECK_PARAMS, type CheckType } from './params.ts';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const checkId = z
  .string()
  .max(63)
  .regex(DNS1123_LABEL, 'must be a lowercase RFC 1123 label (letters, digits, "-")');
export const text = z.string().trim().min(1, 'must not be empty');

function checkOf<K extends CheckType>(type: K) {
  return z.strictObject({
    id: checkId,
    title: text,
    type: z.literal(type),
    params: CHECK_PARAMS[type],
    points: z.int().min(0),
    // Checks this one is meaningless without; if any of them does not pass, this one is skipped.
    needs: z.array(checkId).default([]),
    // Shown to the learner when the check fails (the default when `hints` has none for the cause).
    hint: text,
    // Hints by diagnosed cause: shown instead of `hint` when the fail names that cause.
    hints: z
      .record(z.string(), text)
      .superRefine((hints, ctx) => {
        const known: readonly string[] = CHECK_CAUSES[type];
        for (const key of Object.keys(hints)) {
          if (!known.includes(key)) {
            ctx.addIssue({
              code: 'custom',
              path: [key],
              message: known.length === 0 ? `a ${type} check reports no causes, so it takes no per-cause hints` : `${type} checks report no cause "${key}"; they report ${known.join(', ')}`,
            });
          }
        }
      })
      .optional(),
  });
}

// Listed one by one so that the inferred Check type is a proper discriminated
// union; catalog.test.ts asserts this list covers every key of CHECK_PARAMS.
export const checkSchema = z.discriminatedUnion('type', [
  checkOf('resource'),
  checkOf('service'),
  checkOf('selector'),
  checkOf('workload-ready'),
  checkOf('endpoints'),
  checkOf('dns'),
  checkOf('http'),
  checkOf('tcp'),
  checkOf('affinity'),
  checkOf('local-traffic'),
  checkOf('readiness-probe'),
  checkOf('script'),
]);
export type Check = z.output<typeof checkSchema>;
