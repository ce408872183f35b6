// Kubelet probes: httpGet (200–399 succeeds), tcpSocket, exec (exit 0), grpc. Failure
// messages as the kubelet records them in events.
// Source: pkg/probe/http/http.go, pkg/probe/tcp/tcp.go, pkg/probe/exec/exec.go.

import { z } from 'zod';
import type { ProbeResult } from '../core/runtime.ts';
import type { ContainerInstance } from './containers.ts';
import { exchange } from './net/client.ts';
import { resolveContainerPort, type Network } from './net/system.ts';
import type { PodView } from './podspec.ts';
import { drive, Killed, type Waiter } from './proc.ts';
import { emptyStdin } from './shell/interp.ts';

const ProbeSchema = z.object({
  httpGet: z.object({
    path: z.string().optional(),
    port: z.union([z.number(), z.string()]),
    host: z.string().optional(),
    scheme: z.string().optional(),
    httpHeaders: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
  }).optional(),
  tcpSocket: z.object({ port: z.union([z.number(), z.string()]), host: z.string().optional() }).optional(),
  exec: z.object({ command: z.array(z.string()).optional() }).optional(),
  grpc: z.object({ port: z.number(), service: z.string().optional() }).optional(),
  timeoutSeconds: z.number().optional(),
});

export interface ProbeParams {
  pod: PodView;
  container: string;
  instance: ContainerInstance | undefined;
  probe: Record<string, unknown>;
  network: Network;
  waiter: Waiter;
}

type ParsedProbe = ReturnType<typeof ProbeSchema.safeParse>;

/** Parsed probes of frozen (stored) Pod specs: the same probe runs every period, parse it once. */
const parsedProbes = new WeakMap<object, ParsedProbe>();

function parseProbe(probe: Record<string, unknown>): ParsedProbe {
  if (!Object.isFrozen(probe)) return ProbeSchema.safeParse(probe);
  let parsed = parsedProbes.get(probe);
  if (!parsed) parsedProbes.set(probe, (parsed = ProbeSchema.safeParse(probe)));
  return parsed;
}

export function probeContainer(p: ProbeParams): ProbeResult {
  const parsed = parseProbe(p.probe);
  if (!parsed.success) return { success: false, message: `invalid probe: ${parsed.error.message}` };
  const probe = parsed.data;
  const ip = p.pod.status?.podIP ?? '';
  if (probe.httpGet) {
    const g = probe.httpGet;
    const port = resolveContainerPort(p.pod, p.container, g.port);
    if (port === undefined) return { success: false, message: `unable to resolve port "${String(g.port)}"` };
    const host = g.host ?? ip;
    let path = g.path ?? '/';
    if (!path.startsWith('/')) path = `/${path}`;
    const scheme = (g.scheme ?? 'HTTP').toLowerCase();
    const url = `${scheme}://${host}:${port}${path}`;
    const conn = p.network.connectFromNode(p.pod, host, port);
    if (conn.kind !== 'ok') {
      return { success: false, message: `Get "${url}": dial tcp ${host}:${port}: ${conn.kind === 'refused' ? 'connect: connection refused' : 'i/o timeout (Client.Timeout exceeded while awaiting headers)'}` };
    }
    if (scheme === 'https') return { success: false, message: `Get "${url}": http: server gave HTTP response to HTTPS client` };
    const headers = new Map<string, string>([['host', `${host}:${port}`], ['user-agent', 'kube-probe/1.32'], ['accept', '*/*'], ['connection', 'close']]);
    for (const h of g.httpHeaders ?? []) headers.set(h.name.toLowerCase(), h.value);
    const ex = exchange(conn, { method: 'GET', target: path, version: 'HTTP/1.1', headers, body: '' });
    if (ex.kind === 'empty') return { success: false, message: `Get "${url}": EOF` };
    const status = ex.response.status;
    if (status >= 200 && status < 400) return { success: true };
    return { success: false, message: `HTTP probe failed with statuscode: ${status}` };
  }
  if (probe.tcpSocket) {
    const port = resolveContainerPort(p.pod, p.container, probe.tcpSocket.port);
    if (port === undefined) return { success: false, message: `unable to resolve port "${String(probe.tcpSocket.port)}"` };
    const host = probe.tcpSocket.host ?? ip;
    const conn = p.network.connectFromNode(p.pod, host, port);
    if (conn.kind === 'ok') return { success: true };
    return { success: false, message: `dial tcp ${host}:${port}: ${conn.kind === 'refused' ? 'connect: connection refused' : 'i/o timeout'}` };
  }
  if (probe.exec) {
    const argv = probe.exec.command ?? [];
    if (!p.instance) return { success: false, message: `container not running` };
    const program = p.instance.image.programs[(argv[0] ?? '').split('/').pop() ?? ''];
    if (!program) {
      return { success: false, message: `OCI runtime exec failed: exec failed: unable to start container process: exec: "${argv[0] ?? ''}": executable file not found in $PATH: unknown` };
    }
    let output = '';
    const d = drive(program(argv, { io: { out: (s) => { output += s; }, err: (s) => { output += s; }, stdin: emptyStdin }, env: new Map(p.instance.env), self: p.instance, sys: p.network }), p.waiter);
    if (!d.done) {
      // The probe's deadline (timeoutSeconds, default 1) passes before a waiting command ends.
      d.cancel();
      d.promise.catch((e: unknown) => { if (!(e instanceof Killed)) throw e; });
      return { success: false, message: `command ${JSON.stringify(argv.join(' '))} timed out` };
    }
    return d.value === 0 ? { success: true } : { success: false, message: output.trimEnd() };
  }
  if (probe.grpc) {
    return { success: false, message: `timeout: failed to connect service "${ip}:${probe.grpc.port}" within ${probe.timeoutSeconds ?? 1}s: context deadline exceeded` };
  }
  return { success: false, message: 'unknown probe handler' };
}
