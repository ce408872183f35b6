// The query the BIND tools send for one name and type. The simulated cluster DNS
// answers A, AAAA, SRV and PTR; for any other type (MX, TXT, CNAME, ANY, ...) the
// name's existence is what CoreDNS's kubernetes plugin tells: NXDOMAIN for a missing
// name, else an empty answer — plus the CNAME of an ExternalName Service, which
// answers every type.

import type { DnsRecord, DnsReply, DnsType, ProcCtx } from '../../images/types.ts';

const ASKABLE = new Set<string>(['A', 'AAAA', 'SRV', 'PTR']);

export function ask(ctx: ProcCtx, name: string, type: string): DnsReply {
  const bare = name.replace(/\.$/, '');
  if (ASKABLE.has(type)) return ctx.sys.query(ctx.self, bare, type as DnsType);
  const probe = ctx.sys.query(ctx.self, bare, 'A');
  if (probe.rcode !== 'NOERROR') return probe;
  const cnames: DnsRecord[] = probe.answers.filter((a) => a.type === 'CNAME');
  return { rcode: 'NOERROR', answers: cnames };
}

export function reverseName(ip: string): string {
  return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
}
