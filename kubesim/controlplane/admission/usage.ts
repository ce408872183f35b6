// What an object costs against a ResourceQuota, and what a namespace uses now.
// Object counts (`pods`, `services`, `count/<resource>`) and Pod compute
// (`requests.cpu`, `limits.memory`, …; `cpu`/`memory` mean requests). Finished Pods
// do not count.
// Source: pkg/quota/v1/evaluator/core/pods.go, services.go, generic count evaluators

import { resourceByKey } from '../../core/registry.ts';
import type { Store } from '../../core/store.ts';
import type { KubeObject } from '../../core/types.ts';
import { isTerminal } from '../controllers/helpers.ts';
import { at, rec, recs, str } from '../util/obj.ts';
import { parseQuantity } from './quantity.ts';

const CORE_COUNTED = new Set(['pods', 'services', 'configmaps', 'secrets', 'resourcequotas', 'persistentvolumeclaims', 'replicationcontrollers']);

export function countName(resourceKey: string): string {
  const def = resourceByKey(resourceKey);
  if (!def) return `count/${resourceKey}`;
  return def.group ? `count/${def.plural}.${def.group}` : `count/${def.plural}`;
}

function podCompute(pod: KubeObject): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of recs(at(pod, 'spec', 'containers'))) {
    const res = rec(c.resources) ?? {};
    for (const kind of ['requests', 'limits'] as const) {
      for (const r of ['cpu', 'memory']) {
        const q = parseQuantity(rec(res[kind])?.[r]);
        if (q !== undefined) out[`${kind}.${r}`] = (out[`${kind}.${r}`] ?? 0) + q;
      }
    }
  }
  if (out['requests.cpu'] !== undefined) out.cpu = out['requests.cpu'];
  if (out['requests.memory'] !== undefined) out.memory = out['requests.memory'];
  return out;
}

/** The quota resources one object of this kind consumes. */
export function usageOf(resourceKey: string, obj: KubeObject): Record<string, number> {
  const usage: Record<string, number> = { [countName(resourceKey)]: 1 };
  if (CORE_COUNTED.has(resourceKey)) usage[resourceKey] = 1;
  if (resourceKey === 'pods') Object.assign(usage, podCompute(obj));
  if (resourceKey === 'services') {
    const type = str(at(obj, 'spec', 'type'));
    if (type === 'NodePort' || type === 'LoadBalancer') usage['services.nodeports'] = recs(at(obj, 'spec', 'ports')).length;
    if (type === 'LoadBalancer') usage['services.loadbalancers'] = 1;
  }
  return usage;
}

function counts(resourceKey: string, obj: KubeObject): boolean {
  return resourceKey !== 'pods' || !isTerminal(obj);
}

/** Current use of the quota's resources in a namespace. */
export function namespaceUsage(store: Store, namespace: string, tracked: readonly string[]): Record<string, number> {
  const used: Record<string, number> = Object.fromEntries(tracked.map((r) => [r, 0]));
  const keys = new Set<string>();
  for (const r of tracked) {
    if (r === 'pods' || r.startsWith('requests.') || r.startsWith('limits.') || r === 'cpu' || r === 'memory') keys.add('pods');
    else if (r.startsWith('services')) keys.add('services');
    else if (CORE_COUNTED.has(r)) keys.add(r);
    else if (r.startsWith('count/')) {
      const [plural = '', ...group] = r.slice('count/'.length).split('.');
      keys.add(group.length ? `${group.join('.')}/${plural}` : plural);
    }
  }
  for (const key of keys) {
    for (const obj of store.scan(key, namespace)) {
      if (!counts(key, obj)) continue;
      for (const [r, v] of Object.entries(usageOf(key, obj))) if (r in used) used[r] = (used[r] ?? 0) + v;
    }
  }
  return used;
}
