// SPDY/3.1 pieces against node's own zlib (the reference inflater/deflater) and a real
// TCP socket: header blocks in one shared zlib stream per direction, frame splitting,
// and the session's replies (SYN_REPLY, PING echo, RST for unknown or refused streams).

import { createServer, connect, type Server, type Socket } from 'node:net';
import { constants, createDeflate, inflateSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { SPDY3_DICTIONARY } from './dictionary.ts';
import { controlFrame, dataFrame, FLAG_FIN, FrameType, readFrames, RstStatus, type Frame } from './frames.ts';
import { decodeHeaderBlock, encodeHeaderBlock, HeaderDecoder, HeaderEncoder } from './headers.ts';
import { SpdySession, type SpdyStream } from './session.ts';

/** The peer's compressor as Go's framer runs it: one deflate stream with the dictionary, sync-flushed per block. */
function peerCompressor(): (headers: [string, string][]) => Promise<Buffer> {
  const deflate = createDeflate({ dictionary: SPDY3_DICTIONARY });
  const out: Buffer[] = [];
  deflate.on('data', (c: Buffer) => out.push(c));
  return async (headers) => {
    deflate.write(encodeHeaderBlock(headers));
    await new Promise<void>((resolve) => deflate.flush(constants.Z_SYNC_FLUSH, () => resolve()));
    return Buffer.concat(out.splice(0));
  };
}

function u32(...v: number[]): Buffer {
  const b = Buffer.alloc(4 * v.length);
  v.forEach((x, i) => b.writeUInt32BE(x, 4 * i));
  return b;
}

function synStream(id: number, block: Buffer, flags = 0): Buffer {
  return controlFrame(FrameType.SynStream, flags, Buffer.concat([u32(id, 0), Buffer.from([0, 0]), block]));
}

describe('SPDY header blocks', () => {
  it('our blocks form one zlib stream with the SPDY dictionary that a reference inflater reads', () => {
    const enc = new HeaderEncoder();
    const first = enc.compress([['Status', '200']]);
    const second = enc.compress([]);
    expect(first.subarray(0, 2)).toEqual(Buffer.from([0x78, 0xbb]));
    // The second block continues the stream: no zlib header of its own.
    expect(second[0]).toBe(0x00);
    const all = inflateSync(Buffer.concat([first, second]), { dictionary: SPDY3_DICTIONARY, finishFlush: constants.Z_SYNC_FLUSH });
    const one = encodeHeaderBlock([['status', '200']]);
    expect(decodeHeaderBlock(all.subarray(0, one.length))).toEqual(new Map([['status', '200']]));
    expect(decodeHeaderBlock(all.subarray(one.length))).toEqual(new Map());
  });

  it('decodes the peer\'s blocks in order, each depending on the shared window', async () => {
    const compress = peerCompressor();
    const dec = new HeaderDecoder();
    const headers: [string, string][] = [['streamType', 'error'], ['port', '8080'], ['requestID', '0']];
    const a = await compress(headers);
    const b = await compress(headers);
    // The repeat is mostly back-references into the first block: it cannot be read alone.
    expect(b.length).toBeLessThan(a.length);
    expect(await dec.decompress(a)).toEqual(new Map([['streamtype', 'error'], ['port', '8080'], ['requestid', '0']]));
    expect((await dec.decompress(b)).get('port')).toBe('8080');
    dec.close();
  });

  it('rejects a truncated block', () => {
    expect(decodeHeaderBlock(Buffer.from([0, 0, 0, 1, 0, 0, 0, 9, 0x61]))).toBeUndefined();
  });
});

describe('SPDY frames', () => {
  it('splits control and data frames and keeps an incomplete tail', () => {
    const bytes = Buffer.concat([controlFrame(FrameType.Ping, 0, u32(7)), dataFrame(3, FLAG_FIN, Buffer.from('hi'))]);
    const partial = readFrames(bytes.subarray(0, bytes.length - 1));
    expect(partial.frames).toEqual([{ control: true, type: FrameType.Ping, flags: 0, payload: u32(7) }]);
    expect(partial.rest.length).toBe(9);
    const whole = readFrames(bytes);
    expect(whole.frames[1]).toEqual({ control: false, streamId: 3, flags: FLAG_FIN, payload: Buffer.from('hi') });
    expect(whole.rest.length).toBe(0);
  });
});

describe('SpdySession over a socket', () => {
  let server: Server | undefined;
  let client: Socket | undefined;
  afterEach(async () => {
    client?.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  /** A session whose streams echo what they receive upper-cased; streams of type "nope" are refused. */
  async function start(): Promise<{ send: (b: Buffer) => void; next: () => Promise<Frame> }> {
    server = createServer((socket) => {
      new SpdySession(socket, {
        onStream: (s: SpdyStream) => {
          if (s.headers.get('streamtype') === 'nope') return false;
          s.on('data', (d: Buffer) => s.write(d.toString().toUpperCase()));
          s.on('end', () => s.end());
          return true;
        },
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
    const port = (server.address() as { port: number }).port;
    const sock = connect(port, '127.0.0.1');
    client = sock;
    let buf = Buffer.alloc(0);
    const frames: Frame[] = [];
    const waiting: ((f: Frame) => void)[] = [];
    sock.on('data', (c: Buffer) => {
      const r = readFrames(Buffer.concat([buf, c]));
      buf = Buffer.from(r.rest);
      for (const f of r.frames) {
        const w = waiting.shift();
        if (w) w(f); else frames.push(f);
      }
    });
    return {
      send: (b) => sock.write(b),
      next: () => new Promise((resolve) => {
        const f = frames.shift();
        if (f) resolve(f); else waiting.push(resolve);
      }),
    };
  }

  it('replies to SYN_STREAM, carries data both ways, half-closes with FIN, echoes PING and resets unknown streams', async () => {
    const { send, next } = await start();
    const compress = peerCompressor();
    send(synStream(1, await compress([['streamType', 'data']])));
    const reply = await next();
    expect(reply).toMatchObject({ control: true, type: FrameType.SynReply });
    expect(reply.payload.readUInt32BE(0)).toBe(1);
    send(dataFrame(1, 0, Buffer.from('hello')));
    expect(await next()).toEqual({ control: false, streamId: 1, flags: 0, payload: Buffer.from('HELLO') });
    send(dataFrame(1, FLAG_FIN, Buffer.alloc(0)));
    expect(await next()).toEqual({ control: false, streamId: 1, flags: FLAG_FIN, payload: Buffer.alloc(0) });
    send(controlFrame(FrameType.Ping, 0, u32(5)));
    expect(await next()).toEqual({ control: true, type: FrameType.Ping, flags: 0, payload: u32(5) });
    send(dataFrame(9, 0, Buffer.from('x')));
    const rst = await next();
    expect(rst).toMatchObject({ control: true, type: FrameType.RstStream });
    expect([rst.payload.readUInt32BE(0), rst.payload.readUInt32BE(4)]).toEqual([9, RstStatus.InvalidStream]);
  });

  it('refuses a stream the handler declines with RST_STREAM REFUSED_STREAM', async () => {
    const { send, next } = await start();
    const compress = peerCompressor();
    send(synStream(1, await compress([['streamType', 'nope']])));
    const rst = await next();
    expect(rst).toMatchObject({ control: true, type: FrameType.RstStream });
    expect([rst.payload.readUInt32BE(0), rst.payload.readUInt32BE(4)]).toEqual([1, RstStatus.RefusedStream]);
  });

  it('a header block that is not zlib ends the session with GOAWAY', async () => {
    const { send, next } = await start();
    send(synStream(1, Buffer.from('definitely not zlib')));
    expect(await next()).toMatchObject({ control: true, type: FrameType.GoAway });
  });
});
