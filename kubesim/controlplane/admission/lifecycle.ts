// NamespaceLifecycle: nothing new in a namespace that does not exist or is being deleted.
// Source: staging/src/k8s.io/apiserver/pkg/admission/plugin/namespace/lifecycle/admission.go

import { forbidden, notFound } from '../../core/errors.ts';
import type { AdmissionPlugin } from '../../core/strategy.ts';
import { at, str } from '../util/obj.ts';

export const namespaceLifecycleAdmission: AdmissionPlugin = {
  name: 'NamespaceLifecycle',
  admit(operation, obj, _old, ctx) {
    if (operation !== 'CREATE' || !ctx.resource.namespaced) return;
    const name = obj.metadata.namespace ?? '';
    const ns = ctx.store.get('namespaces', undefined, name);
    if (!ns) throw notFound('namespaces', '', name);
    if (ns.metadata.deletionTimestamp || str(at(ns, 'status', 'phase')) === 'Terminating') {
      const what = `${ctx.resource.plural}${ctx.resource.group ? `.${ctx.resource.group}` : ''} "${obj.metadata.name ?? ''}"`;
      throw forbidden(`${what} is forbidden: unable to create new content in namespace ${name} because it is being terminated`);
    }
  },
};
