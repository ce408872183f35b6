// The files the kubelet writes into every container: /etc/resolv.conf (by dnsPolicy),
// /etc/hosts (kubelet-managed) and /etc/hostname.
// Source: pkg/kubelet/network/dns/dns.go; pkg/kubelet/kubelet_pods.go managedHostsFileContent.

import { CLUSTER_DOMAIN, resolvConf } from './net/dns.ts';
import { podNamespace, type PodView } from './podspec.ts';

export function podHostname(pod: PodView): string {
  return (pod.spec.hostname ?? pod.metadata.name).slice(0, 63);
}

export function containerFiles(pod: PodView): Map<string, string> {
  const ns = podNamespace(pod);
  const hostname = podHostname(pod);
  const policy = pod.spec.dnsPolicy ?? 'ClusterFirst';
  let resolv: string;
  if (policy === 'None') {
    const c = pod.spec.dnsConfig ?? {};
    resolv = `${c.searches?.length ? `search ${c.searches.join(' ')}\n` : ''}${(c.nameservers ?? []).map((n) => `nameserver ${n}\n`).join('')}${c.options?.length ? `options ${c.options.map((o) => (o.value ? `${o.name}:${o.value}` : o.name)).join(' ')}\n` : ''}`;
  } else if (policy === 'Default' || (pod.spec.hostNetwork && policy !== 'ClusterFirstWithHostNet')) {
    resolv = 'nameserver 172.18.0.1\noptions edns0 trust-ad ndots:0\n';
  } else resolv = resolvConf(ns);
  const ip = pod.status?.podIP ?? '';
  const fqdn = pod.spec.subdomain ? `${hostname}.${pod.spec.subdomain}.${ns}.svc.${CLUSTER_DOMAIN}` : undefined;
  const hosts = `# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n${ip}\t${fqdn ? `${fqdn}\t` : ''}${hostname}\n`;
  return new Map([
    ['/etc/resolv.conf', resolv],
    ['/etc/hosts', hosts],
    ['/etc/hostname', `${hostname}\n`],
  ]);
}
