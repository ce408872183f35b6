// The per-kind strategy table the REST layer consults on every create and update.

import type { ResourceStrategy } from '../../core/strategy.ts';
import { namespaceStrategy, subdomainNamed } from './generic.ts';
import { configMapStrategy } from './configmap.ts';
import { podStrategy } from './pod.ts';
import { persistentVolumeClaimStrategy } from './pvc.ts';
import { secretStrategy } from './secret.ts';
import { serviceStrategy } from './service.ts';
import { deploymentStrategy, replicaSetStrategy, statefulSetStrategy } from './workloads.ts';

export function strategyTable(): Map<string, ResourceStrategy> {
  const table = new Map<string, ResourceStrategy>([
    ['namespaces', namespaceStrategy],
    ['services', serviceStrategy],
    ['nodes', subdomainNamed(false)],
    ['configmaps', configMapStrategy],
    ['secrets', secretStrategy],
    ['persistentvolumeclaims', persistentVolumeClaimStrategy],
    ['serviceaccounts', subdomainNamed(true)],
    ['events', subdomainNamed(true)],
    ['resourcequotas', subdomainNamed(true)],
    ['limitranges', subdomainNamed(true)],
    ['endpoints', subdomainNamed(true)],
    ['discovery.k8s.io/endpointslices', subdomainNamed(true)],
    ['networking.k8s.io/networkpolicies', subdomainNamed(true)],
    ['rbac.authorization.k8s.io/roles', subdomainNamed(true)],
    ['rbac.authorization.k8s.io/rolebindings', subdomainNamed(true)],
    ['rbac.authorization.k8s.io/clusterroles', subdomainNamed(false)],
    ['rbac.authorization.k8s.io/clusterrolebindings', subdomainNamed(false)],
    ['pods', podStrategy],
    ['apps/deployments', deploymentStrategy],
    ['apps/replicasets', replicaSetStrategy],
    ['apps/statefulsets', statefulSetStrategy],
  ]);
  return table;
}
