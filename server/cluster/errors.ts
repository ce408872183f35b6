// Kubernetes API failures as a few named errors. Each keeps the apiserver's Status
// message verbatim ("exceeded quota: ...", "namespaces \"x\" not found"), because that
// text is what a learner or operator needs to see.
import { ApiException } from '@kubernetes/client-node';
import { z } from 'zod';

const statusSchema = z.looseObject({
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

function parseStatus(body: unknown): KubernetesStatus | undefined {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      // Not JSON (a proxy's HTML page, plain text): there is no Status to keep.
      return undefined;
    }
  }
  const parsed = statusSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** Map anything client-node throws to a KubernetesError subclass; other errors pass through. */
export function toKubernetesError(err: unknown, what?: string): Error {
  if (err instanceof KubernetesError) return err;
  if (err instanceof ApiException) {
    const code = err.code;
    const status = parseStatus(err.body);
    const reason = status?.reason ?? '';
    const message = status?.message || `${what ? `${what}: ` : ''}HTTP ${code}${typeof err.body === 'string' && err.body ? `: ${err.body.slice(0, 200)}` : ''}`;
    const args = [message, code, reason, status, { cause: err }] as const;
    if (code === 404) return new NotFoundError(...args);
    if (code === 409) return reason === 'AlreadyExists' ? new AlreadyExistsError(...args) : new ConflictError(...args);
    if (code === 403) return new ForbiddenError(...args);
    if (code === 401) return new UnauthorizedError(...args);
    if (code === 422 || code === 400) return new InvalidError(...args);
    if (code >= 500) return new ClusterUnavailableError(...args);
    return new KubernetesError(...args);
  }
  if (err instanceof Error) {
    // fetch failures (ECONNREFUSED, TLS) surface as FetchError / TypeError with a cause.
    const errno = (err as { code?: unknown }).code ?? (err.cause as { code?: unknown } | undefined)?.code;
    if (typeof errno === 'string' || err.name === 'FetchError') {
      return new ClusterUnavailableError(`cluster unreachable${what ? ` (${what})` : ''}: ${err.message}`, 0, 'ServiceUnavailable', undefined, { cause: err });
    }
  }
  return err instanceof Error ? err : new Error(String(err));
}
