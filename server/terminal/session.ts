// One learner's terminal: a TTY exec into their workspace Pod, bridged to however many
// browser tabs show it. The exec outlives a closed tab (a reload or a dropped network
// reattaches and replays the recent screen) and ends after a quiet spell with no typing.
import { PassThrough, Writable } from 'node:stream';
import { Exec, type KubeConfig } from '@kubernetes/client-node';
import type WebSocket from 'ws';
import { z } from 'zod';
import { WORKSPACE_CONTAINER, WORKSPACE_POD } from './workspace.ts';

/** What a browser sends: keystrokes (as xterm.js hands them over) and its size. */
export const ClientFrame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('input'), data: z.string().max(64 * 1024) }),
  z.object({ type: z.literal('resize'), cols: z.number().int().min(1).max(1000), rows: z.number().int().min(1).max(1000) }),
]);

/** Status frames go as JSON text; the terminal's own bytes as binary frames. */
export type StatusFrame = { type: 'status'; state: 'starting' | 'ready' | 'ended' | 'error'; message: string };

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realTimers: Timers = { set: (fn, ms) => setTimeout(fn, ms).unref(), clear: (h) => clearTimeout(h as NodeJS.Timeout) };

/** A Writable client-node treats as a terminal: its size goes to the exec's resize channel. */
class ScreenStream extends Writable {
  columns = 80;
  rows = 24;
  constructor(private readonly onData: (chunk: Buffer) => void) {
    super();
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.onData(chunk);
    done();
  }
  resize(cols: number, rows: number): void {
    if (cols === this.columns && rows === this.rows) return;
    this.columns = cols;
    this.rows = rows;
    this.emit('resize');
  }
}

export function sendStatus(socket: WebSocket, state: StatusFrame['state'], message: string): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ type: 'status', state, message } satisfies StatusFrame));
}

export interface SessionOptions {
  idleMs: number;
  replayBytes: number;
  timers: Timers;
  onEnd(): void;
}

export class TerminalSession {
  private readonly viewers = new Set<WebSocket>();
  private readonly stdin = new PassThrough();
  private readonly screen: ScreenStream;
  private replay: Buffer[] = [];
  private replayLength = 0;
  private idle: unknown;
  private exec: { close(): void } | undefined;
  private ended = false;

  constructor(private readonly o: SessionOptions) {
    this.screen = new ScreenStream((chunk) => this.output(chunk));
  }

  /** Starts `bash` with a TTY in the workspace; resolves once the exec is connected. */
  async start(kc: KubeConfig, namespace: string): Promise<void> {
    this.exec = await new Exec(kc).exec(namespace, WORKSPACE_POD, WORKSPACE_CONTAINER, ['bash'], this.screen, null, this.stdin, true, (status) => {
      const code = status.status === 'Success' ? 0 : (status.details?.causes?.find((c) => c.reason === 'ExitCode')?.message ?? '?');
      this.end(`the shell exited (code ${code}); open the terminal again for a new one`);
    });
    (this.exec as unknown as { on(event: 'close', fn: () => void): void }).on('close', () => this.end('the connection to your workspace closed; open the terminal again'));
    this.touch();
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** A browser tab joins: it gets the recent screen, then everything new. */
  attach(socket: WebSocket): void {
    this.viewers.add(socket);
    sendStatus(socket, 'ready', 'connected to your workspace');
    for (const chunk of this.replay) socket.send(chunk, { binary: true });
    socket.on('message', (data, isBinary) => this.receive(data, isBinary));
    socket.on('close', () => this.viewers.delete(socket));
  }

  private receive(data: WebSocket.RawData, isBinary: boolean): void {
    if (this.ended) return;
    let frame: z.infer<typeof ClientFrame>;
    try {
      if (isBinary) throw new Error('binary');
      frame = ClientFrame.parse(JSON.parse(String(data)));
    } catch {
      // A malformed frame is the page's bug, not a reason to end the learner's shell.
      return;
    }
    if (frame.type === 'resize') this.screen.resize(frame.cols, frame.rows);
    else {
      this.stdin.write(frame.data);
      this.touch();
    }
  }

  private output(chunk: Buffer): void {
    this.replay.push(chunk);
    this.replayLength += chunk.length;
    while (this.replayLength > this.o.replayBytes && this.replay.length > 1) this.replayLength -= this.replay.shift()!.length;
    for (const viewer of this.viewers) if (viewer.readyState === viewer.OPEN) viewer.send(chunk, { binary: true });
  }

  private touch(): void {
    this.o.timers.clear(this.idle);
    this.idle = this.o.timers.set(() => this.end(`closed after ${Math.round(this.o.idleMs / 60_000)} minutes without typing; open the terminal again`), this.o.idleMs);
  }

  end(message: string): void {
    if (this.ended) return;
    this.ended = true;
    this.o.timers.clear(this.idle);
    this.stdin.end();
    this.exec?.close();
    for (const viewer of this.viewers) {
      sendStatus(viewer, 'ended', message);
      viewer.close(1000, 'session ended');
    }
    this.viewers.clear();
    this.o.onEnd();
  }
}
