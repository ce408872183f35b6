// Cluster DNS as CoreDNS's kubernetes plugin answers it (zone cluster.local, `pods
// insecure`), plus loadbalance's shuffling of A records.
// Source: kubernetes/dns docs/specification.md; coredns plugin/kubernetes, plugin/loadbalance.

import { shuffled, type Rng } from '../../core/clock.ts';
import type { DnsRecord, DnsReply, DnsType } from '../images/types.ts';
import { ClusterView, isReady } from './cluster.ts';

export const CLUSTER_DOMAIN = 'cluster.local';
export const DNS_SERVICE_IP = '10.96.0.10';

const nx = (): DnsReply => ({ rcode: 'NXDOMAIN', answers: [] });
const ok = (answers: DnsRecord[]): DnsReply => ({ rcode: 'NOERROR', answers });

function dashed(ip: string): string {
  return ip.replace(/\./g, '-');
}

export function resolvConf(ns: string): string {
  return `search ${ns}.svc.${CLUSTER_DOMAIN} svc.${CLUSTER_DOMAIN} ${CLUSTER_DOMAIN}\nnameserver ${DNS_SERVICE_IP}\noptions ndots:5\n`;
}

export class ClusterDns {
  constructor(private readonly cluster: ClusterView, private readonly rng: Rng) {}

  query(rawName: string, type: DnsType): DnsReply {
    const name = rawName.toLowerCase().replace(/\.$/, '');
    const suffix = `.${CLUSTER_DOMAIN}`;
    if (type === 'PTR') return this.ptr(name);
    if (name === CLUSTER_DOMAIN) return ok([]);
    // Outside the cluster zone CoreDNS forwards upstream; the simulated cluster has no upstream.
    if (!name.endsWith(suffix)) return nx();
    const labels = name.slice(0, -suffix.length).split('.');
    const kind = labels.pop();
    if (kind === 'pod') return this.pod(labels, type);
    if (kind !== 'svc') return nx();
    if (labels.length === 0) return ok([]);
    const ns = labels[labels.length - 1] ?? '';
    if (!this.cluster.namespaceExists(ns)) return nx();
    if (labels.length === 1) return ok([]);
    if (labels.length === 2) return this.service(labels[0] ?? '', ns, name, type);
    if (labels.length === 3) return this.endpoint(labels[0] ?? '', labels[1] ?? '', ns, name, type);
    if (labels.length === 4 && labels[0]?.startsWith('_') && labels[1]?.startsWith('_')) {
      return this.srv(labels[0].slice(1), labels[1].slice(1), labels[2] ?? '', ns, name, type);
    }
    return nx();
  }

  private readyEndpoints(ns: string, svc: string): { address: string; hostname?: string; ports: Map<string, number> }[] {
    const seen = new Set<string>();
    const out: { address: string; hostname?: string; ports: Map<string, number> }[] = [];
    for (const slice of this.cluster.slices(ns, svc)) {
      if (slice.addressType && slice.addressType !== 'IPv4') continue;
      const ports = new Map<string, number>();
      for (const p of slice.ports ?? []) if (p.port != null) ports.set(`${p.name ?? ''}/${(p.protocol ?? 'TCP').toLowerCase()}`, p.port);
      for (const ep of slice.endpoints ?? []) {
        if (!isReady(ep)) continue;
        for (const address of ep.addresses) {
          if (seen.has(address)) continue;
          seen.add(address);
          out.push(ep.hostname ? { address, hostname: ep.hostname, ports } : { address, ports });
        }
      }
    }
    return out;
  }

  private service(svcName: string, ns: string, fqdn: string, type: DnsType): DnsReply {
    const svc = this.cluster.service(ns, svcName);
    if (!svc) return nx();
    if (svc.spec.type === 'ExternalName' && svc.spec.externalName) return ok([{ name: fqdn, type: 'CNAME', data: svc.spec.externalName }]);
    const headless = svc.spec.clusterIP === 'None';
    if (type === 'SRV') {
      const out: DnsRecord[] = [];
      for (const p of svc.spec.ports ?? []) {
        if (!p.name) continue;
        out.push(...this.srvRecords(svc.metadata.name, ns, p.name, (p.protocol ?? 'TCP').toLowerCase(), headless, p.port, fqdn));
      }
      return out.length ? ok(out) : nx();
    }
    if (!headless) return ok(type === 'A' && svc.spec.clusterIP ? [{ name: fqdn, type: 'A', data: svc.spec.clusterIP }] : []);
    const eps = this.readyEndpoints(ns, svcName);
    if (eps.length === 0) return nx();
    if (type !== 'A') return ok([]);
    return ok(shuffled(this.rng, eps).map((e) => ({ name: fqdn, type: 'A' as const, data: e.address })));
  }

  private endpoint(host: string, svcName: string, ns: string, fqdn: string, type: DnsType): DnsReply {
    const svc = this.cluster.service(ns, svcName);
    if (!svc) return nx();
    const ep = this.readyEndpoints(ns, svcName).find((e) => e.hostname === host || dashed(e.address) === host);
    if (!ep) return nx();
    return ok(type === 'A' ? [{ name: fqdn, type: 'A', data: ep.address }] : []);
  }

  private srvRecords(svcName: string, ns: string, port: string, proto: string, headless: boolean, svcPort: number, owner: string): DnsRecord[] {
    const target = `${svcName}.${ns}.svc.${CLUSTER_DOMAIN}`;
    if (!headless) return [{ name: owner, type: 'SRV', data: `0 100 ${svcPort} ${target}` }];
    const eps = this.readyEndpoints(ns, svcName);
    const weight = eps.length ? Math.floor(100 / eps.length) : 0;
    return eps.map((e) => ({
      name: owner,
      type: 'SRV' as const,
      data: `0 ${weight} ${e.ports.get(`${port}/${proto}`) ?? svcPort} ${e.hostname ?? dashed(e.address)}.${target}`,
    }));
  }

  private srv(port: string, proto: string, svcName: string, ns: string, fqdn: string, type: DnsType): DnsReply {
    const svc = this.cluster.service(ns, svcName);
    if (!svc) return nx();
    const sp = (svc.spec.ports ?? []).find((p) => p.name === port && (p.protocol ?? 'TCP').toLowerCase() === proto);
    if (!sp) return nx();
    if (type !== 'SRV') return ok([]);
    const recs = this.srvRecords(svcName, ns, port, proto, svc.spec.clusterIP === 'None', sp.port, fqdn);
    return recs.length ? ok(recs) : nx();
  }

  private pod(labels: string[], type: DnsType): DnsReply {
    if (labels.length !== 2) return labels.length === 1 ? ok([]) : nx();
    const ip = (labels[0] ?? '').replace(/-/g, '.');
    if (!/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(ip) || ip.split('.').some((o) => Number(o) > 255)) return nx();
    const fqdn = `${labels[0]}.${labels[1]}.pod.${CLUSTER_DOMAIN}`;
    return ok(type === 'A' ? [{ name: fqdn, type: 'A', data: ip }] : []);
  }

  /** Reverse lookups: Services' ClusterIPs and Pod IPs (CoreDNS answers both in-zone). */
  private ptr(name: string): DnsReply {
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\.in-addr\.arpa$/.exec(name);
    if (!m) return nx();
    const ip = `${m[4]}.${m[3]}.${m[2]}.${m[1]}`;
    const svc = this.cluster.serviceByIP(ip);
    if (svc) return ok([{ name, type: 'PTR', data: `${svc.metadata.name}.${svc.metadata.namespace ?? 'default'}.svc.${CLUSTER_DOMAIN}` }]);
    const pod = this.cluster.podByIP(ip);
    if (pod) return ok([{ name, type: 'PTR', data: `${dashed(ip)}.${pod.metadata.namespace ?? 'default'}.pod.${CLUSTER_DOMAIN}` }]);
    return nx();
  }
}
