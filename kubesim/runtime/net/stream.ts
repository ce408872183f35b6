// A byte-stream connection to a simulated listener, for clients outside the simulated
// processes (kubectl port-forward). Listeners answer whole messages, so the stream
// frames what arrives: HTTP servers get each complete request (head plus a
// Content-Length body) and write the serialized response, keeping the connection
// open unless either side asked to close; other TCP servers answer every chunk.

import { Duplex } from 'node:stream';
import type { Listener, Peer } from '../images/types.ts';
import { parseRequest, serializeResponse, type HttpRequest } from './http.ts';

const HEAD_END = Buffer.from('\r\n\r\n');
/** A request head larger than this is refused as nginx does (431/400 territory): we just hang up. */
const MAX_HEAD = 64 * 1024;

function wantsClose(req: HttpRequest): boolean {
  const c = (req.headers.get('connection') ?? '').toLowerCase();
  return c.includes('close') || (req.version === 'HTTP/1.0' && !c.includes('keep-alive'));
}

function responseCloses(headers: [string, string][]): boolean {
  return headers.some(([k, v]) => k.toLowerCase() === 'connection' && v.toLowerCase().includes('close'));
}

export function listenerStream(listener: Listener, peer: Peer): Duplex {
  let pending = Buffer.alloc(0);
  let done = false;
  const stream = new Duplex({
    allowHalfOpen: true,
    read() {
      // Replies are pushed as requests complete.
    },
    write(chunk: Buffer, _enc, cb) {
      if (done) return cb();
      if (listener.http) {
        pending = Buffer.concat([pending, chunk]);
        serveHttp();
      } else if (listener.tcp) {
        const reply = listener.tcp(chunk.toString('utf8'), peer);
        if (reply) stream.push(Buffer.from(reply, 'utf8'));
      }
      cb();
    },
    final(cb) {
      // The client finished sending: the server answers what it has and closes.
      finish();
      cb();
    },
  });

  const finish = (): void => {
    if (done) return;
    done = true;
    stream.push(null);
  };

  const serveHttp = (): void => {
    const http = listener.http;
    while (http && !done) {
      const end = pending.indexOf(HEAD_END);
      if (end < 0) {
        if (pending.length > MAX_HEAD) finish();
        return;
      }
      const head = pending.subarray(0, end + HEAD_END.length).toString('latin1');
      const req = parseRequest(head);
      if (!req) {
        stream.push(Buffer.from('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'));
        return finish();
      }
      const length = Number(req.headers.get('content-length') ?? '0') || 0;
      if (pending.length < end + HEAD_END.length + length) return;
      req.body = pending.subarray(end + HEAD_END.length, end + HEAD_END.length + length).toString('utf8');
      pending = pending.subarray(end + HEAD_END.length + length);
      const res = http(req, peer);
      stream.push(Buffer.from(serializeResponse(res, req.version), 'utf8'));
      if (wantsClose(req) || responseCloses(res.headers)) return finish();
    }
  };
  return stream;
}
