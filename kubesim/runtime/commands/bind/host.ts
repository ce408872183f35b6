// host from bind-tools 9.20: the search list with ndots, then one line per record
// ("has address", "is an alias for", "has SRV record", "domain name pointer");
// a missing name: "Host web not found: 3(NXDOMAIN)", exit 1.
// Source: bind9 bin/dig/host.c (rr_names, printrdata via say_message).

import type { Program } from '../../images/types.ts';
import { candidates, isIPv4 } from '../../net/resolve.ts';
import { timeout, type Proc } from '../../proc.ts';
import { ask, reverseName } from './query.ts';
import { rdata } from './zone.ts';

const SAYS: Record<string, string> = { A: 'has address', AAAA: 'has IPv6 address', CNAME: 'is an alias for', SRV: 'has SRV record', PTR: 'domain name pointer' };

export const host: Program = function* (argv, ctx): Proc<number> {
  let type: string | undefined;
  const args: string[] = [];
  const rest = argv.slice(1);
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] ?? '';
    if (a === '-t') { type = (rest[++i] ?? '').toUpperCase(); continue; }
    if (a.startsWith('-')) continue;
    args.push(a);
  }
  const name = args[0];
  if (!name) {
    ctx.io.err('Usage: host [-aCdilrTvVw] [-c class] [-N ndots] [-t type] [-W time]\n            [-R number] [-m flag] [-p port] hostname [server]\n');
    return 1;
  }
  const reverse = isIPv4(name);
  const names = reverse ? [reverseName(name)] : name.endsWith('.') ? [name.slice(0, -1)] : candidates(ctx, name);
  // With no -t, host asks A, AAAA and MX; only A and CNAME exist in the cluster zone.
  const types = reverse ? ['PTR'] : type ? [type] : ['A', 'AAAA'];
  for (const n of names) {
    const first = ask(ctx, n, types[0] ?? 'A');
    if (first.rcode === 'TIMEOUT') {
      yield* timeout(10_000);
      ctx.io.out(`;; connection timed out; no servers could be reached\n`);
      return 1;
    }
    if (first.rcode === 'NXDOMAIN') continue;
    let out = '';
    for (const t of types) {
      const r = t === types[0] ? first : ask(ctx, n, t);
      for (const rec of r.answers) out += `${rec.name.replace(/\.$/, '')} ${SAYS[rec.type] ?? rec.type} ${rec.type === 'A' || rec.type === 'AAAA' ? rec.data : rdata(rec)}\n`;
    }
    out = [...new Set(out.split('\n'))].filter(Boolean).map((l) => `${l}\n`).join('');
    if (out === '' && type) out = `${n} has no ${type} record\n`;
    ctx.io.out(out);
    return 0;
  }
  ctx.io.out(`Host ${name} not found: 3(NXDOMAIN)\n`);
  return 1;
};
