// What BIND's tools print about records: master-file columns, rdata text, and the
// few facts about CoreDNS's answers they show (TTL, the SOA of an empty answer).
// Source: bind9 lib/dns/masterdump.c (dns_master_style_debug: TTL at column 24,
// class 32, type 40, rdata 48, tabs of 8); coredns plugin/kubernetes (ttl 5 by
// default; NXDOMAIN and NODATA carry the zone's SOA: ns.dns.<zone>, hostmaster.<zone>).

import type { DnsRecord } from '../../images/types.ts';
import { CLUSTER_DOMAIN } from '../../net/dns.ts';

/** CoreDNS kubernetes plugin: `ttl` defaults to 5 seconds. */
export const RECORD_TTL = 5;
/** The SOA's minimum TTL (the negative-caching TTL CoreDNS puts on it). */
export const SOA_TTL = 30;

export const absolute = (name: string): string => (name.endsWith('.') ? name : `${name}.`);

/** The column a line ends at, tabs expanded to multiples of 8. */
function width(line: string): number {
  let col = 0;
  for (const ch of line) col = ch === '\t' ? (col + 8) & ~7 : col + 1;
  return col;
}

/** Pad to a master-file column as BIND does: tabs to reach it, one space when already past. */
function column(line: string, at: number): string {
  let col = width(line);
  if (col >= at) return `${line} `;
  let out = line;
  while (col < at) {
    out += '\t';
    col = (col + 8) & ~7;
  }
  return out;
}

/** The rdata as dig prints it: names absolute (SRV target, CNAME, PTR). */
export function rdata(r: DnsRecord): string {
  if (r.type === 'A' || r.type === 'AAAA') return r.data;
  if (r.type === 'SRV') {
    const [prio, weight, port, target] = r.data.split(' ');
    return `${prio} ${weight} ${port} ${absolute(target ?? '')}`;
  }
  return absolute(r.data);
}

/** One resource record line of an answer or authority section. */
export function recordLine(owner: string, ttl: number, type: string, data: string): string {
  let line = column(absolute(owner), 24) + String(ttl);
  line = column(line, 32) + 'IN';
  line = column(line, 40) + type;
  return column(line, 48) + data;
}

/** A question line: `;name.` then class and type (no TTL column). */
export function questionLine(name: string, type: string): string {
  let line = column(`;${absolute(name)}`, 32) + 'IN';
  line = column(line, 40) + type;
  return line;
}

/** CoreDNS's SOA for the cluster zone (serial: the zone's last change, seconds). */
export function clusterSoa(nowMs: number): { owner: string; data: string } {
  const zone = `${CLUSTER_DOMAIN}.`;
  return { owner: zone, data: `ns.dns.${zone} hostmaster.${zone} ${Math.floor(nowMs / 1000)} 7200 1800 86400 ${SOA_TTL}` };
}

export function inClusterZone(name: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  return n === CLUSTER_DOMAIN || n.endsWith(`.${CLUSTER_DOMAIN}`) || n.endsWith('.in-addr.arpa');
}

/** Length of a name in DNS wire format (labels with their length bytes, then the root). */
export function wireLength(name: string): number {
  const labels = name.replace(/\.$/, '').split('.').filter(Boolean);
  return labels.reduce((n, l) => n + l.length + 1, 0) + 1;
}

/** The nameserver from /etc/resolv.conf (first `nameserver` line). */
export function resolvConfServer(conf: string | undefined): string {
  return (conf ?? '').match(/^nameserver\s+(\S+)/m)?.[1] ?? '10.96.0.10';
}
