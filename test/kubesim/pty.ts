// Real kubectl under a pseudo-terminal: util-linux `script` gives it a tty (so -t is
// honoured and kubectl puts the terminal in raw mode), and the test types into it step
// by step, waiting for what should appear rather than sleeping.

import { execa, type ResultPromise } from 'execa';
import type { Kubectl } from './kubectl.ts';

export interface PtySession {
  /** Resolves with everything printed so far once `text` (or a match) has appeared after the last mark. */
  waitFor(text: string | RegExp): Promise<string>;
  /** Type bytes as a user would (raw mode: Enter is "\r"). */
  type(bytes: string): void;
  /** Forget what was printed so far: the next waitFor looks only at newer output. */
  mark(): void;
  /** kubectl's exit code and all output. */
  exit(): Promise<{ exitCode: number; output: string }>;
  kill(): Promise<void>;
}

/** Quote one argument for sh: script(1) takes its command as a single string. */
function shQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function kubectlPty(k: Kubectl, ...args: string[]): PtySession {
  const argv = ['kubectl', '--kubeconfig', `${k.dir}/kubeconfig`, '--cache-dir', `${k.dir}/cache`, ...args];
  const proc: ResultPromise<{ reject: false }> = execa('script', ['-qfec', argv.map(shQuote).join(' '), '/dev/null'], {
    reject: false,
    env: { TERM: 'xterm' },
    timeout: 60_000,
  });
  let seen = '';
  let from = 0;
  let exited = false;
  const waiters = new Set<{ match: string | RegExp; resolve: (s: string) => void; reject: (e: Error) => void }>();
  const check = (): void => {
    for (const w of waiters) {
      const tail = seen.slice(from);
      const hit = typeof w.match === 'string' ? tail.includes(w.match) : w.match.test(tail);
      if (hit) w.resolve(seen);
      else if (exited) w.reject(new Error(`kubectl exited before printing ${String(w.match)}: ${JSON.stringify(seen)}`));
      else continue;
      waiters.delete(w);
    }
  };
  proc.stdout?.on('data', (chunk: Buffer) => {
    seen += chunk.toString('utf8');
    check();
  });
  const done = proc.then((r) => {
    exited = true;
    check();
    return r;
  });
  return {
    waitFor: (match) => new Promise((resolve, reject) => {
      waiters.add({ match, resolve, reject });
      check();
    }),
    type: (bytes) => {
      proc.stdin?.write(bytes);
    },
    mark: () => {
      from = seen.length;
    },
    exit: async () => {
      const r = await done;
      return { exitCode: r.exitCode ?? -1, output: seen };
    },
    kill: async () => {
      proc.kill();
      await done;
    },
  };
}
