// Namespace lifecycle: a Terminating namespace has every object in it deleted (Pods
// gracefully, through their kubelets); when nothing is left the `kubernetes`
// finalizer is dropped and the Namespace is removed.
// Source: pkg/controller/namespace/deletion/namespaced_resources_deleter.go

import { isStored, RESOURCES } from '../../core/registry.ts';
import type { StoreEvent } from '../../core/types.ts';
import type { ControllerContext } from '../context.ts';
import type { Controller } from '../runner.ts';
import { at, str } from '../util/obj.ts';
import { deleteObject } from './helpers.ts';

export function isTerminating(ns: { metadata: { deletionTimestamp?: string } } | undefined): boolean {
  return Boolean(ns && (ns.metadata.deletionTimestamp || str(at(ns, 'status', 'phase')) === 'Terminating'));
}

export function namespaceController(ctx: ControllerContext): Controller {
  return {
    name: 'namespace-controller',
    keysFor(event: StoreEvent) {
      if (event.resource === 'namespaces') return event.type === 'DELETED' ? [] : [event.object.metadata.name];
      const ns = event.object.metadata.namespace;
      if (ns && event.type === 'DELETED') return [ns];
      return [];
    },
    reconcile(name: string) {
      const ns = ctx.store.get('namespaces', undefined, name);
      if (!ns || !isTerminating(ns)) return;
      if (str(at(ns, 'status', 'phase')) !== 'Terminating') {
        ns.status = { ...(typeof ns.status === 'object' && ns.status !== null ? ns.status : {}), phase: 'Terminating' };
        ctx.store.update('namespaces', ns);
      }
      let remaining = 0;
      for (const def of RESOURCES) {
        if (!def.namespaced || !isStored(def)) continue;
        for (const obj of ctx.store.list(def.key, name)) {
          remaining++;
          deleteObject(ctx.store, ctx.clock, def.key, obj);
        }
      }
      if (remaining > 0) return;
      const fresh = ctx.store.get('namespaces', undefined, name);
      if (fresh) ctx.store.remove('namespaces', undefined, name);
    },
  };
}
