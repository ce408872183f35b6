// SPDY/3 header blocks: a 32-bit count, then length-prefixed name/value pairs, carried
// in ONE zlib stream per direction that starts with the SPDY dictionary and is
// sync-flushed after every block (section 2.6.10). Decoding runs the peer's stream
// through node's zlib with that dictionary, one block at a time, in frame order.
// Encoding writes stored (uncompressed) deflate blocks, each followed by the empty
// stored block a sync flush emits: a valid zlib stream any inflater reads, with no
// compressor state to keep. Headers we send are a handful of bytes.

import { constants, createInflate, type Inflate } from 'node:zlib';
import { SPDY3_DICTIONARY } from './dictionary.ts';

export type HeaderMap = Map<string, string>;

export function encodeHeaderBlock(headers: [string, string][]): Buffer {
  const parts: Buffer[] = [];
  const count = Buffer.alloc(4);
  count.writeUInt32BE(headers.length);
  parts.push(count);
  for (const [name, value] of headers) {
    for (const s of [name.toLowerCase(), value]) {
      const b = Buffer.from(s, 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32BE(b.length);
      parts.push(len, b);
    }
  }
  return Buffer.concat(parts);
}

/** Parse an uncompressed block; undefined when it is truncated or malformed. */
export function decodeHeaderBlock(block: Buffer): HeaderMap | undefined {
  if (block.length < 4) return undefined;
  const count = block.readUInt32BE(0);
  const out: HeaderMap = new Map();
  let at = 4;
  const next = (): string | undefined => {
    if (block.length - at < 4) return undefined;
    const len = block.readUInt32BE(at);
    at += 4;
    if (block.length - at < len) return undefined;
    const s = block.subarray(at, at + len).toString('utf8');
    at += len;
    return s;
  };
  for (let i = 0; i < count; i++) {
    const name = next();
    const value = next();
    if (name === undefined || value === undefined) return undefined;
    out.set(name.toLowerCase(), value);
  }
  return out;
}

function adler32(data: Buffer): number {
  let a = 1, b = 0;
  for (const byte of data) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** Our direction's zlib stream, written as stored blocks. */
export class HeaderEncoder {
  private started = false;

  compress(headers: [string, string][]): Buffer {
    const raw = encodeHeaderBlock(headers);
    const parts: Buffer[] = [];
    if (!this.started) {
      this.started = true;
      // CMF 0x78 (deflate, 32 KiB window); FLG 0xbb has FDICT set and makes the pair a multiple of 31.
      const head = Buffer.alloc(6);
      head[0] = 0x78;
      head[1] = 0xbb;
      head.writeUInt32BE(adler32(SPDY3_DICTIONARY), 2);
      parts.push(head);
    }
    // A block never is empty (it holds at least the pair count).
    for (let at = 0; at < raw.length; at += 0xffff) {
      const chunk = raw.subarray(at, at + 0xffff);
      const stored = Buffer.alloc(5);
      stored[0] = 0x00; // BFINAL 0, BTYPE 00 (stored); the rest of the byte is padding
      stored.writeUInt16LE(chunk.length, 1);
      stored.writeUInt16LE(~chunk.length & 0xffff, 3);
      parts.push(stored, chunk);
    }
    // An empty stored block ends every block, as zlib's sync flush does: Go's inflater
    // hands out a stored block's bytes only once it has read the next block header.
    parts.push(Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]));
    return Buffer.concat(parts);
  }
}

/** The peer's zlib stream: blocks must be fed in the order their frames arrived. */
export class HeaderDecoder {
  private readonly inflate: Inflate = createInflate({ dictionary: SPDY3_DICTIONARY });
  private output: Buffer[] = [];
  private failure: Error | undefined;
  /** Rejects the block being decoded: after a zlib error the flush callback never comes. */
  private abort: ((e: Error) => void) | undefined;

  constructor() {
    this.inflate.on('data', (chunk: Buffer) => this.output.push(chunk));
    this.inflate.on('error', (e: Error) => {
      this.failure = e;
      this.abort?.(e);
    });
  }

  decompress(block: Buffer): Promise<HeaderMap> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.abort = reject;
      this.inflate.write(block);
      this.inflate.flush(constants.Z_SYNC_FLUSH, () => {
        this.abort = undefined;
        if (this.failure) return reject(this.failure);
        const raw = Buffer.concat(this.output);
        this.output = [];
        const headers = decodeHeaderBlock(raw);
        if (!headers) reject(new Error('malformed SPDY header block'));
        else resolve(headers);
      });
    });
  }

  close(): void {
    this.inflate.destroy();
  }
}
