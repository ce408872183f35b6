// The kubeconfig a learner downloads: their ServiceAccount's token, scoped by default
// to their namespace. Built as an object and serialised with the yaml package, never by
// string concatenation, so no value can break out of its field.
import { stringify } from 'yaml';
import type { ServerInfo } from '../cluster/types.ts';

export interface LearnerKubeconfigInput {
  server: ServerInfo;
  namespace: string;
  token: string;
}

export function learnerKubeconfig({ server, namespace, token }: LearnerKubeconfigInput): string {
  const context = `kubelab-${namespace}`;
  const cluster: Record<string, unknown> = { server: server.url };
  if (server.caData) cluster['certificate-authority-data'] = server.caData;
  if (server.tlsServerName) cluster['tls-server-name'] = server.tlsServerName;
  if (server.insecureSkipTlsVerify) cluster['insecure-skip-tls-verify'] = true;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'kubelab', cluster }],
    users: [{ name: `${namespace}-learner`, user: { token } }],
    contexts: [{ name: context, context: { cluster: 'kubelab', user: `${namespace}-learner`, namespace } }],
    'current-context': context,
    preferences: {},
  });
}

/** TokenRequest's minimum is 10 minutes (apiserver validation); never ask for less. */
export const MIN_TOKEN_SECONDS = 600;

export function tokenSecondsUntil(expiresAt: number, now: number): number {
  return Math.max(MIN_TOKEN_SECONDS, Math.ceil((expiresAt - now) / 1000));
}
