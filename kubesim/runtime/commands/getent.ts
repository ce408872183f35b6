// getent hosts|ahosts|ahostsv4 KEY through the libc resolver (search list, ndots:5);
// exit 2 when a key is not found. Source: glibc nss/getent.c (print_hosts,
// hosts_keys, ahosts_keys_int).

import type { Program } from '../images/types.ts';
import { hostsFile, resolveHost } from '../net/resolve.ts';
import { timeout, type Proc } from '../proc.ts';

export const getent: Program = function* (argv, ctx): Proc<number> {
  const db = argv[1];
  const keys = argv.slice(2);
  if (!db) {
    ctx.io.err('getent: wrong number of arguments\nTry `getent --help\' or `getent --usage\' for more information.\n');
    return 1;
  }
  if (db !== 'hosts' && db !== 'ahosts' && db !== 'ahostsv4') {
    if (db === 'passwd' && keys.length === 0) { ctx.io.out('root:x:0:0:root:/root:/bin/bash\n'); return 0; }
    ctx.io.err(`Unknown database: ${db}\n`);
    return 1;
  }
  let status = 0;
  for (const key of keys) {
    // hosts_keys tries gethostbyname2(AF_INET6) first: only /etc/hosts has IPv6 entries
    // here (cluster DNS has no AAAA records), so `getent hosts localhost` answers ::1.
    const r = (db === 'hosts' ? hostsFile(ctx, key, 6) : undefined) ?? resolveHost(ctx, key);
    if ('error' in r) {
      if (r.error === 'timeout') yield* timeout(10_000);
      status = 2;
      continue;
    }
    const aliases = r.aliases?.length ? ` ${r.aliases.join(' ')}` : '';
    // print_hosts: one line per address, each with h_name and the aliases.
    if (db === 'hosts') for (const ip of r.ips) ctx.io.out(`${ip.padEnd(15)} ${r.name}${aliases}\n`);
    else {
      // getaddrinfo sets ai_canonname on the first result only; three socket types per address.
      r.ips.forEach((ip, i) => {
        ctx.io.out(`${ip.padEnd(15)} STREAM ${i === 0 ? r.name : ''}\n${ip.padEnd(15)} DGRAM  \n${ip.padEnd(15)} RAW    \n`);
      });
    }
  }
  return status;
};
