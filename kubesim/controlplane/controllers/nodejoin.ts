// Workers join after the control plane is up, as in `kind create cluster`: the
// CoreDNS Pods are placed first (on the control-plane node, which they tolerate),
// then the worker Nodes register.

import type { StoreEvent } from '../../core/types.ts';
import type { ControllerContext } from '../context.ts';
import { nodeObject } from '../nodes.ts';
import type { Controller } from '../runner.ts';
import { at, str, timestamp } from '../util/obj.ts';

export function nodeJoinController(ctx: ControllerContext): Controller {
  return {
    name: 'node-join',
    keysFor(event: StoreEvent) {
      if (event.resource === 'pods' && event.object.metadata.namespace === 'kube-system') return ['join'];
      if (event.resource === 'nodes') return ['join'];
      return [];
    },
    reconcile() {
      const missing = ctx.nodes.filter((n) => !ctx.store.get('nodes', undefined, n.name));
      if (missing.length === 0) return;
      const registered = ctx.store.list('nodes').length;
      const dns = ctx.store.list('pods', 'kube-system').filter((p) => p.metadata.labels?.['k8s-app'] === 'kube-dns');
      const placed = dns.length >= 2 && dns.every((p) => str(at(p, 'spec', 'nodeName')));
      // With no control-plane node at all (custom topologies) there is nothing to wait for.
      if (registered > 0 && !placed && ctx.nodes.some((n) => n.role === 'control-plane')) return;
      const now = timestamp(ctx.clock.now());
      for (const n of missing) ctx.store.create('nodes', nodeObject(n, now));
    },
  };
}
