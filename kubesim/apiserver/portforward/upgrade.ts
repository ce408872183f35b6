// pods/portforward as kubectl 1.32 asks for it. It first tries SPDY tunnelled over a
// WebSocket (GET, subprotocol "SPDY/3.1+portforward.k8s.io": every binary message
// carries SPDY bytes), and on an upgrade failure falls back to plain SPDY (POST,
// Upgrade: SPDY/3.1, X-Stream-Protocol-Version: portforward.k8s.io). Both end in the
// same SPDY session. Refusals are Status JSON before any upgrade.
// Sources: client-go/tools/portforward/tunneling_dialer.go, fallback_dialer.go;
// client-go/transport/spdy/spdy.go (Negotiate); apimachinery/pkg/util/httpstream/spdy/upgrade.go.

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { createWebSocketStream, WebSocketServer } from 'ws';
import { badRequest, StatusError } from '../../core/errors.ts';
import type { PodIO } from '../../core/podio.ts';
import type { StoredObject } from '../../core/types.ts';
import { PortForwardStreams } from './forward.ts';
import { SpdySession } from './session.ts';

export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
export const TUNNELED_PROTOCOL = `SPDY/3.1+${PORT_FORWARD_PROTOCOL}`;

const PROTOCOL_TOKEN = 'spdy-3.1-portforward.k8s.io';
const wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => (offered.has(PROTOCOL_TOKEN) ? TUNNELED_PROTOCOL : false) });

function headerList(v: string | string[] | undefined): string[] {
  return (Array.isArray(v) ? v.join(',') : v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

export interface PortForwardUpgrade {
  podIO: PodIO | undefined;
  pod: StoredObject;
  req: IncomingMessage;
  socket: Duplex;
  head: Buffer;
  /** Registers the live session so the API server's close() ends it. */
  track(end: () => void): () => void;
}

function checkPod(pod: StoredObject): void {
  const spec = (pod['spec'] ?? {}) as { nodeName?: string };
  const status = (pod['status'] ?? {}) as { phase?: string };
  if (!spec.nodeName) throw badRequest(`pod ${pod.metadata.name} does not have a host assigned`);
  if (status.phase === 'Succeeded' || status.phase === 'Failed') {
    throw badRequest(`cannot port-forward to a completed pod; current phase is ${status.phase}`);
  }
}

/** Validate, upgrade (WebSocket tunnel or SPDY) and serve; throws StatusError before upgrading. */
export function upgradePortForward(u: PortForwardUpgrade): void {
  if (!u.podIO) throw new StatusError(503, 'ServiceUnavailable', 'no container runtime is attached to this API server');
  const podIO = u.podIO;
  checkPod(u.pod);
  const serve = (conn: Duplex): void => {
    const streams = new PortForwardStreams((port) => podIO.dial(u.pod, port));
    let untrack = (): boolean | void => undefined;
    const session = new SpdySession(conn, { onStream: (s) => streams.accept(s), onClose: () => untrack() });
    untrack = u.track(() => session.close());
  };
  const upgrade = (u.req.headers.upgrade ?? '').toLowerCase();
  if (u.req.method === 'GET' && upgrade === 'websocket') {
    if (!headerList(u.req.headers['sec-websocket-protocol']).includes(TUNNELED_PROTOCOL)) {
      throw badRequest(`unable to upgrade connection: port-forward over WebSockets needs the ${TUNNELED_PROTOCOL} subprotocol`);
    }
    // "/" is not a token character, so ws refuses the offer as written; hand it a token
    // and answer with the real name (handleProtocols' answer is sent as is).
    u.req.headers['sec-websocket-protocol'] = PROTOCOL_TOKEN;
    wss.handleUpgrade(u.req, u.socket, u.head, (ws) => serve(createWebSocketStream(ws)));
    return;
  }
  if (upgrade !== 'spdy/3.1') throw badRequest('unable to upgrade connection: missing upgrade headers in request');
  const offered = headerList(u.req.headers['x-stream-protocol-version']);
  if (!offered.includes(PORT_FORWARD_PROTOCOL)) {
    throw new StatusError(403, 'Forbidden', `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server accepts [${PORT_FORWARD_PROTOCOL}]`);
  }
  u.socket.write([
    'HTTP/1.1 101 Switching Protocols',
    'Connection: Upgrade',
    'Upgrade: SPDY/3.1',
    `X-Stream-Protocol-Version: ${PORT_FORWARD_PROTOCOL}`,
    '', '',
  ].join('\r\n'));
  // Bytes the client sent right after its request belong to the session.
  if (u.head.length) u.socket.unshift(u.head);
  serve(u.socket);
}
