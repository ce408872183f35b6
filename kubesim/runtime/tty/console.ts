// A container's main-process stdio as the runtime keeps it for `kubectl attach` and
// `kubectl run -it`: output goes to the container log and to every attached client as
// it is written (a prompt has no newline, so log lines are not enough); with
// `stdin: true` attached clients type into it, through a terminal with `tty: true`.
// `stdinOnce: true` closes stdin when the first client that attached with stdin
// detaches, so the shell kubectl run started sees end of input and exits.
// Source: kubelet/cri streaming attach; k8s.io/api core/v1 Container (stdin, stdinOnce, tty).

import type { Io, Stdin } from '../images/types.ts';
import type { Waiter } from '../proc.ts';
import { PipeStdin } from './pipe.ts';
import { Terminal } from './terminal.ts';

const noStdin: Stdin = { *readAll() { return ''; } };

export interface AttachClient {
  out(s: string): void;
  err(s: string): void;
  /** The main process ended: the session ends with it. */
  end(): void;
}

export interface Attachment {
  input(data: Buffer): void;
  resize(columns: number, rows: number): void;
  /** The client closed its stdin (v5 close frame) or went away. */
  closeStdin(): void;
  detach(): void;
}

export interface ConsoleSpec {
  stdin?: boolean;
  stdinOnce?: boolean;
  tty?: boolean;
}

export class Console {
  readonly terminal: Terminal | undefined;
  private readonly pipe: PipeStdin | undefined;
  private readonly clients = new Set<AttachClient>();
  private ended = false;

  constructor(private readonly spec: ConsoleSpec, waiter: Waiter, private readonly log: (stream: 'stdout' | 'stderr', s: string) => void) {
    if (spec.stdin && spec.tty) this.terminal = new Terminal(waiter, (s) => this.broadcast('stdout', s));
    else if (spec.stdin) this.pipe = new PipeStdin();
  }

  /** The main process's stdio. */
  get io(): Io {
    const t = this.terminal;
    return {
      out: t ? (s) => t.write(s) : (s) => this.broadcast('stdout', s),
      err: t ? (s) => t.write(s) : (s) => this.broadcast('stderr', s),
      stdin: t?.stdin ?? this.pipe ?? noStdin,
      tty: t,
    };
  }

  get isEnded(): boolean {
    return this.ended;
  }

  attach(client: AttachClient, withStdin: boolean): Attachment {
    if (this.ended) {
      client.end();
      return { input: () => undefined, resize: () => undefined, closeStdin: () => undefined, detach: () => undefined };
    }
    this.clients.add(client);
    let stdinOpen = withStdin && this.spec.stdin === true;
    const closeStdin = (): void => {
      if (!stdinOpen) return;
      stdinOpen = false;
      if (!this.spec.stdinOnce) return;
      this.terminal?.hangUp();
      this.pipe?.end();
    };
    return {
      input: (data) => {
        if (!stdinOpen) return;
        if (this.terminal) this.terminal.input(data.toString('utf8'));
        else this.pipe?.push(data);
      },
      resize: (columns, rows) => this.terminal?.resize(columns, rows),
      closeStdin,
      detach: () => {
        this.clients.delete(client);
        closeStdin();
      },
    };
  }

  /** The main process ended: attached sessions end too. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.terminal?.hangUp();
    for (const c of [...this.clients]) c.end();
    this.clients.clear();
  }

  private broadcast(stream: 'stdout' | 'stderr', s: string): void {
    if (!s) return;
    this.log(stream, s);
    for (const c of [...this.clients]) (stream === 'stdout' ? c.out : c.err)(s);
  }
}
