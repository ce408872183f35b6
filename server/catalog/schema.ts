// The shape of the files an exercise author writes. Everything is strict: an
// unknown key is almost always a typo, and a typo must not pass silently.
import { z } from 'zod';
import { objectName } from '../../graders/params.ts';
import { checkId, checkSchema, text } from '../../graders/schema.ts';

export { checkSchema, type Check } from '../../graders/schema.ts';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const exerciseId = z
  .string()
  .max(63)
  .regex(DNS1123_LABEL, 'must be a lowercase RFC 1123 label (letters, digits, "-")');

export const exerciseFileSchema = z.strictObject({
  id: exerciseId,
  title: text,
  summary: text,
  order: z.int().min(1),
  minutes: z.int().min(1),
  // Images the exercise pulls; kind clusters preload them.
  images: z.array(text).min(1),
  checks: z.array(checkSchema).min(1),
});
export type ExerciseFile = z.output<typeof exerciseFileSchema>;

export const mistakeFileSchema = z.strictObject({
  description: text,
  fails: z
    .array(
      z.strictObject({
        check: checkId,
        // A word the check's fail message must contain.
        contains: text,
        // The cause the check must diagnose (graders/causes.ts), which picks its hint.
        cause: text.optional(),
      }),
    )
    .min(1, 'a mistake must name at least one check that fails'),
});
export type MistakeFile = z.output<typeof mistakeFileSchema>;

// variants/<name>/variant.md front matter: a correct solution in another form a
// learner really writes; the graders' suite proves it passes with full score.
export const variantFileSchema = z.strictObject({
  description: text,
});
export type VariantFile = z.output<typeof variantFileSchema>;

// Only what every applied object needs; the API server validates the rest.
export const manifestObjectSchema = z.looseObject({
  apiVersion: text,
  kind: text,
  metadata: z.looseObject({
    name: objectName,
    namespace: z
      .undefined({ error: "must not be set: each learner works in their own namespace" })
      .optional(),
  }),
});
