// Kubernetes API failures as a few named errors. Each keeps the apiserver's Status
// message verbatim ("exceeded quota: ...", "namespaces \"x\" not found"), because that
// text is what a learner or operator needs to see. The error classes are the graders'
// (graders/cluster/errors.ts); this maps what client-node throws onto them.
import { ApiException } from '@kubernetes/client-node';
import { errorForStatus, errorForTransport } from './status-errors.ts';

export * from '../../graders/cluster/errors.ts';

/** Map anything client-node throws to a KubernetesError subclass; other errors pass through. */
export function toKubernetesError(err: unknown, what?: string): Error {
  if (err instanceof ApiException) return errorForStatus(err.code, err.body, what, err);
  // fetch failures (ECONNREFUSED, TLS) surface as FetchError / TypeError with a cause.
  return errorForTransport(err, what);
}
