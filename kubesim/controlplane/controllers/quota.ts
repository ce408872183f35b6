// ResourceQuota status: hard mirrors spec.hard, used is recounted whenever something
// in the namespace changes. Source: pkg/controller/resourcequota/resource_quota_controller.go

import type { StoreEvent } from '../../core/types.ts';
import { formatQuantity, isByteResource } from '../admission/quantity.ts';
import { namespaceUsage } from '../admission/usage.ts';
import type { ControllerContext } from '../context.ts';
import type { Controller } from '../runner.ts';
import { at, rec } from '../util/obj.ts';

export function quotaController(ctx: ControllerContext): Controller {
  return {
    name: 'resourcequota-controller',
    keysFor(event: StoreEvent) {
      const ns = event.object.metadata.namespace;
      if (!ns || event.resource === 'events') return [];
      return ctx.store.count('resourcequotas', ns) > 0 ? [ns] : [];
    },
    reconcile(namespace: string) {
      for (const quota of ctx.store.list('resourcequotas', namespace)) {
        const hard = rec(at(quota, 'spec', 'hard')) ?? {};
        const used = namespaceUsage(ctx.store, namespace, Object.keys(hard));
        quota.status = {
          hard: { ...hard },
          used: Object.fromEntries(Object.entries(used).map(([k, v]) => [k, formatQuantity(v, isByteResource(k))])),
        };
        ctx.client.updateIfChanged('resourcequotas', quota);
      }
    },
  };
}
