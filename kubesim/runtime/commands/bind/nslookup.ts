// nslookup from bind-tools 9.20 (netshoot, tutum/dnsutils) — not busybox's: the server
// line is `Address:\t<ip>#53`, the search list is walked with ndots (first name that
// exists wins, NXDOMAIN on the way is silent), A then AAAA for that name, and only a
// name that exists nowhere is "** server can't find <name as typed>: NXDOMAIN" (exit 1).
// Source: bind9 bin/dig/nslookup.c (printsection, printrdata, trying/search handling).

import type { DnsRecord, Program } from '../../images/types.ts';
import { candidates, isIPv4 } from '../../net/resolve.ts';
import { timeout, type Proc } from '../../proc.ts';
import { ask, reverseName } from './query.ts';
import { absolute, rdata, resolvConfServer } from './zone.ts';

function line(r: DnsRecord): string {
  if (r.type === 'A' || r.type === 'AAAA') return `Name:\t${r.name.replace(/\.$/, '')}\nAddress: ${r.data}\n`;
  const owner = r.name.replace(/\.$/, '');
  if (r.type === 'CNAME') return `${owner}\tcanonical name = ${rdata(r)}\n`;
  if (r.type === 'SRV') return `${owner}\tservice = ${rdata(r)}\n`;
  return `${owner}\tname = ${rdata(r)}\n`;
}

export const nslookupBind: Program = function* (argv, ctx): Proc<number> {
  let type: string | undefined;
  let timeoutSec = 5, retries = 3;
  const args: string[] = [];
  for (const a of argv.slice(1)) {
    const t = /^-(?:type|query|querytype|q|t)=(\w+)$/i.exec(a);
    if (t) { type = (t[1] ?? 'A').toUpperCase(); continue; }
    const to = /^-timeout=(\d+)$/.exec(a);
    if (to) { timeoutSec = Number(to[1]); continue; }
    const re = /^-retry=(\d+)$/.exec(a);
    if (re) { retries = Number(re[1]) + 1; continue; }
    if (a.startsWith('-')) continue;
    args.push(a);
  }
  const name = args[0];
  if (!name) {
    // Without a host nslookup goes interactive; with stdin closed it reads EOF and exits.
    return 0;
  }
  const server = args[1] ?? resolvConfServer(ctx.self.file('/etc/resolv.conf'));
  const head = `Server:\t\t${server}\nAddress:\t${server}#53\n\n`;
  const reverse = isIPv4(name);
  const qtype = reverse ? 'PTR' : (type ?? 'A');
  const names = reverse ? [reverseName(name)] : name.endsWith('.') ? [name.slice(0, -1)] : candidates(ctx, name);
  for (const n of names) {
    const r = ask(ctx, n, qtype);
    if (r.rcode === 'TIMEOUT') {
      let out = '';
      for (let i = 0; i < retries; i++) {
        yield* timeout(timeoutSec * 1000);
        out += `;; communications error to ${server}#53: timed out\n`;
      }
      ctx.io.out(`${out};; no servers could be reached\n\n`);
      return 1;
    }
    if (r.rcode === 'NXDOMAIN') continue;
    if (r.rcode !== 'NOERROR') {
      ctx.io.out(`${head}** server can't find ${name}: ${r.rcode}\n\n`);
      return 1;
    }
    let out = head + r.answers.map(line).join('');
    // No type given: the AAAA query for the same name follows (printed only if it has records).
    if (!type && !reverse) out += ask(ctx, n, 'AAAA').answers.filter((a) => a.type === 'AAAA').map(line).join('');
    if (r.answers.length === 0 && (type || reverse)) out += `*** Can't find ${absolute(n).slice(0, -1)}: No answer\n`;
    ctx.io.out(`${out}\n`);
    return 0;
  }
  ctx.io.out(`${head}** server can't find ${name}: NXDOMAIN\n\n`);
  return 1;
};
