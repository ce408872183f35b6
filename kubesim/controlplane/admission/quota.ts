// ResourceQuota admission: refuse a create that would take any tracked resource over
// its hard limit (403 "exceeded quota: …"), and Pods that leave a tracked compute
// resource unspecified ("failed quota: …: must specify …").
// Source: plugin/pkg/admission/resourcequota/controller.go (checkRequest, prettyPrint),
//         pkg/quota/v1/evaluator/core/pods.go (Constraints)

import { forbidden } from '../../core/errors.ts';
import type { AdmissionPlugin } from '../../core/strategy.ts';
import type { KubeObject } from '../../core/types.ts';
import { at, rec, recs, str } from '../util/obj.ts';
import { formatQuantity, isByteResource, parseQuantity } from './quantity.ts';
import { namespaceUsage, usageOf } from './usage.ts';

const COMPUTE = ['cpu', 'limits.cpu', 'limits.memory', 'memory', 'requests.cpu', 'requests.memory'];

function pretty(values: Record<string, number>): string {
  return Object.keys(values).sort().map((k) => `${k}=${formatQuantity(values[k] ?? 0, isByteResource(k))}`).join(',');
}

/** Which tracked compute resources each container leaves unspecified. */
export function missingCompute(pod: KubeObject, tracked: readonly string[]): string | undefined {
  const required = tracked.filter((r) => COMPUTE.includes(r));
  const missing = new Map<string, string[]>();
  for (const c of recs(at(pod, 'spec', 'containers'))) {
    const res = rec(c.resources) ?? {};
    for (const r of required) {
      const [kind, name] = r.includes('.') ? r.split('.') : ['requests', r];
      if (rec(res[kind ?? ''])?.[name ?? ''] === undefined) missing.set(r, [...(missing.get(r) ?? []), str(c.name) ?? '']);
    }
  }
  if (missing.size === 0) return undefined;
  return `must specify ${[...missing.keys()].sort().map((r) => `${r} for: ${[...new Set(missing.get(r))].sort().join(',')}`).join('; ')}`;
}

export const resourceQuotaAdmission: AdmissionPlugin = {
  name: 'ResourceQuota',
  admit(operation, obj, _old, ctx) {
    if (operation !== 'CREATE' || !ctx.resource.namespaced) return;
    const namespace = obj.metadata.namespace ?? '';
    const quotas = ctx.store.list('resourcequotas', namespace);
    if (quotas.length === 0) return;
    const what = `${ctx.resource.plural}${ctx.resource.group ? `.${ctx.resource.group}` : ''} "${obj.metadata.name ?? ''}" is forbidden`;
    const usage = usageOf(ctx.resource.key, obj);
    for (const quota of quotas) {
      const hardSpec = rec(at(quota, 'spec', 'hard')) ?? {};
      const tracked = Object.keys(hardSpec);
      if (ctx.resource.key === 'pods') {
        const missing = missingCompute(obj, tracked);
        if (missing) throw forbidden(`${what}: failed quota: ${quota.metadata.name}: ${missing}`, { name: obj.metadata.name, kind: ctx.resource.plural });
      }
      const relevant = tracked.filter((r) => usage[r] !== undefined);
      if (relevant.length === 0) continue;
      const used = namespaceUsage(ctx.store, namespace, relevant);
      const exceeded = relevant.filter((r) => (used[r] ?? 0) + (usage[r] ?? 0) > (parseQuantity(hardSpec[r]) ?? Number.POSITIVE_INFINITY) + 1e-9);
      if (exceeded.length === 0) continue;
      const pick = (src: Record<string, number>) => Object.fromEntries(exceeded.map((r) => [r, src[r] ?? 0]));
      const hard = Object.fromEntries(exceeded.map((r) => [r, parseQuantity(hardSpec[r]) ?? 0]));
      throw forbidden(
        `${what}: exceeded quota: ${quota.metadata.name}, requested: ${pretty(pick(usage))}, used: ${pretty(pick(used))}, limited: ${pretty(hard)}`,
        { name: obj.metadata.name, kind: ctx.resource.plural },
      );
    }
  },
};
