// One container instance's log: timestamped lines from stdout and stderr, in the
// order written, with followers told of each new line and of the end.

export interface LogLine {
  time: number;
  stream: 'stdout' | 'stderr';
  /** The line including its trailing newline (a final partial line has none). */
  text: string;
}

export type LogFollower = (line: LogLine | 'end') => void;

export class LogBuffer {
  readonly lines: LogLine[] = [];
  private partial: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };
  private followers = new Set<LogFollower>();
  private ended = false;

  constructor(private readonly now: () => number, private readonly maxLines = 10_000) {}

  write(stream: 'stdout' | 'stderr', text: string): void {
    if (this.ended || !text) return;
    const chunk = this.partial[stream] + text;
    const parts = chunk.split('\n');
    this.partial[stream] = parts.pop() ?? '';
    for (const p of parts) this.push({ time: this.now(), stream, text: `${p}\n` });
  }

  /** The container stopped: flush partial lines and release followers. */
  end(): void {
    if (this.ended) return;
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream]) this.push({ time: this.now(), stream, text: this.partial[stream] });
      this.partial[stream] = '';
    }
    this.ended = true;
    for (const f of [...this.followers]) f('end');
    this.followers.clear();
  }

  get isEnded(): boolean {
    return this.ended;
  }

  follow(f: LogFollower): () => void {
    if (this.ended) {
      f('end');
      return () => undefined;
    }
    this.followers.add(f);
    return () => this.followers.delete(f);
  }

  private push(line: LogLine): void {
    this.lines.push(line);
    if (this.lines.length > this.maxLines) this.lines.splice(0, this.lines.length - this.maxLines);
    for (const f of [...this.followers]) f(line);
  }
}
