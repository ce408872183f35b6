// The Status an exec stream ends with (channel 3), and the exit code it carries. Kept
// apart from exec.ts so an executor that is not client-node's can use it without
// loading client-node.
// zod/mini (see zod-mini.ts): the one-shot `kubelab grade` starts faster without classic zod.
import * as z from './zod-mini.ts';

/** The fields of a metav1.Status that say how a command ended. */
export const execStatusSchema = z.looseObject({
  status: z.optional(z.string()),
  reason: z.optional(z.string()),
  message: z.optional(z.string()),
  details: z.optional(
    z.looseObject({
      causes: z.optional(z.array(z.looseObject({ reason: z.optional(z.string()), message: z.optional(z.string()) }))),
    }),
  ),
});

/** Structural, so client-node's V1Status fits as well as a parsed frame. */
export interface ExecStatus {
  status?: string | undefined;
  reason?: string | undefined;
  message?: string | undefined;
  details?: { causes?: { reason?: string | undefined; message?: string | undefined }[] | undefined } | undefined;
}

/** `NonZeroExitCode` carries the code in details.causes; Success is 0. Anything else is not an exit. */
export function exitCodeOf(status: ExecStatus): number | undefined {
  if (status.status === 'Success') return 0;
  if (status.reason === 'NonZeroExitCode') {
    const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
    const code = Number(cause?.message);
    return Number.isInteger(code) ? code : undefined;
  }
  return undefined;
}
