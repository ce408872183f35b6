// A pseudo-terminal's line discipline, as the kernel's n_tty does it in canonical mode
// with the defaults a container runtime sets (ICRNL, ONLCR, ECHO, ECHOE, ECHOCTL, ISIG):
// typed bytes are echoed, Enter (CR) becomes LF, backspace erases, Ctrl-U kills the
// line, Ctrl-C interrupts the foreground job, Ctrl-D on an empty line is end of input,
// and program output has LF turned into CRLF.
// Sources: linux drivers/tty/n_tty.c; busybox libbb/lineedit.c (what ash echoes).

import type { Stdin, Tty, TtyRead } from '../images/types.ts';
import { awaitPromise, drive, Killed, type Proc, type Waiter } from '../proc.ts';

const ERASE = new Set(['\x7f', '\b']);

export class Terminal implements Tty {
  private line = '';
  private readonly events: TtyRead[] = [];
  private wakers: (() => void)[] = [];
  private hungUp = false;
  /** Stops the foreground command an interactive shell runs (Ctrl-C). */
  private foregroundStop: (() => void) | undefined;
  /** An interactive shell reads this terminal: Ctrl-C at its prompt is a read event, not a kill. */
  private shellReads = false;
  columns = 80;
  rows = 24;
  /** What Ctrl-C does when no shell owns the terminal: stop the whole process (set by the session). */
  onInterrupt: (() => void) | undefined;

  constructor(private readonly waiter: Waiter, private readonly emit: (s: string) => void) {}

  readonly stdin: Stdin = { readAll: () => this.readAll() };

  /** Program output, LF → CRLF (ONLCR). */
  write(s: string): void {
    if (s) this.emit(s.replace(/\r?\n/g, '\r\n'));
  }

  /** Bytes typed at the client's terminal. */
  input(data: string): void {
    for (let i = 0; i < data.length; i++) {
      const c = data[i] ?? '';
      if (c === '\x1b') {
        // Cursor and function keys (ESC [ A, ESC O P, …): no line editing beyond erase here, so skip the sequence.
        if (data[i + 1] === '[' || data[i + 1] === 'O') {
          i += 2;
          while (i < data.length && !/[@-~]/.test(data[i] ?? '')) i++;
        }
        continue;
      }
      if (c === '\r' || c === '\n') {
        this.emit('\r\n');
        this.push({ kind: 'line', text: `${this.line}\n` });
        this.line = '';
      } else if (ERASE.has(c)) {
        if (this.line) {
          this.line = this.line.slice(0, -1);
          this.emit('\b \b');
        }
      } else if (c === '\x15') {
        this.emit('\b \b'.repeat(this.line.length));
        this.line = '';
      } else if (c === '\x03') {
        this.emit('^C');
        this.line = '';
        this.interrupt();
      } else if (c === '\x04') {
        // Ctrl-D hands over what is typed so far; on an empty line that is a read of 0 bytes: EOF.
        if (this.line) this.push({ kind: 'line', text: this.line });
        else this.push({ kind: 'eof' });
        this.line = '';
      } else if (c >= ' ' || c === '\t') {
        this.line += c;
        this.emit(c);
      }
    }
  }

  resize(columns: number, rows: number): void {
    this.columns = columns;
    this.rows = rows;
  }

  /** The client went away (or closed stdin): every read from now on is end of input. */
  hangUp(): void {
    this.hungUp = true;
    this.wake();
  }

  *readLine(): Proc<TtyRead> {
    this.shellReads = true;
    for (;;) {
      const e = this.events.shift();
      if (e) return e;
      if (this.hungUp) return { kind: 'eof' };
      yield* awaitPromise(new Promise<void>((resolve) => this.wakers.push(resolve)));
    }
  }

  *foreground<T>(proc: Proc<T>): Proc<{ interrupted: false; value: T } | { interrupted: true }> {
    const d = drive(proc, this.waiter);
    if (d.done) return { interrupted: false, value: d.value };
    let interrupted = false;
    let finished = false;
    d.promise.catch(() => undefined);
    this.foregroundStop = () => {
      interrupted = true;
      d.cancel();
    };
    try {
      const value = yield* awaitPromise(d.promise);
      finished = true;
      return { interrupted: false, value };
    } catch (e) {
      finished = true;
      if (interrupted && e instanceof Killed) return { interrupted: true };
      throw e;
    } finally {
      this.foregroundStop = undefined;
      // The shell itself was stopped (the container was killed): its foreground job goes too.
      if (!finished) d.cancel();
    }
  }

  /** A program reading stdin to the end (cat, sh without -c): lines until Ctrl-D or hang-up. */
  private *readAll(): Proc<string> {
    let s = '';
    for (;;) {
      const e = this.events.shift();
      if (e?.kind === 'line') { s += e.text; continue; }
      if (e?.kind === 'eof' || (!e && this.hungUp)) return s;
      if (e) continue;
      yield* awaitPromise(new Promise<void>((resolve) => this.wakers.push(resolve)));
    }
  }

  private interrupt(): void {
    if (this.foregroundStop) this.foregroundStop();
    else if (this.shellReads) this.push({ kind: 'interrupt' });
    else this.onInterrupt?.();
  }

  private push(e: TtyRead): void {
    this.events.push(e);
    this.wake();
  }

  private wake(): void {
    for (const w of this.wakers.splice(0)) w();
  }
}
