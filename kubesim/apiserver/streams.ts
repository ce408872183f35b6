// The streaming Pod subresources: exec (WebSocket upgrade, handed to the runtime's
// PodIO) and log. kubectl tries the WebSocket first and falls back to SPDY (POST
// with Upgrade: SPDY/3.1) on any refusal; we serve WebSockets only, so a SPDY
// request gets the same Status the WebSocket attempt got (or an explanation),
// never a hang. Source: k8s.io/client-go/tools/remotecommand/fallback.go.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { StatusError, badRequest } from '../core/errors.ts';
import type { AttachRequest, ExecRequest, PodIO } from '../core/podio.ts';
import type { StoredObject } from '../core/types.ts';
import { execQuery, logQuery, parseQuery } from './query.ts';

/** Write a Status as a complete HTTP response on a raw (not upgraded) socket, then close it. */
export function refuseUpgrade(socket: Duplex, err: StatusError): void {
  const body = JSON.stringify(err.toStatus());
  const head = [
    `HTTP/1.1 ${err.code} ${STATUS_CODES[err.code] ?? 'Error'}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '', '',
  ].join('\r\n');
  if (socket.writable) socket.end(head + body);
  else socket.destroy();
}

export function execRequest(pod: StoredObject, params: URLSearchParams): ExecRequest {
  const q = parseQuery(execQuery, params);
  const command = params.getAll('command');
  if (command.length === 0) throw badRequest('you must specify at least 1 command');
  return {
    pod,
    container: q.container || undefined,
    command,
    stdin: q.stdin ?? false,
    stdout: q.stdout ?? false,
    stderr: q.stderr ?? false,
    tty: q.tty ?? false,
  };
}

export function attachRequest(pod: StoredObject, params: URLSearchParams): AttachRequest {
  const q = parseQuery(execQuery, params);
  return {
    pod,
    container: q.container || undefined,
    stdin: q.stdin ?? false,
    stdout: q.stdout ?? false,
    stderr: q.stderr ?? false,
    tty: q.tty ?? false,
  };
}

/** Remembers why the last WebSocket exec of a URL was refused, for kubectl's SPDY retry. */
export class RefusalMemo {
  private readonly entries = new Map<string, StatusError>();
  remember(url: string, err: StatusError): void {
    this.entries.delete(url);
    this.entries.set(url, err);
    if (this.entries.size > 64) this.entries.delete(this.entries.keys().next().value!);
  }
  take(url: string): StatusError | undefined {
    const err = this.entries.get(url);
    this.entries.delete(url);
    return err;
  }
}

export function spdyRefusal(memo: RefusalMemo, url: string): StatusError {
  return memo.take(url) ?? new StatusError(400, 'BadRequest',
    'kubesim serves exec only over WebSockets (v5.channel.k8s.io); SPDY is not supported: upgrade kubectl to v1.30 or newer');
}

export function requirePodIO(podIO: PodIO | undefined): PodIO {
  if (!podIO) throw new StatusError(503, 'ServiceUnavailable', 'no container runtime is attached to this API server');
  return podIO;
}

export function serveLogs(podIO: PodIO | undefined, pod: StoredObject, params: URLSearchParams, res: ServerResponse): void {
  const q = parseQuery(logQuery, params);
  requirePodIO(podIO).logs({
    pod,
    container: q.container || undefined,
    follow: q.follow ?? false,
    previous: q.previous ?? false,
    timestamps: q.timestamps ?? false,
    tailLines: q.tailLines,
    sinceSeconds: q.sinceSeconds,
    limitBytes: q.limitBytes,
  }, res);
}

export function isWebSocketUpgrade(req: IncomingMessage): boolean {
  return req.method === 'GET' && (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
}
