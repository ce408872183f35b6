// The kubelet's port-forward stream handler over one SPDY session: for every
// connection kubectl accepts locally it opens an error stream and a data stream
// carrying the same `requestID` and `port` headers. Once both are here we dial
// localhost:<port> inside the Pod and copy bytes both ways; a refusal is written to
// the error stream (kubectl prints it and drops the session: "lost connection to pod").
// Source: pkg/kubelet/cri/streaming/portforward/httpstream.go (httpStreamHandler);
// client-go/tools/portforward/portforward.go (handleConnection).

import type { PodDial } from '../../core/podio.ts';
import type { SpdyStream } from './session.ts';

interface Pair {
  error?: SpdyStream;
  data?: SpdyStream;
}

export class PortForwardStreams {
  private readonly pairs = new Map<string, Pair>();

  constructor(private readonly dial: (port: number) => PodDial) {}

  /** Accept or refuse a new stream (the session resets refused ones). */
  accept(stream: SpdyStream): boolean {
    const type = stream.headers.get('streamtype');
    const requestId = stream.headers.get('requestid') ?? String(stream.id);
    if (type !== 'error' && type !== 'data') return false;
    const pair = this.pairs.get(requestId) ?? {};
    if (pair[type]) return false;
    pair[type] = stream;
    this.pairs.set(requestId, pair);
    stream.on('error', () => undefined);
    // Run once both are registered, after the session has replied to this one.
    if (pair.error && pair.data) queueMicrotask(() => this.forward(requestId, pair.error!, pair.data!));
    return true;
  }

  private forward(requestId: string, error: SpdyStream, data: SpdyStream): void {
    this.pairs.delete(requestId);
    // kubectl never writes to the error stream; drain its FIN.
    error.resume();
    const portHeader = data.headers.get('port') ?? '';
    const port = /^\d{1,5}$/.test(portHeader) ? Number(portHeader) : NaN;
    if (!(port >= 1 && port <= 65535)) {
      error.end(`error parsing port header ${JSON.stringify(portHeader)}: invalid port`);
      data.end();
      return;
    }
    let dialed: PodDial;
    try {
      dialed = this.dial(port);
    } catch (e) {
      error.end(e instanceof Error ? e.message : String(e));
      data.end();
      return;
    }
    if (dialed.kind === 'refused') {
      error.end(`error forwarding port ${port} to pod ${dialed.sandbox}, uid : ${dialed.message}`);
      data.end();
      return;
    }
    const conn = dialed.conn;
    data.pipe(conn);
    conn.on('data', (chunk: Buffer) => data.write(chunk));
    conn.on('end', () => {
      data.end();
      error.end();
    });
    data.on('close', () => conn.destroy());
  }
}
