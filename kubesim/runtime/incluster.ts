// The in-cluster config a Pod's kubectl builds: the kubelet mounts a token of the Pod's
// ServiceAccount (bound to the Pod, about an hour) with the cluster CA and the Pod's
// namespace, unless automountServiceAccountToken is false.
// Source: pkg/kubelet/volumemanager + serviceaccount admission (the projected
// kube-api-access volume, expirationSeconds 3607); client-go rest.InClusterConfig.

import type { Auth } from '../apiserver/auth/index.ts';
import type { Store } from '../core/store.ts';
import type { PodView } from './podspec.ts';

const PROJECTED_TOKEN_SECONDS = 3607;

export function inClusterKubeconfig(
  store: Store,
  auth: Pick<Auth, 'issueServiceAccountToken'>,
  pod: PodView,
  kubeconfig: (user: string, token: string, namespace: string) => string,
): string | undefined {
  if (pod.spec.automountServiceAccountToken === false) return undefined;
  const namespace = pod.metadata.namespace ?? 'default';
  const name = pod.spec.serviceAccountName || 'default';
  const sa = store.get('serviceaccounts', namespace, name);
  if (!sa) return undefined;
  const request = {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    metadata: { name },
    spec: { expirationSeconds: PROJECTED_TOKEN_SECONDS, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: pod.metadata.name, uid: pod.metadata.uid } },
  };
  const issued = auth.issueServiceAccountToken(namespace, sa, request);
  const token = (issued['status'] as { token?: unknown } | undefined)?.token;
  return typeof token === 'string' ? kubeconfig(name, token, namespace) : undefined;
}
