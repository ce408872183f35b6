// The lean WebSocket client against `ws`'s server (an implementation nobody here wrote)
// and against a raw socket that sends what `ws` never would: frames split at every
// byte, masked server frames, a wrong handshake.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { openWebSocket } from '../../server/cluster/lean/websocket.ts';

const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const servers: http.Server[] = [];
// Upgraded sockets leave the HTTP server's books: each is destroyed by hand.
const sockets = new Set<Socket>();

afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

interface Seen {
  messages: { data: Buffer; binary: boolean }[];
  errors: string[];
  refused?: { statusCode: number; body: string };
}

/** Connects to `server` and resolves with what the client saw once the connection is gone (or refused). */
async function connect(server: http.Server, protocols = PROTOCOLS): Promise<Seen> {
  const { port } = server.address() as AddressInfo;
  const seen: Seen = { messages: [], errors: [] };
  return new Promise((resolve) => {
    openWebSocket(new URL(`http://127.0.0.1:${port}/exec?command=ls`), protocols, { headers: { Authorization: 'Bearer t' }, agent: new http.Agent({ keepAlive: true }) }, {
      message: (data, binary) => seen.messages.push({ data: Buffer.from(data), binary }),
      unexpectedResponse: (statusCode, body) => {
        seen.refused = { statusCode, body };
        resolve(seen);
      },
      error: (error) => seen.errors.push(error.message),
      close: () => resolve(seen),
    });
  });
}

async function listening(server: http.Server): Promise<http.Server> {
  servers.push(server);
  server.on('connection', (socket: Socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** An HTTP server whose upgrades go to a `ws` server; `handle` plays the apiserver's part. */
async function wsServer(handle: (socket: WebSocket) => void, choose: (offered: Set<string>) => string | false = (offered) => PROTOCOLS.find((p) => offered.has(p)) ?? false) {
  const wss = new WebSocketServer({ noServer: true, handleProtocols: choose });
  const server = http.createServer();
  server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => handle(ws)));
  return listening(server);
}

/** An HTTP server that accepts the upgrade by hand and then writes `bytes` one at a time. */
async function rawServer(bytes: Buffer, accept = (key: string) => createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64')) {
  const server = http.createServer();
  server.on('upgrade', (req, socket: Socket) => {
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept(String(req.headers['sec-websocket-key']))}\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n`,
    );
    let i = 0;
    const next = () => {
      if (i >= bytes.length) return socket.end();
      socket.write(bytes.subarray(i, ++i), next);
    };
    next();
  });
  return listening(server);
}

/** An unmasked server frame. */
function frame(opcode: number, payload: Buffer, fin = true): Buffer {
  const head = payload.length < 126 ? Buffer.from([0, payload.length]) : Buffer.from([0, 126, payload.length >> 8, payload.length & 0xff]);
  head[0] = (fin ? 0x80 : 0) | opcode;
  return Buffer.concat([head, payload]);
}

describe('openWebSocket against ws', () => {
  it('receives binary and text messages of every length encoding, fragments joined, then the close handshake', async () => {
    const long = Buffer.alloc(70_000, 7); // a 64-bit length
    const medium = Buffer.alloc(300, 3); // a 16-bit length
    let closeCode: number | undefined;
    let headers: http.IncomingHttpHeaders = {};
    const server = await wsServer((ws) => {
      ws.send(Buffer.from([1, 104, 105]));
      ws.send('text');
      ws.send(medium);
      ws.send(long);
      ws.send(Buffer.from([1, 97]), { fin: false, binary: true });
      ws.send(Buffer.from([98]), { fin: false, binary: true });
      ws.send(Buffer.from([99]), { fin: true, binary: true });
      ws.on('close', (code) => (closeCode = code));
      ws.close(1000);
    });
    server.prependListener('upgrade', (req: http.IncomingMessage) => (headers = req.headers));
    const seen = await connect(server);
    expect(seen.errors).toEqual([]);
    expect(seen.messages.map((m) => [m.binary, m.data.length])).toEqual([[true, 3], [false, 4], [true, 300], [true, 70_000], [true, 4]]);
    expect(seen.messages[0]!.data).toEqual(Buffer.from([1, 104, 105]));
    expect(seen.messages[3]!.data.equals(long)).toBe(true);
    expect(seen.messages[4]!.data).toEqual(Buffer.from([1, 97, 98, 99]));
    // The client answered the close: ws saw the code it sent, not an abnormal 1006.
    await expect.poll(() => closeCode).toBe(1000);
    expect(headers['authorization']).toBe('Bearer t');
    expect(headers['sec-websocket-protocol']).toBe('v5.channel.k8s.io, v4.channel.k8s.io');
  });

  it('answers a ping with a pong carrying the same payload', async () => {
    let pong: Buffer | undefined;
    const server = await wsServer((ws) => {
      ws.on('pong', (data) => {
        pong = data;
        ws.close(1000);
      });
      ws.ping(Buffer.from('are you there'));
    });
    const seen = await connect(server);
    expect(seen.errors).toEqual([]);
    expect(pong?.toString()).toBe('are you there');
  });

  it('takes the older protocol when the server chooses it, and refuses a server that chooses none', async () => {
    const v4 = await wsServer((ws) => ws.close(1000), () => 'v4.channel.k8s.io');
    expect((await connect(v4)).errors).toEqual([]);
    const none = await wsServer((ws) => ws.close(1000), () => false);
    expect((await connect(none)).errors).toEqual(['the server chose no offered subprotocol (none)']);
  });

  it('terminates an open connection at once, without waiting for the server', async () => {
    let serverSaw: number | undefined;
    const server = await wsServer((ws) => {
      ws.on('close', (code) => (serverSaw = code));
      ws.send(Buffer.from([1, 120]));
    });
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => {
      const socket = openWebSocket(new URL(`http://127.0.0.1:${port}/`), PROTOCOLS, { headers: {}, agent: new http.Agent() }, {
        message: () => socket.terminate(),
        unexpectedResponse: () => {},
        error: () => {},
        close: resolve,
      });
    });
    // No close frame was sent: the server sees the connection drop (1006).
    await expect.poll(() => serverSaw).toBe(1006);
  });
});

describe('openWebSocket against a raw server', () => {
  it('reassembles frames that arrive one byte at a time', async () => {
    const bytes = Buffer.concat([frame(2, Buffer.from([1, 111, 107])), frame(9, Buffer.from('p')), frame(2, Buffer.alloc(200, 5)), frame(8, Buffer.from([0x03, 0xe8]))]);
    const seen = await connect(await rawServer(bytes));
    expect(seen.errors).toEqual([]);
    expect(seen.messages.map((m) => m.data.length)).toEqual([3, 200]);
    expect(seen.messages[0]!.data).toEqual(Buffer.from([1, 111, 107]));
  });

  it('fails on a masked server frame, a continuation with no message, reserved bits, and a wrong accept header', async () => {
    const masked = Buffer.from([0x82, 0x81, 1, 2, 3, 4, 5]);
    expect((await connect(await rawServer(masked))).errors).toEqual(['WebSocket protocol error: the server masked a frame']);
    const orphan = frame(0, Buffer.from('x'));
    expect((await connect(await rawServer(orphan))).errors).toEqual(['WebSocket protocol error: the server continued a message it never started']);
    const reserved = Buffer.from([0xc2, 0x00]);
    expect((await connect(await rawServer(reserved))).errors).toEqual(['WebSocket protocol error: the server set reserved bits (no extension was agreed)']);
    const wrongAccept = await rawServer(frame(2, Buffer.from([1])), () => 'bm90IHRoZSBhbnN3ZXI=');
    const seen = await connect(wrongAccept);
    expect(seen.errors).toEqual(['the server sent a wrong Sec-WebSocket-Accept header']);
    expect(seen.messages).toEqual([]);
  });

  it('hands over the body of a refused upgrade', async () => {
    const server = await listening(
      http.createServer((_req, res) => {
        res.writeHead(403, { 'Content-Type': 'application/json' });
        res.end('{"kind":"Status","status":"Failure","message":"forbidden","code":403}');
      }),
    );
    const seen = await connect(server);
    expect(seen.refused).toEqual({ statusCode: 403, body: '{"kind":"Status","status":"Failure","message":"forbidden","code":403}' });
  });

  it('reports a server that is not there', async () => {
    const server = await listening(http.createServer());
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const error = await new Promise<string>((resolve) =>
      openWebSocket(new URL(`http://127.0.0.1:${port}/`), PROTOCOLS, { headers: {}, agent: new http.Agent() }, {
        message: () => {},
        unexpectedResponse: () => resolve('refused'),
        error: (e) => resolve(e.message),
        close: () => resolve('closed'),
      }),
    );
    expect(error).toMatch(/ECONNREFUSED/);
  });
});
