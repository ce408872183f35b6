// Counts what a grade costs the cluster: API requests and execs. The bench compares
// these with a kubectl-based verify script; the engine reports them per grade.
import type { ClusterClient } from './cluster/types.ts';

export interface GradeCost {
  apiRequests: number;
  execs: number;
}

export function newCost(): GradeCost {
  return { apiRequests: 0, execs: 0 };
}

/** The same client, every call counted as one API request (discovery is cached by the client). */
export function countingClient(client: ClusterClient, cost: GradeCost): ClusterClient {
  const count = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      cost.apiRequests++;
      return fn(...args);
    };
  return {
    server: client.server,
    kind: (apiVersion, kind) => client.kind(apiVersion, kind),
    get: count((ref) => client.get(ref)),
    find: count((ref) => client.find(ref)),
    list: count((q) => client.list(q)),
    create: count((obj, options) => client.create(obj, options)),
    patch: count((ref, patch, type, options) => client.patch(ref, patch, type, options)),
    delete: count((ref) => client.delete(ref)),
    createToken: count((ns, sa, seconds) => client.createToken(ns, sa, seconds)),
    withToken: (token) => countingClient(client.withToken(token), cost),
  };
}
