// getent hosts|ahosts|ahostsv4 NAME through the libc resolver (search list, ndots:5);
// exit 2 when a key is not found. Source: glibc nss/getent.c.

import type { Program } from '../images/types.ts';
import { resolveHost } from '../net/resolve.ts';
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
    const r = resolveHost(ctx, key);
    if ('error' in r) {
      if (r.error === 'timeout') yield* timeout(10_000);
      status = 2;
      continue;
    }
    // The canonical name printed is the name that resolved (the FQDN after the search list).
    const canonical = r.name;
    for (const ip of r.ips) {
      if (db === 'hosts') { ctx.io.out(`${ip.padEnd(15)} ${canonical}\n`); break; }
      ctx.io.out(`${ip.padEnd(15)} STREAM ${canonical}\n${ip.padEnd(15)} DGRAM  \n${ip.padEnd(15)} RAW    \n`);
    }
  }
  return status;
};
