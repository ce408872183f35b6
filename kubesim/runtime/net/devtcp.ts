// bash's /dev/tcp/<host>/<port> (and /dev/udp) redirections: getaddrinfo, then
// connect() to each address in turn through the simulated network (DNS, kube-proxy,
// NetworkPolicy, the target's listener). Failures print what bash 5.2 prints, for
// example
//   bash: connect: Connection refused
//   bash: /dev/tcp/db/5432: Connection refused
//   bash: nohost: Name or service not known
//   bash: /dev/tcp/nohost/80: Invalid argument
// Source: bash lib/sh/netopen.c (_netopen6, netopen) and redir.c (redirection_error).

import type { Listener, Peer, ProcCtx } from '../images/types.ts';
import { timeout, type Proc } from '../proc.ts';
import { resolveHost } from './resolve.ts';
import { listenerStream } from './stream.ts';

export interface DevTcpPath {
  protocol: 'TCP' | 'UDP';
  host: string;
  service: string;
}

export function parseDevTcp(path: string): DevTcpPath | undefined {
  const m = /^\/dev\/(tcp|udp)\/([^/]+)\/([^/]+)$/.exec(path);
  if (!m) return undefined;
  return { protocol: m[1] === 'udp' ? 'UDP' : 'TCP', host: m[2] ?? '', service: m[3] ?? '' };
}

export type DevTcpOpen =
  /** Connected: writes go to the server; what it answers is not read back. */
  | { ok: true; write: (s: string) => void }
  /** Lines to print after the shell's name ("bash: "), then the redirection fails. */
  | { ok: false; messages: string[] };

/** What the kernel does with a SYN nobody answers: ~127 s of retries (tcp_syn_retries 6). */
const SYN_TIMEOUT_MS = 127_000;

export function* openDevTcp(ctx: ProcCtx, path: string, dev: DevTcpPath): Proc<DevTcpOpen> {
  const port = /^\d+$/.test(dev.service) ? Number(dev.service) : NaN;
  if (!(port >= 0 && port <= 65535)) {
    return { ok: false, messages: [`${dev.service}: Servname not supported for ai_socktype`, `${path}: Invalid argument`] };
  }
  const resolved = resolveHost(ctx, dev.host);
  if ('error' in resolved) {
    const why = resolved.error === 'timeout' ? 'Temporary failure in name resolution' : 'Name or service not known';
    return { ok: false, messages: [`${dev.host}: ${why}`, `${path}: Invalid argument`] };
  }
  let last = 'Connection refused';
  for (const ip of resolved.ips) {
    const conn = ctx.sys.connect(ctx.self, ip, port, dev.protocol);
    if (conn.kind === 'ok') return { ok: true, write: sender(conn.listener, conn.peer) };
    if (conn.kind === 'drop') {
      yield* timeout(SYN_TIMEOUT_MS);
      last = 'Connection timed out';
    } else last = 'Connection refused';
  }
  return { ok: false, messages: [`connect: ${last}`, `${path}: ${last}`] };
}

/** Bytes written to the descriptor reach the server (an HTTP server logs a complete request). */
function sender(listener: Listener, peer: Peer): (s: string) => void {
  const stream = listenerStream(listener, peer);
  stream.resume();
  return (s) => {
    if (!stream.writableEnded) stream.write(Buffer.from(s, 'utf8'));
  };
}
