// zod pieces shared by the row schemas: they describe what SQLite hands back, so a
// row that does not match (a hand-edited database, a migration mistake) fails loudly.
import { z } from 'zod';

export const id = z.number().int().positive();
/** Epoch milliseconds, UTC. */
export const timestamp = z.number().int().nonnegative();

/** A TEXT column holding JSON; parsed into `schema` on the way out (a classic or a zod/mini schema). */
export function jsonText<T extends z.core.$ZodType>(schema: T) {
  return z.string().transform((text, ctx): z.output<T> => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` });
      return z.NEVER;
    }
    const parsed = z.safeParse(schema, value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
      return z.NEVER;
    }
    return parsed.data;
  });
}

/** Any JSON value (evidence, audit details): the graders' type, stored here. */
export { JsonValue } from '../../graders/json.ts';
