import { z } from 'zod';

/** The one error shape every non-2xx answer uses. */
export const ErrorResponse = z.object({
  error: z.object({
    /** Stable, machine-readable: `invalid_request`, `not_found`, `internal_error`… */
    code: z.string(),
    /** For humans; may change between versions. */
    message: z.string(),
    /** Structured extras, e.g. the invalid fields; null when there are none. */
    details: z.unknown(),
  }),
});
export type ErrorResponse = z.infer<typeof ErrorResponse>;

/** One invalid input field, in `details` of an `invalid_request` error. */
export const FieldIssue = z.object({ path: z.string(), message: z.string() });
export type FieldIssue = z.infer<typeof FieldIssue>;

/** Routes under /api/v1 take no unknown query parameters: a typo must not pass silently. */
export const NoQuery = z.strictObject({});

export const errorResponses = { 400: ErrorResponse, 404: ErrorResponse } as const;
