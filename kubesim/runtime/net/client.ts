// One HTTP exchange over a simulated connection, shared by wget, curl and probes, so
// every request reaches the server's handler (and its access log) the same way.

import type { ConnectResult } from '../images/types.ts';
import { parseRequest, reasonPhrase, serializeRequest, type HttpRequest, type HttpResponse } from './http.ts';

export type Exchange =
  | { kind: 'response'; response: HttpResponse }
  /** Connected, but the server closed without an HTTP answer (e.g. postgres on 5432). */
  | { kind: 'empty' };

export function exchange(conn: Extract<ConnectResult, { kind: 'ok' }>, req: HttpRequest): Exchange {
  if (conn.listener.http) return { kind: 'response', response: conn.listener.http(req, conn.peer) };
  if (conn.listener.tcp) conn.listener.tcp(serializeRequest(req), conn.peer);
  return { kind: 'empty' };
}

/** Bytes a raw TCP client (nc) gets back for what it sent. */
export function rawExchange(conn: Extract<ConnectResult, { kind: 'ok' }>, data: string): string {
  if (conn.listener.tcp) return conn.listener.tcp(data, conn.peer);
  if (conn.listener.http) {
    const req = parseRequest(data);
    if (!req) return '';
    const res = conn.listener.http(req, conn.peer);
    let s = `${req.version} ${res.status} `;
    s += `${reasonPhrase(res.status)}\r\n`;
    for (const [k, v] of res.headers) s += `${k}: ${v}\r\n`;
    return `${s}\r\n${res.headOnly ? '' : res.body}`;
  }
  return '';
}

export interface Url {
  scheme: string;
  host: string;
  port: number;
  target: string;
}

/** http://host[:port]/path — the scheme is optional as curl and wget allow. */
export function parseUrl(raw: string): Url | undefined {
  const m = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):\/\/)?([^/:?#]+)(?::(\d*))?([/?].*)?$/.exec(raw);
  if (!m) return undefined;
  const scheme = (m[1] ?? 'http').toLowerCase();
  const port = m[3] ? Number(m[3]) : scheme === 'https' ? 443 : scheme === 'telnet' ? 23 : 80;
  return { scheme, host: m[2] ?? '', port, target: m[4]?.startsWith('?') ? `/${m[4]}` : m[4] ?? '/' };
}

export function makeRequest(method: string, url: Url, headers: [string, string][]): HttpRequest {
  const map = new Map<string, string>();
  map.set('host', url.port === 80 ? url.host : `${url.host}:${url.port}`);
  for (const [k, v] of headers) map.set(k.toLowerCase(), v);
  return { method, target: url.target, version: 'HTTP/1.1', headers: map, body: '' };
}
