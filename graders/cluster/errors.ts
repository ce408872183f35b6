// Kubernetes API failures as a few named errors. Each keeps the apiserver's Status
// message verbatim ("exceeded quota: ...", "namespaces \"x\" not found"), because that
// text is what a learner or operator needs to see. They belong to the graders, which
// tell a missing object from a forbidden one; server/cluster/errors.ts maps what
// client-node throws onto them.
// zod/mini (see ../zod-mini.ts): the one-shot `kubelab grade` starts faster without classic zod.
import * as z from '../zod-mini.ts';

export const statusSchema = z.looseObject({
  kind: z.literal('Status'),
  message: z._default(z.string(), ''),
  reason: z._default(z.string(), ''),
  code: z.optional(z.number().check(z.int())),
  details: z.optional(z.looseObject({})),
});

export type KubernetesStatus = z.infer<typeof statusSchema>;

export class KubernetesError extends Error {
  constructor(
    message: string,
    /** HTTP status from the apiserver, 0 when it could not be reached. */
    readonly code: number,
    /** metav1.Status reason, e.g. "AlreadyExists", "Forbidden". */
    readonly reason: string,
    readonly status?: KubernetesStatus,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'KubernetesError';
  }
}

export class NotFoundError extends KubernetesError {
  override name = 'NotFoundError';
}
export class AlreadyExistsError extends KubernetesError {
  override name = 'AlreadyExistsError';
}
/** 409 Conflict other than AlreadyExists: stale resourceVersion, namespace terminating. */
export class ConflictError extends KubernetesError {
  override name = 'ConflictError';
}
export class ForbiddenError extends KubernetesError {
  override name = 'ForbiddenError';
}
export class UnauthorizedError extends KubernetesError {
  override name = 'UnauthorizedError';
}
export class InvalidError extends KubernetesError {
  override name = 'InvalidError';
}
/** The cluster did not answer, or answered 5xx: not the caller's fault. */
export class ClusterUnavailableError extends KubernetesError {
  override name = 'ClusterUnavailableError';
}
