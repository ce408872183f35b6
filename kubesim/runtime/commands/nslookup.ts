// busybox 1.36 nslookup (FEATURE_NSLOOKUP_BIG): A queries for the name (a dotless name:
// for each search domain instead, never the bare name), then the same AAAA queries; all
// are sent at once and replies printed as they arrive (here: in sending order), each
// followed by a blank line; NXDOMAIN anywhere → exit 1. Output shape per KUBESIM.md §5.
// Source: busybox networking/nslookup.c (send_queries, parse_reply, add_query_with_search).

import type { DnsReply, DnsType, Program } from '../images/types.ts';
import { isIPv4, searchList } from '../net/resolve.ts';
import { timeout, type Proc } from '../proc.ts';

export const nslookup: Program = function* (argv, ctx): Proc<number> {
  let type: DnsType | undefined;
  let timeoutSec = 5;
  const args: string[] = [];
  for (const a of argv.slice(1)) {
    const t = /^-(?:type|query|q|t)=(\w+)$/i.exec(a);
    if (t) { type = (t[1] ?? 'A').toUpperCase() as DnsType; continue; }
    const to = /^-timeout=(\d+)$/.exec(a);
    if (to) { timeoutSec = Number(to[1]); continue; }
    if (a.startsWith('-')) continue;
    args.push(a);
  }
  const name = args[0];
  if (!name) {
    ctx.io.err('BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n\nQUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any\n');
    return 1;
  }
  const server = args[1] ?? (ctx.self.file('/etc/resolv.conf') ?? '').match(/^nameserver\s+(\S+)/m)?.[1] ?? '10.96.0.10';
  const queries: { name: string; type: DnsType }[] = [];
  if (isIPv4(name)) queries.push({ name: `${name.split('.').reverse().join('.')}.in-addr.arpa`, type: 'PTR' });
  else {
    const search = name.includes('.') ? [] : searchList(ctx);
    const names = search.length ? search.map((d) => `${name}.${d}`) : [name.replace(/\.$/, '')];
    const types: DnsType[] = type ? [type] : ['A', 'AAAA'];
    for (const t of types) for (const n of names) queries.push({ name: n, type: t });
  }
  const replies: { q: { name: string; type: DnsType }; r: DnsReply }[] = queries.map((q) => ({ q, r: ctx.sys.query(ctx.self, q.name, q.type) }));
  if (replies.every(({ r }) => r.rcode === 'TIMEOUT')) {
    yield* timeout(timeoutSec * 1000);
    ctx.io.out(';; connection timed out; no servers could be reached\n\n');
    return 1;
  }
  let out = `Server:\t\t${server}\nAddress:\t${server}:53\n\n`;
  let status = 0;
  for (const { q, r } of replies) {
    if (r.rcode === 'TIMEOUT') continue;
    if (r.rcode !== 'NOERROR') {
      out += `** server can't find ${q.name}: ${r.rcode}\n\n`;
      status = 1;
      continue;
    }
    for (const a of r.answers) {
      if (a.type === 'A' || a.type === 'AAAA') out += `Name:\t${a.name}\nAddress: ${a.data}\n`;
      else if (a.type === 'CNAME') out += `${a.name}\tcanonical name = ${a.data}\n`;
      else if (a.type === 'SRV') out += `${a.name}\tservice = ${a.data}\n`;
      else if (a.type === 'PTR') out += `${a.name}\tname = ${a.data}\n`;
    }
    out += '\n';
  }
  ctx.io.out(out);
  return status;
};
