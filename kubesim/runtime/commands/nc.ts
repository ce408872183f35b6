// busybox 1.36 nc (nc_bloaty with NC_110_COMPAT): `nc -z [-v] [-w SEC] host port`,
// `nc [-w SEC] host port` sending stdin and printing what the server answers.
// Source: busybox networking/nc_bloaty.c.

import type { Program } from '../images/types.ts';
import { rawExchange } from '../net/client.ts';
import { resolveHost } from '../net/resolve.ts';
import { timeout, type Proc } from '../proc.ts';

export const nc: Program = function* (argv, ctx): Proc<number> {
  let zero = false, verbose = false, udp = false;
  let wait: number | undefined;
  const pos: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '-w') wait = Number(argv[++i]);
    else if (/^-w\d+$/.test(a)) wait = Number(a.slice(2));
    else if (/^-[zvunl]+$/.test(a)) {
      zero ||= a.includes('z'); verbose ||= a.includes('v'); udp ||= a.includes('u');
    } else pos.push(a);
  }
  const [host, portStr] = pos;
  if (!host || !portStr) {
    ctx.io.err('BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: nc [OPTIONS] HOST PORT  - connect\nnc [OPTIONS] -l -p PORT [HOST] [PORT]  - listen\n');
    return 1;
  }
  const port = Number(portStr);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    ctx.io.err(`nc: bad port '${portStr}'\n`);
    return 1;
  }
  const res = resolveHost(ctx, host);
  if ('error' in res) {
    ctx.io.err(`nc: bad address '${host}'\n`);
    return 1;
  }
  const ip = res.ips[0] ?? '';
  const conn = ctx.sys.connect(ctx.self, ip, port, udp ? 'UDP' : 'TCP');
  if (conn.kind === 'refused') {
    if (verbose || !zero) ctx.io.err(`nc: ${host} (${ip}:${port}): Connection refused\n`);
    return 1;
  }
  if (conn.kind === 'drop') {
    // No -w: the kernel gives up on the SYN after its retries (~2 minutes).
    yield* timeout((wait ?? 127) * 1000);
    if (verbose || !zero) ctx.io.err(`nc: ${host} (${ip}:${port}): ${wait !== undefined ? 'Connection timed out' : 'Connection timed out'}\n`);
    return 1;
  }
  if (zero) {
    if (verbose) ctx.io.err(`${host} (${ip}:${port}) open\n`);
    return 0;
  }
  const data = yield* ctx.io.stdin.readAll();
  ctx.io.out(rawExchange(conn, data));
  return 0;
};
