// SPDY/3.1 framing: an 8-byte header, then the payload. Control frames start with the
// control bit and version 3; data frames with a 31-bit stream id. Header blocks stay
// compressed here (headers.ts owns the zlib streams).
// Source: SPDY Protocol Draft 3.1, section 2.2 (framing) and 2.6 (control frames).

export const SPDY_VERSION = 3;

export const FrameType = {
  SynStream: 1,
  SynReply: 2,
  RstStream: 3,
  Settings: 4,
  Ping: 6,
  GoAway: 7,
  Headers: 8,
  WindowUpdate: 9,
} as const;

export const FLAG_FIN = 0x01;

/** RST_STREAM status codes (section 2.6.3). */
export const RstStatus = { ProtocolError: 1, InvalidStream: 2, RefusedStream: 3, Cancel: 5, InternalError: 6 } as const;

export type Frame =
  | { control: true; type: number; flags: number; payload: Buffer }
  | { control: false; streamId: number; flags: number; payload: Buffer };

/** Largest payload a 24-bit length can carry. */
export const MAX_PAYLOAD = 0xffffff;

/** Split complete frames off the front of `buf`; `rest` is the incomplete tail. */
export function readFrames(buf: Buffer): { frames: Frame[]; rest: Buffer } {
  const frames: Frame[] = [];
  let at = 0;
  while (buf.length - at >= 8) {
    const length = buf.readUIntBE(at + 5, 3);
    if (buf.length - at - 8 < length) break;
    const flags = buf[at + 4] ?? 0;
    const payload = buf.subarray(at + 8, at + 8 + length);
    const first = buf.readUInt32BE(at);
    if (first & 0x80000000) frames.push({ control: true, type: first & 0xffff, flags, payload });
    else frames.push({ control: false, streamId: first & 0x7fffffff, flags, payload });
    at += 8 + length;
  }
  return { frames, rest: buf.subarray(at) };
}

function header(first: number, flags: number, length: number): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt32BE(first >>> 0, 0);
  h[4] = flags;
  h.writeUIntBE(length, 5, 3);
  return h;
}

export function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  return Buffer.concat([header((0x8000 | SPDY_VERSION) * 0x10000 + type, flags, payload.length), payload]);
}

export function dataFrame(streamId: number, flags: number, payload: Buffer): Buffer {
  return Buffer.concat([header(streamId & 0x7fffffff, flags, payload.length), payload]);
}

function u32(...values: number[]): Buffer {
  const b = Buffer.alloc(4 * values.length);
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, 4 * i));
  return b;
}

export function synReply(streamId: number, flags: number, headerBlock: Buffer): Buffer {
  return controlFrame(FrameType.SynReply, flags, Buffer.concat([u32(streamId & 0x7fffffff), headerBlock]));
}

export function rstStream(streamId: number, status: number): Buffer {
  return controlFrame(FrameType.RstStream, 0, u32(streamId & 0x7fffffff, status));
}

export function goAway(lastGoodStreamId: number, status: number): Buffer {
  return controlFrame(FrameType.GoAway, 0, u32(lastGoodStreamId & 0x7fffffff, status));
}

/** SYN_STREAM's fixed part: stream id, associated stream id, priority and slot, then the header block. */
export function parseSynStream(payload: Buffer): { streamId: number; headerBlock: Buffer } | undefined {
  if (payload.length < 10) return undefined;
  return { streamId: payload.readUInt32BE(0) & 0x7fffffff, headerBlock: payload.subarray(10) };
}

/** The stream id that leads RST_STREAM, WINDOW_UPDATE and HEADERS payloads. */
export function leadingStreamId(payload: Buffer): number | undefined {
  return payload.length >= 4 ? payload.readUInt32BE(0) & 0x7fffffff : undefined;
}
