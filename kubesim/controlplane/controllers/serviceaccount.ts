// Every namespace gets a `default` ServiceAccount as soon as it appears.
// Source: pkg/controller/serviceaccounts/serviceaccounts_controller.go

import type { StoreEvent } from '../../core/types.ts';
import type { ControllerContext } from '../context.ts';
import type { Controller } from '../runner.ts';
import { at, str } from '../util/obj.ts';

export function serviceAccountController(ctx: ControllerContext): Controller {
  return {
    name: 'serviceaccount-controller',
    keysFor(event: StoreEvent) {
      if (event.resource === 'namespaces' && event.type !== 'DELETED') return [event.object.metadata.name];
      if (event.resource === 'serviceaccounts' && event.type === 'DELETED' && event.object.metadata.name === 'default') {
        return [event.object.metadata.namespace ?? ''];
      }
      return [];
    },
    reconcile(ns: string) {
      const namespace = ctx.store.get('namespaces', undefined, ns);
      if (!namespace || namespace.metadata.deletionTimestamp || str(at(namespace, 'status', 'phase')) === 'Terminating') return;
      if (ctx.store.get('serviceaccounts', ns, 'default')) return;
      ctx.store.create('serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: ns } });
    },
  };
}
