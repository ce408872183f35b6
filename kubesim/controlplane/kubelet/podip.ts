// Pod IPs from the node's podCIDR the way host-local IPAM (kindnet) hands them out:
// sequentially from .2, continuing after the last one given, skipping those in use.

import type { Store } from '../../core/store.ts';
import { at, recs, str } from '../util/obj.ts';

export class PodIPAM {
  private readonly last = new Map<string, number>();

  allocate(store: Store, nodeName: string, podCIDR: string): string {
    const base = podCIDR.split('/')[0]?.split('.').slice(0, 3).join('.') ?? '10.244.0';
    const used = new Set<string>();
    for (const p of store.scan('pods')) {
      if (at(p, 'spec', 'nodeName') !== nodeName) continue;
      const ip = str(at(p, 'status', 'podIP'));
      if (ip) used.add(ip);
      for (const x of recs(at(p, 'status', 'podIPs'))) if (str(x.ip)) used.add(String(x.ip));
    }
    const start = this.last.get(nodeName) ?? 1;
    for (let i = 1; i <= 253; i++) {
      const host = ((start - 2 + i) % 253) + 2;
      const ip = `${base}.${host}`;
      if (!used.has(ip)) {
        this.last.set(nodeName, host);
        return ip;
      }
    }
    throw new Error(`no free Pod IP on ${nodeName}`);
  }
}
