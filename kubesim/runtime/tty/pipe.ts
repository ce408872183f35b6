// A container's stdin without a terminal (stdin: true, tty: false): bytes from the
// attached client, end of input when stdin closes (stdinOnce and the client detached).

import type { Stdin } from '../images/types.ts';
import { awaitPromise, type Proc } from '../proc.ts';

export class PipeStdin implements Stdin {
  private chunks: Buffer[] = [];
  private ended = false;
  private waiters: (() => void)[] = [];

  push(data: Buffer): void {
    if (!this.ended) this.chunks.push(data);
  }

  end(): void {
    this.ended = true;
    for (const w of this.waiters.splice(0)) w();
  }

  *readAll(): Proc<string> {
    while (!this.ended) yield* awaitPromise(new Promise<void>((resolve) => this.waiters.push(resolve)));
    const s = Buffer.concat(this.chunks).toString('utf8');
    this.chunks = [];
    return s;
  }
}
