// kube-proxy's view of a ClusterIP connection: pick a ready endpoint of the Service
// port at random, honouring ClientIP affinity (expiring after timeoutSeconds without
// use, like iptables `recent --rcheck --seconds --reap` + `--set`) and
// internalTrafficPolicy Local. No endpoints → REJECT; none local under Local → DROP.
// Source: pkg/proxy/iptables/proxier.go (writeServiceToEndpointRules, syncProxyRules).

import { pick, type Clock, type Rng } from '../../core/clock.ts';
import type { ServiceView } from '../podspec.ts';
import { ClusterView, isReady } from './cluster.ts';

export type ProxyDecision =
  | { kind: 'endpoint'; ip: string; port: number }
  | { kind: 'reject' }
  | { kind: 'drop' }
  /** Not a Service IP: route as a plain address. */
  | { kind: 'notService' };

interface Affinity {
  ip: string;
  port: number;
  lastUsed: number;
}

export class KubeProxy {
  private readonly affinity = new Map<string, Affinity>();

  constructor(private readonly cluster: ClusterView, private readonly clock: Clock, private readonly rng: Rng) {}

  route(clientIP: string, clientNode: string, ip: string, port: number, protocol: string): ProxyDecision {
    const svc = this.cluster.serviceByIP(ip);
    if (!svc || svc.spec.clusterIP === 'None') return { kind: 'notService' };
    const ns = svc.metadata.namespace ?? 'default';
    const sp = (svc.spec.ports ?? []).find((p) => p.port === port && (p.protocol ?? 'TCP') === protocol);
    // A port the Service does not have: no rule matches and nothing owns the virtual IP.
    if (!sp) return { kind: 'drop' };
    const portName = sp.name ?? '';
    let candidates: { ip: string; port: number; node: string }[] = [];
    for (const slice of this.cluster.slices(ns, svc.metadata.name)) {
      const slicePort = (slice.ports ?? []).find((p) => (p.name ?? '') === portName && (p.protocol ?? 'TCP') === protocol);
      if (slicePort?.port == null) continue;
      for (const ep of slice.endpoints ?? []) {
        if (!isReady(ep)) continue;
        for (const a of ep.addresses) candidates.push({ ip: a, port: slicePort.port, node: ep.nodeName ?? '' });
      }
    }
    const seen = new Set<string>();
    candidates = candidates.filter((c) => !seen.has(`${c.ip}:${c.port}`) && seen.add(`${c.ip}:${c.port}`));
    if (candidates.length === 0) return { kind: 'reject' };
    if (svc.spec.internalTrafficPolicy === 'Local') {
      candidates = candidates.filter((c) => c.node === clientNode);
      if (candidates.length === 0) return { kind: 'drop' };
    }
    return this.choose(svc, portName, clientIP, candidates);
  }

  private choose(svc: ServiceView, portName: string, clientIP: string, candidates: { ip: string; port: number }[]): ProxyDecision {
    const now = this.clock.now();
    if (svc.spec.sessionAffinity === 'ClientIP') {
      const timeout = (svc.spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800) * 1000;
      const key = `${svc.metadata.namespace ?? 'default'}/${svc.metadata.name}:${portName}/${clientIP}`;
      const held = this.affinity.get(key);
      if (held && now - held.lastUsed <= timeout && candidates.some((c) => c.ip === held.ip && c.port === held.port)) {
        held.lastUsed = now;
        return { kind: 'endpoint', ip: held.ip, port: held.port };
      }
      const chosen = pick(this.rng, candidates);
      if (!chosen) return { kind: 'reject' };
      this.affinity.set(key, { ip: chosen.ip, port: chosen.port, lastUsed: now });
      return { kind: 'endpoint', ...chosen };
    }
    const chosen = pick(this.rng, candidates);
    return chosen ? { kind: 'endpoint', ...chosen } : { kind: 'reject' };
  }
}
