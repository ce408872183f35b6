// An apiserver's error answer (HTTP status and body) as one of the named
// KubernetesErrors. Shared by the client-node client (errors.ts) and the lean client
// (lean/), and free of client-node so the lean path never loads it.
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

/** The Status message verbatim when there is one; else the code and the start of the body. */
export function errorForStatus(code: number, body: unknown, what: string | undefined, cause?: unknown): KubernetesError {
  const status = parseStatus(body);
  const reason = status?.reason ?? '';
  const message = status?.message || `${what ? `${what}: ` : ''}HTTP ${code}${typeof body === 'string' && body ? `: ${body.slice(0, 200)}` : ''}`;
  const args = [message, code, reason, status, cause === undefined ? undefined : { cause }] as const;
  if (code === 404) return new NotFoundError(...args);
  if (code === 409) return reason === 'AlreadyExists' ? new AlreadyExistsError(...args) : new ConflictError(...args);
  if (code === 403) return new ForbiddenError(...args);
  if (code === 401) return new UnauthorizedError(...args);
  if (code === 422 || code === 400) return new InvalidError(...args);
  if (code >= 500) return new ClusterUnavailableError(...args);
  return new KubernetesError(...args);
}

/** A connection failure (refused, reset, TLS) as ClusterUnavailableError; anything else passes through. */
export function errorForTransport(err: unknown, what: string | undefined): Error {
  if (err instanceof KubernetesError) return err;
  if (err instanceof Error) {
    const errno = (err as { code?: unknown }).code ?? (err.cause as { code?: unknown } | undefined)?.code;
    if (typeof errno === 'string' || err.name === 'FetchError') {
      return new ClusterUnavailableError(`cluster unreachable${what ? ` (${what})` : ''}: ${err.message}`, 0, 'ServiceUnavailable', undefined, { cause: err });
    }
    return err;
  }
  return new Error(String(err));
}

/** `find` from `get`: a NotFoundError becomes undefined, any other failure stays. */
export async function undefinedIfNotFound<T>(lookup: Promise<T>): Promise<T | undefined> {
  try {
    return await lookup;
  } catch (err) {
    if (err instanceof NotFoundError) return undefined;
    throw err;
  }
}
