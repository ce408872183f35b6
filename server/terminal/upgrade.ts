// The terminal's WebSocket: GET /api/v1/exercises/{id}/terminal with an Upgrade. Fastify
// has no WebSocket routes of its own, so this answers the HTTP server's `upgrade` event,
// with the same sign-in as the API: the portal's session cookie (a browser) or an API
// token. A browser's upgrade must come from this site's own pages (Origin = Host), or any
// site a learner visits could open their shell with their cookie.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { BEARER, SESSION_COOKIE, type Authenticate, type Caller } from '../http/routes/environments-auth.ts';
import type { Terminals } from './terminals.ts';

const PATH = /^\/api\/v1\/exercises\/([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)\/terminal$/;

function refuse(socket: Duplex, status: number, reason: string, message: string): void {
  const body = JSON.stringify({ error: reason, message });
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** Who is asking, or why not (status, reason, message). */
function callerOf(req: IncomingMessage, authenticate: Authenticate): Caller | [number, string, string] {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const match = BEARER.exec(header);
    const user = match ? authenticate.bearer(match[1]!) : undefined;
    return user ?? [401, 'Unauthorized', 'unknown, expired or revoked API token'];
  }
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let host: string | undefined;
    try {
      host = new URL(origin).host;
    } catch {
      host = undefined;
    }
    if (host !== req.headers.host) return [403, 'Forbidden', 'the terminal opens only from kubelab’s own pages'];
  }
  const secret = cookieValue(req.headers.cookie, SESSION_COOKIE);
  const found = secret ? authenticate.session(secret) : undefined;
  return found?.user ?? [401, 'Unauthorized', 'sign in to open the terminal'];
}

export function handleTerminalUpgrades(server: Server, authenticate: Authenticate, terminals: Terminals): () => void {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 128 * 1024 });
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = PATH.exec(url.pathname);
    if (!match) return refuse(socket, 404, 'Not Found', 'no WebSocket here');
    const caller = callerOf(req, authenticate);
    if (Array.isArray(caller)) return refuse(socket, ...caller);
    wss.handleUpgrade(req, socket, head, (ws) => void terminals.open(caller.id, match[1]!, ws));
  };
  server.on('upgrade', onUpgrade);
  return () => {
    server.off('upgrade', onUpgrade);
    terminals.closeAll();
    wss.close();
  };
}
