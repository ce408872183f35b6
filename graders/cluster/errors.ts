// Kubernetes API failures as a few named errors. Each keeps the apiserver's Status
// message verbatim ("exceeded quota: ...", "namespaces \"x\" not found"), because that
// text is what a learner or operator needs to see. They belong to the graders, which
// tell a missing object from a forbidden one; server/cluster/errors.ts maps what
// client-node throws onto them.
import { z } from 'zod';

export const statusSchema = z.looseObject({
  kind: z.literal('Status'),
  message: z.string().default(''),
  reason: z.string().default(''),
  code: z.number().int().optional(),
  details: z.looseObject({}).optional(),
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
