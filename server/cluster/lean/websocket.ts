// The WebSocket client side (RFC 6455) that the exec subresource needs, and no more:
// one upgrade request, the server's frames read and reassembled, pings answered and the
// close handshake. The command's output only flows from the server, so the client never
// sends data, only control frames. `ws` does all this and much we do not use (the server
// side, compression, streams); bundled, it costs `kubelab grade` ~10 ms to load, with
// node:zlib. Tested against `ws`'s server in test/environments/lean-websocket.test.ts.
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';

export interface WebSocketEvents {
  /** A whole message (fragments joined); `binary` for opcode 2, false for text. */
  message(data: Buffer, binary: boolean): void;
  /** The server answered the upgrade request with something other than 101. */
  unexpectedResponse(statusCode: number, body: string): void;
  /** The request, the handshake or the connection failed; `close` follows once connected. */
  error(error: Error): void;
  /** The connection is gone (after a close handshake or not). */
  close(): void;
}

export interface WebSocketOptions {
  readonly headers: Record<string, string>;
  readonly agent: http.Agent;
}

/** The protocol's own constant, hashed with the client's key into the server's answer. */
const ACCEPT_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** Exec output is small; a message this large is a broken or hostile server. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

/**
 * Opens `url` (http: or https:, the path and query of the exec request) as a WebSocket
 * offering `protocols`; events arrive through `on`. `terminate()` drops the connection
 * at once, without a close handshake, as `ws`'s terminate does.
 */
export function openWebSocket(url: URL, protocols: readonly string[], options: WebSocketOptions, on: WebSocketEvents): { terminate(): void } {
  const key = randomBytes(16).toString('base64');
  const request = (url.protocol === 'https:' ? https : http).request(url, {
    headers: {
      ...options.headers,
      Connection: 'Upgrade',
      Upgrade: 'websocket',
      'Sec-WebSocket-Version': '13',
      'Sec-WebSocket-Key': key,
      'Sec-WebSocket-Protocol': protocols.join(', '),
    },
    agent: options.agent,
  });
  let socket: Duplex | undefined;
  request.on('error', (error) => on.error(error));
  request.on('response', (response) => {
    let body = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => (body += chunk));
    response.on('end', () => on.unexpectedResponse(response.statusCode ?? 0, body));
  });
  request.on('upgrade', (response: http.IncomingMessage, upgraded: Duplex, head: Buffer) => {
    socket = upgraded;
    upgraded.on('error', (error) => on.error(error));
    upgraded.once('close', () => on.close());
    const refused = handshakeProblem(response, key, protocols);
    if (refused !== undefined) {
      on.error(new Error(refused));
      upgraded.destroy();
      return;
    }
    const reader = new FrameReader(upgraded, on);
    if (head.length > 0) reader.push(head);
    upgraded.on('data', (chunk: Buffer) => reader.push(chunk));
  });
  request.end();
  return {
    terminate: () => {
      if (socket) socket.destroy();
      else request.destroy();
    },
  };
}

/** Why the server's 101 answer is not a WebSocket we asked for, or undefined when it is. */
function handshakeProblem(response: http.IncomingMessage, key: string, protocols: readonly string[]): string | undefined {
  if (response.headers.upgrade?.toLowerCase() !== 'websocket') return 'the server did not upgrade to a WebSocket';
  const expected = createHash('sha1').update(key + ACCEPT_GUID).digest('base64');
  if (response.headers['sec-websocket-accept'] !== expected) return 'the server sent a wrong Sec-WebSocket-Accept header';
  const chosen = response.headers['sec-websocket-protocol'];
  if (protocols.length > 0 && (chosen === undefined || !protocols.includes(chosen))) return `the server chose no offered subprotocol (${chosen ?? 'none'})`;
  return undefined;
}

/** Reads the server's frames off the socket as they arrive, in pieces of any size. */
class FrameReader {
  #pending: Buffer = Buffer.alloc(0);
  /** Fragments of a message not finished yet, and whether it started as binary. */
  #fragments: Buffer[] | undefined;
  #fragmentBytes = 0;
  #binary = false;
  #done = false;

  constructor(
    private readonly socket: Duplex,
    private readonly on: WebSocketEvents,
  ) {}

  push(chunk: Buffer): void {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    while (!this.#done && this.#readFrame());
  }

  /** Takes one whole frame off #pending; false when more bytes are needed. */
  #readFrame(): boolean {
    const data = this.#pending;
    if (data.length < 2) return false;
    const fin = (data[0]! & 0x80) !== 0;
    const opcode = data[0]! & 0x0f;
    if ((data[0]! & 0x70) !== 0) return this.#fail('the server set reserved bits (no extension was agreed)');
    if ((data[1]! & 0x80) !== 0) return this.#fail('the server masked a frame');
    let length = data[1]! & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (data.length < 4) return false;
      length = data.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (data.length < 10) return false;
      const long = data.readBigUInt64BE(2);
      if (long > BigInt(MAX_MESSAGE_BYTES)) return this.#fail('the server sent a frame over 64 MiB');
      length = Number(long);
      offset = 10;
    }
    if (data.length < offset + length) return false;
    const payload = data.subarray(offset, offset + length);
    this.#pending = data.subarray(offset + length);
    return opcode >= OPCODE.close ? this.#control(opcode, fin, payload) : this.#data(opcode, fin, payload);
  }

  #data(opcode: number, fin: boolean, payload: Buffer): boolean {
    if (opcode === OPCODE.continuation) {
      if (this.#fragments === undefined) return this.#fail('the server continued a message it never started');
    } else if (opcode === OPCODE.text || opcode === OPCODE.binary) {
      if (this.#fragments !== undefined) return this.#fail('the server started a message inside another');
      this.#fragments = [];
      this.#fragmentBytes = 0;
      this.#binary = opcode === OPCODE.binary;
    } else {
      return this.#fail(`the server sent an unknown opcode ${opcode}`);
    }
    this.#fragments.push(payload);
    this.#fragmentBytes += payload.length;
    if (this.#fragmentBytes > MAX_MESSAGE_BYTES) return this.#fail('the server sent a message over 64 MiB');
    if (!fin) return true;
    const message = this.#fragments.length === 1 ? this.#fragments[0]! : Buffer.concat(this.#fragments);
    this.#fragments = undefined;
    this.on.message(message, this.#binary);
    return true;
  }

  #control(opcode: number, fin: boolean, payload: Buffer): boolean {
    if (!fin || payload.length > 125) return this.#fail('the server fragmented a control frame or made it too long');
    if (opcode === OPCODE.ping) {
      this.socket.write(maskedControlFrame(OPCODE.pong, payload));
    } else if (opcode === OPCODE.close) {
      // Answer with the status code it sent, then the server closes the connection.
      this.socket.end(maskedControlFrame(OPCODE.close, payload.subarray(0, Math.min(payload.length, 2))));
      this.#done = true;
      return false;
    } else if (opcode !== OPCODE.pong) {
      return this.#fail(`the server sent an unknown opcode ${opcode}`);
    }
    return true;
  }

  #fail(message: string): false {
    this.#done = true;
    this.on.error(new Error(`WebSocket protocol error: ${message}`));
    this.socket.destroy();
    return false;
  }
}

/** A client's frames must be masked (RFC 6455 §5.3); only control frames are ever sent here. */
function maskedControlFrame(opcode: number, payload: Buffer): Buffer {
  const mask = randomBytes(4);
  const frame = Buffer.alloc(6 + payload.length);
  frame[0] = 0x80 | opcode;
  frame[1] = 0x80 | payload.length;
  mask.copy(frame, 2);
  for (let i = 0; i < payload.length; i++) frame[6 + i] = payload[i]! ^ mask[i & 3]!;
  return frame;
}
