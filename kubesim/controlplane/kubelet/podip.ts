// Pod IPs from the node's podCIDR the way host-local IPAM (kindnet) hands them out:
// sequentially from the network address + 2 (+1 is the node's gateway), continuing
// after the last one given, skipping those in use, never the broadcast address.

import type { Store } from '../../core/store.ts';
import { intToIp, ipToInt } from '../strategies/ipalloc.ts';
import { at, recs, str } from '../util/obj.ts';

export class PodIPAM {
  private readonly last = new Map<string, number>();

  /** `prefer`: the IP a Pod had before a restart, given back to it unless another Pod now holds it. */
  allocate(store: Store, nodeName: string, podCIDR: string, prefer?: { ip: string; uid: string } | ''): string {
    const [network = '10.244.0.0', bits = '24'] = podCIDR.split('/');
    const size = 2 ** (32 - Number(bits));
    const base = ipToInt(network);
    const hosts = size - 3; // network, gateway and broadcast are never handed out
    const used = new Set<string>();
    for (const p of store.scan('pods')) {
      if (at(p, 'spec', 'nodeName') !== nodeName) continue;
      if (prefer && p.metadata.uid === prefer.uid) continue;
      const ip = str(at(p, 'status', 'podIP'));
      if (ip) used.add(ip);
      for (const x of recs(at(p, 'status', 'podIPs'))) if (str(x.ip)) used.add(String(x.ip));
    }
    if (prefer && !used.has(prefer.ip)) {
      const offset = ipToInt(prefer.ip) - base;
      if (offset >= 2 && offset < size - 1) return prefer.ip;
    }
    const start = this.last.get(nodeName) ?? 1;
    for (let i = 1; i <= hosts; i++) {
      const host = ((start - 2 + i) % hosts) + 2;
      const ip = intToIp(base + host);
      if (!used.has(ip)) {
        this.last.set(nodeName, host);
        return ip;
      }
    }
    throw new Error(`no free Pod IP on ${nodeName}`);
  }
}
