// Environment and cluster failures as the HttpErrors the app's error handler renders.
import { ClusterUnavailableError, KubernetesError } from '../../cluster/errors.ts';
import { EnvironmentError } from '../../environments/errors.ts';
import { HttpError, ServiceUnavailableError } from '../errors.ts';

export function toHttpError(err: unknown): unknown {
  if (err instanceof EnvironmentError) return new HttpError(err.statusCode, err.code, err.message, err.details, { cause: err });
  if (err instanceof ClusterUnavailableError) {
    return new ServiceUnavailableError('cluster_unavailable', 'the cluster is not answering; try again in a moment');
  }
  // Anything else the cluster refused is our bug, not the learner's: no details leave the server.
  if (err instanceof KubernetesError) return new HttpError(502, 'cluster_error', 'the cluster refused an operation kubelab needed', null, { cause: err });
  return err;
}

/** Run a handler body, translating its failures. */
export async function translated<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toHttpError(err);
  }
}
