// NetworkPolicy enforcement (networking.k8s.io/v1): a Pod selected by any policy of a
// type is isolated for that type; traffic is allowed when some rule of some selecting
// policy admits the peer and port. Evaluated after kube-proxy's DNAT, against Pods.
// Source: kubernetes.io/docs/concepts/services-networking/network-policies/

import type { Store } from '../../core/store.ts';
import { NetworkPolicySchema, selectorMatches, type NetworkPolicyView, type PolicyPeer, type PolicyPort } from '../podspec.ts';
import type { ClusterView } from './cluster.ts';

/** One side of a connection as policies see it. */
export interface Endpoint {
  ip: string;
  /** Undefined for traffic from outside the Pod network (ipBlock only). */
  pod?: { namespace: string; labels: Record<string, string>; containerPorts: { name?: string; containerPort: number; protocol?: string }[] };
}

function ipToInt(ip: string): number {
  return ip.split('.').reduce((acc, o) => (acc << 8) + (Number(o) & 255), 0) >>> 0;
}

function inCidr(ip: string, cidr: string): boolean {
  const [base = '', bits = '32'] = cidr.split('/');
  const n = Number(bits);
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(base)) return false;
  const mask = n === 0 ? 0 : (~0 << (32 - n)) >>> 0;
  return (ipToInt(ip) & mask) === (ipToInt(base) & mask);
}

export class NetworkPolicies {
  constructor(private readonly store: Store, private readonly cluster: ClusterView) {}

  private policies(ns: string): NetworkPolicyView[] {
    return this.store.list('networking.k8s.io/networkpolicies', ns).map((p) => NetworkPolicySchema.parse(p));
  }

  /** Whether src may open a connection to dst:port/protocol (egress of src and ingress of dst). */
  allows(src: Endpoint, dst: Endpoint, port: number, protocol: string): boolean {
    return this.direction('Egress', src, dst, port, protocol) && this.direction('Ingress', dst, src, port, protocol);
  }

  private direction(type: 'Ingress' | 'Egress', subject: Endpoint, peer: Endpoint, port: number, protocol: string): boolean {
    if (!subject.pod) return true;
    const selecting = this.policies(subject.pod.namespace).filter((p) => {
      const types = p.spec.policyTypes ?? (p.spec.egress ? ['Ingress', 'Egress'] : ['Ingress']);
      return types.includes(type) && selectorMatches(p.spec.podSelector, subject.pod?.labels ?? {});
    });
    if (selecting.length === 0) return true;
    // Named ports in a rule are the destination Pod's container ports.
    const dst = type === 'Ingress' ? subject : peer;
    for (const p of selecting) {
      const rules = type === 'Ingress'
        ? (p.spec.ingress ?? []).map((r) => ({ peers: r.from, ports: r.ports }))
        : (p.spec.egress ?? []).map((r) => ({ peers: r.to, ports: r.ports }));
      for (const rule of rules) {
        if (!this.portsMatch(rule.ports, port, protocol, dst)) continue;
        if (!rule.peers || rule.peers.length === 0) return true;
        if (rule.peers.some((peerSel) => this.peerMatches(peerSel, peer, subject.pod?.namespace ?? ''))) return true;
      }
    }
    return false;
  }

  private portsMatch(ports: PolicyPort[] | undefined, port: number, protocol: string, dst: Endpoint): boolean {
    if (!ports || ports.length === 0) return true;
    return ports.some((p) => {
      if ((p.protocol ?? 'TCP') !== protocol) return false;
      if (p.port === undefined) return true;
      if (typeof p.port === 'number') return p.endPort ? port >= p.port && port <= p.endPort : port === p.port;
      return (dst.pod?.containerPorts ?? []).some((cp) => cp.name === p.port && cp.containerPort === port && (cp.protocol ?? 'TCP') === protocol);
    });
  }

  private peerMatches(sel: PolicyPeer, peer: Endpoint, policyNs: string): boolean {
    if (sel.ipBlock) {
      if (!inCidr(peer.ip, sel.ipBlock.cidr)) return false;
      return !(sel.ipBlock.except ?? []).some((c) => inCidr(peer.ip, c));
    }
    if (!peer.pod) return false;
    if (sel.namespaceSelector) {
      if (!selectorMatches(sel.namespaceSelector, this.cluster.namespaceLabels(peer.pod.namespace))) return false;
    } else if (peer.pod.namespace !== policyNs) return false;
    return sel.podSelector ? selectorMatches(sel.podSelector, peer.pod.labels) : true;
  }
}
