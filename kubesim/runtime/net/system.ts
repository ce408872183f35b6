// The network as a container sees it: DNS through the kube-dns Service (so CoreDNS
// being down, or an egress policy without a DNS rule, makes lookups time out as in a
// real cluster), kube-proxy for ClusterIPs, NetworkPolicy, then the target's listener.

import type { Clock, Rng } from '../../core/clock.ts';
import type { Store } from '../../core/store.ts';
import type { Containers, ContainerInstance } from '../containers.ts';
import type { ConnectResult, ContainerHandle, DnsReply, DnsType, Listener, System } from '../images/types.ts';
import { findContainer, type PodView } from '../podspec.ts';
import { ClusterView } from './cluster.ts';
import { ClusterDns, DNS_SERVICE_IP } from './dns.ts';
import { NetworkPolicies, type Endpoint } from './netpol.ts';
import { KubeProxy } from './proxy.ts';

export class Network implements System {
  readonly cluster: ClusterView;
  readonly dns: ClusterDns;
  readonly proxy: KubeProxy;
  readonly policies: NetworkPolicies;

  constructor(
    store: Store,
    readonly clock: Clock,
    readonly rng: Rng,
    private readonly containers: Containers,
    private readonly apiAccess?: (pod: PodView) => string | undefined,
  ) {
    this.cluster = new ClusterView(store);
    this.dns = new ClusterDns(this.cluster, rng);
    this.proxy = new KubeProxy(this.cluster, clock, rng);
    this.policies = new NetworkPolicies(store, this.cluster);
  }

  private endpointOf(ip: string, pod: PodView | undefined): Endpoint {
    if (!pod) return { ip };
    const containerPorts = pod.spec.containers.flatMap((c) => c.ports ?? []);
    return { ip, pod: { namespace: pod.metadata.namespace ?? 'default', labels: pod.metadata.labels ?? {}, containerPorts } };
  }

  serviceAccountKubeconfig(self: ContainerHandle): string | undefined {
    return this.apiAccess?.(self.pod);
  }

  /**
   * DNS goes to 10.96.0.10:53/UDP like any other packet. Without a kube-dns Service
   * in the store (bare unit fixtures) the resolver answers directly.
   */
  query(self: ContainerHandle, name: string, type: DnsType): DnsReply {
    const route = this.proxy.route(self.podIP, self.nodeName, DNS_SERVICE_IP, 53, 'UDP');
    if (route.kind === 'reject' || route.kind === 'drop') return { rcode: 'TIMEOUT', answers: [] };
    if (route.kind === 'endpoint') {
      const server = this.cluster.podByIP(route.ip);
      if (!this.policies.allows(this.endpointOf(self.podIP, self.pod), this.endpointOf(route.ip, server), route.port, 'UDP')) {
        return { rcode: 'TIMEOUT', answers: [] };
      }
    }
    return this.dns.query(name, type);
  }

  connect(self: ContainerHandle, ip: string, port: number, protocol: 'TCP' | 'UDP'): ConnectResult {
    const peer = { ip: self.podIP, port: 32768 + Math.floor(this.rng.next() * 28000) };
    if (ip === '127.0.0.1' || ip === 'localhost' || ip === '::1') {
      return this.toPod(self.pod, this.containers.byPodIP(self.podIP).filter((c) => c.pod.metadata.uid === self.pod.metadata.uid), self.podIP, port, protocol, { ...peer, ip: '127.0.0.1' });
    }
    const route = this.proxy.route(self.podIP, self.nodeName, ip, port, protocol);
    if (route.kind === 'reject') return { kind: 'refused' };
    if (route.kind === 'drop') return { kind: 'drop' };
    const dstIp = route.kind === 'endpoint' ? route.ip : ip;
    const dstPort = route.kind === 'endpoint' ? route.port : port;
    const target = this.cluster.podByIP(dstIp);
    // No Pod owns the address: nothing answers, the SYN goes unanswered.
    if (!target) return { kind: 'drop' };
    if (!this.policies.allows(this.endpointOf(self.podIP, self.pod), this.endpointOf(dstIp, target), dstPort, protocol)) return { kind: 'drop' };
    const instances = this.containers.byPodIP(dstIp).filter((c) => c.pod.metadata.uid === target.metadata.uid);
    return this.toPod(target, instances, dstIp, dstPort, protocol, peer);
  }

  /** Connect from the node (kubelet probes): no kube-proxy, no NetworkPolicy. */
  connectFromNode(pod: PodView, ip: string, port: number): ConnectResult {
    const gateway = ip.replace(/\.\d+$/, '.1');
    const instances = this.containers.byPodIP(ip).filter((c) => c.pod.metadata.uid === pod.metadata.uid);
    return this.toPod(pod, instances, ip, port, 'TCP', { ip: gateway, port: 32768 + Math.floor(this.rng.next() * 28000) });
  }

  private toPod(_pod: PodView, instances: ContainerInstance[], ip: string, port: number, protocol: 'TCP' | 'UDP', peer: { ip: string; port: number }): ConnectResult {
    for (const inst of instances) {
      const listener: Listener | undefined = inst.listeners.find((l) => l.port === port && l.protocol === protocol);
      if (listener) return { kind: 'ok', listener, server: inst, serverIp: ip, serverPort: port, peer };
    }
    return { kind: 'refused' };
  }
}

/** Resolve a probe's port: a number, or a name looked up in the container's ports. */
export function resolveContainerPort(pod: PodView, container: string, port: number | string): number | undefined {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  return findContainer(pod, container)?.ports?.find((p) => p.name === port)?.containerPort;
}
