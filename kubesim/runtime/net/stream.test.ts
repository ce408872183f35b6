// A byte stream in front of a message-level listener: HTTP requests framed by their
// head and Content-Length (split, pipelined, keep-alive or close), raw TCP per chunk.

import type { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Listener } from '../images/types.ts';
import { listenerStream } from './stream.ts';

const peer = { ip: '127.0.0.1', port: 40000 };

function collect(stream: Duplex): { text: () => string; ended: Promise<void> } {
  let text = '';
  stream.on('data', (c: Buffer) => { text += c.toString('utf8'); });
  const ended = new Promise<void>((resolve) => stream.on('end', () => resolve()));
  return { text: () => text, ended };
}

/** An HTTP server that answers with what it saw, and counts requests. */
function echoServer(seen: string[]): Listener {
  return {
    port: 80, protocol: 'TCP',
    http: (req) => {
      seen.push(`${req.method} ${req.target} ${JSON.stringify(req.body)}`);
      const body = `you sent ${req.target}`;
      return { status: 200, headers: [['Content-Length', String(Buffer.byteLength(body))]], body };
    },
  };
}

describe('listenerStream', () => {
  it('answers a request split over writes and pipelined requests in order, keeping the connection open', async () => {
    const seen: string[] = [];
    const s = listenerStream(echoServer(seen), peer);
    const out = collect(s);
    s.write('GET /a HTTP/1.1\r\nHo');
    s.write('st: x\r\n\r\nPOST /b HTTP/1.1\r\nContent-Length: 5\r\n\r\nhel');
    expect(seen).toEqual(['GET /a ""']);
    s.write('loGET /c HTTP/1.1\r\n\r\n');
    expect(seen).toEqual(['GET /a ""', 'POST /b "hello"', 'GET /c ""']);
    await new Promise((r) => setImmediate(r));
    expect(out.text().match(/you sent \/\w/g)).toEqual(['you sent /a', 'you sent /b', 'you sent /c']);
    expect(out.text().startsWith('HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n')).toBe(true);
    s.end();
    await out.ended;
  });

  it('closes after a response when the client asked to (Connection: close, HTTP/1.0)', async () => {
    for (const head of ['GET / HTTP/1.1\r\nConnection: close\r\n\r\n', 'GET / HTTP/1.0\r\n\r\n']) {
      const seen: string[] = [];
      const s = listenerStream(echoServer(seen), peer);
      const out = collect(s);
      s.write(`${head}GET /ignored HTTP/1.1\r\n\r\n`);
      await out.ended;
      expect(seen).toEqual(['GET / ""']);
      expect(out.text()).toMatch(/^HTTP\/1\.[01] 200 OK/);
    }
  });

  it('answers garbage with 400 and hangs up', async () => {
    const s = listenerStream(echoServer([]), peer);
    const out = collect(s);
    s.write('HELLO\r\n\r\n');
    await out.ended;
    expect(out.text()).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
  });

  it('feeds every chunk to a raw TCP server and ends when the client does', async () => {
    const got: string[] = [];
    const s = listenerStream({ port: 6379, protocol: 'TCP', tcp: (d) => { got.push(d); return d.startsWith('PING') ? '+PONG\r\n' : ''; } }, peer);
    const out = collect(s);
    s.write('PING\r\n');
    s.write('\x00\x00\x00\x08');
    s.end();
    await out.ended;
    expect(got).toEqual(['PING\r\n', '\x00\x00\x00\x08']);
    expect(out.text()).toBe('+PONG\r\n');
  });
});
