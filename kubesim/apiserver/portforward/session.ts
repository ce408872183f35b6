// The server end of a SPDY/3.1 connection as kubectl's client (moby/spdystream)
// drives it: the client opens streams (odd ids) with SYN_STREAM, we accept each with
// SYN_REPLY, data flows in DATA frames, FIN half-closes, RST_STREAM aborts, PINGs are
// echoed, GOAWAY ends the session. Each accepted stream is a node Duplex.
// No flow control is enforced in either direction: spdystream neither sends
// WINDOW_UPDATE nor waits for one, and port-forward payloads are small.
// Source: SPDY Protocol Draft 3.1; moby/spdystream connection.go (stream handling);
// apimachinery/pkg/util/httpstream/spdy/connection.go (the reply on accept).

import { Duplex } from 'node:stream';
import { dataFrame, FLAG_FIN, FrameType, goAway, leadingStreamId, MAX_PAYLOAD, parseSynStream, readFrames, rstStream, RstStatus, synReply, type Frame } from './frames.ts';
import { HeaderDecoder, HeaderEncoder, type HeaderMap } from './headers.ts';

export class SpdyStream extends Duplex {
  constructor(readonly id: number, readonly headers: HeaderMap, private readonly session: SpdySession) {
    super({ allowHalfOpen: true });
  }

  override _read(): void {
    // Data is pushed as frames arrive.
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.session.sendData(this.id, chunk, false);
    cb();
  }

  override _final(cb: (e?: Error | null) => void): void {
    this.session.sendData(this.id, Buffer.alloc(0), true);
    cb();
  }

  /** Abort the stream (RST_STREAM CANCEL) instead of closing it cleanly. */
  reset(): void {
    this.session.reset(this.id);
    this.destroy();
  }
}

export interface SpdySessionOptions {
  /** Decide about a new stream; throw or return false to refuse it (RST_STREAM REFUSED_STREAM). */
  onStream: (stream: SpdyStream) => boolean | void;
  /** The connection ended (either side). */
  onClose?: () => void;
}

export class SpdySession {
  private readonly streams = new Map<number, SpdyStream>();
  private readonly decoder = new HeaderDecoder();
  private readonly encoder = new HeaderEncoder();
  private pending: Buffer = Buffer.alloc(0);
  /** Frames are handled strictly in order: header blocks share one zlib stream. */
  private queue: Promise<void> = Promise.resolve();
  private lastStreamId = 0;
  private closed = false;

  constructor(private readonly conn: Duplex, private readonly options: SpdySessionOptions) {
    conn.on('data', (chunk: Buffer) => this.receive(chunk));
    conn.on('end', () => this.close());
    conn.on('close', () => this.close());
    conn.on('error', () => this.close());
  }

  private receive(chunk: Buffer): void {
    const { frames, rest } = readFrames(Buffer.concat([this.pending, chunk]));
    this.pending = Buffer.from(rest);
    for (const frame of frames) {
      this.queue = this.queue.then(() => this.handle(frame)).catch(() => this.fail());
    }
  }

  private async handle(frame: Frame): Promise<void> {
    if (this.closed) return;
    if (!frame.control) return this.onData(frame.streamId, frame.flags, frame.payload);
    switch (frame.type) {
      case FrameType.SynStream: return this.onSynStream(frame.flags, frame.payload);
      case FrameType.RstStream: {
        const id = leadingStreamId(frame.payload);
        const s = id === undefined ? undefined : this.streams.get(id);
        if (s) {
          this.streams.delete(s.id);
          s.destroy();
        }
        return;
      }
      case FrameType.Ping:
        // Echo the client's ping (odd ids are the client's).
        return this.write(Buffer.concat([Buffer.from([0x80, 0x03, 0x00, FrameType.Ping, 0, 0, 0, 4]), frame.payload.subarray(0, 4)]));
      case FrameType.GoAway:
        return this.close();
      case FrameType.Headers:
        // Header blocks must still pass through the shared zlib stream to keep it in step.
        if (frame.payload.length > 4) await this.decoder.decompress(frame.payload.subarray(4));
        return;
      default:
        // SETTINGS and WINDOW_UPDATE: nothing to do without flow control.
        return;
    }
  }

  private async onSynStream(flags: number, payload: Buffer): Promise<void> {
    const syn = parseSynStream(payload);
    if (!syn) return this.fail();
    const headers = await this.decoder.decompress(syn.headerBlock);
    if (this.closed) return;
    if (syn.streamId <= this.lastStreamId || syn.streamId % 2 === 0 || this.streams.has(syn.streamId)) {
      this.write(rstStream(syn.streamId, RstStatus.ProtocolError));
      return;
    }
    this.lastStreamId = syn.streamId;
    const stream = new SpdyStream(syn.streamId, headers, this);
    let accepted: boolean | void;
    try {
      accepted = this.options.onStream(stream);
    } catch {
      accepted = false;
    }
    if (accepted === false) {
      this.write(rstStream(syn.streamId, RstStatus.RefusedStream));
      stream.destroy();
      return;
    }
    this.streams.set(stream.id, stream);
    stream.on('close', () => this.streams.delete(stream.id));
    this.write(synReply(stream.id, 0, this.encoder.compress([])));
    if (flags & FLAG_FIN) stream.push(null);
  }

  private onData(streamId: number, flags: number, payload: Buffer): void {
    const s = this.streams.get(streamId);
    if (!s) {
      this.write(rstStream(streamId, RstStatus.InvalidStream));
      return;
    }
    if (payload.length) s.push(Buffer.from(payload));
    if (flags & FLAG_FIN) s.push(null);
  }

  sendData(streamId: number, data: Buffer, fin: boolean): void {
    for (let at = 0; at < data.length; at += MAX_PAYLOAD) {
      const last = at + MAX_PAYLOAD >= data.length;
      this.write(dataFrame(streamId, fin && last ? FLAG_FIN : 0, data.subarray(at, at + MAX_PAYLOAD)));
    }
    if (data.length === 0) this.write(dataFrame(streamId, fin ? FLAG_FIN : 0, data));
  }

  reset(streamId: number): void {
    this.write(rstStream(streamId, RstStatus.Cancel));
    this.streams.delete(streamId);
  }

  private write(buf: Buffer): void {
    if (!this.closed && this.conn.writable) this.conn.write(buf);
  }

  /** A protocol error: tell the client and hang up. */
  private fail(): void {
    if (this.closed) return;
    this.write(goAway(this.lastStreamId, 1));
    this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.streams.values()) s.destroy();
    this.streams.clear();
    this.decoder.close();
    // Let a final GOAWAY drain before the socket goes.
    this.conn.end(() => this.conn.destroy());
    this.options.onClose?.();
  }
}
