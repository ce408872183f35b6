// Kubernetes API failures as a few named errors. Each keeps the apiserver's Status
// message verbatim ("exceeded quota: ...", "namespaces \"x\" not found"), because that
// text is what a learner or operator needs to see. The error classes are the graders'
// (graders/cluster/errors.ts); this maps what client-node throws onto them.
import { ApiException } from '@kubernetes/client-node';
import {
  AlreadyExistsError,
  ClusterUnavailableError,
  ConflictError,
  ForbiddenError,
  InvalidError,
  KubernetesError,
  NotFoundError,
  statusSchema,
  UnauthorizedError,
  type KubernetesStatus,
} from '../../graders/cluster/errors.ts';

export * from '../../graders/cluster/errors.ts';

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
