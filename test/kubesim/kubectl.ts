// Runs the real kubectl against an embedded cluster: a kubeconfig file and a
// private discovery cache per suite, argv arrays only.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';

export interface Kubectl {
  (...args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }>;
  /** A long-running kubectl (e.g. get -w); the caller stops it. */
  spawn(...args: string[]): Running;
  /** Run with stdin. */
  withInput(input: string, ...args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }>;
  dir: string;
}

export function kubectlFor(kubeconfig: string): Kubectl {
  const dir = mkdtempSync(join(tmpdir(), 'kubesim-kubectl-'));
  const file = join(dir, 'kubeconfig');
  writeFileSync(file, kubeconfig, { mode: 0o600 });
  const base = ['--kubeconfig', file, '--cache-dir', join(dir, 'cache')];
  const run = async (input: string | undefined, args: string[]) => {
    const r = await execa('kubectl', [...base, ...args], { reject: false, input, timeout: 60_000 });
    return { exitCode: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr };
  };
  const k = ((...args: string[]) => run(undefined, args)) as Kubectl;
  k.spawn = (...args) => running(execa('kubectl', [...base, ...args], { reject: false }));
  k.withInput = (input, ...args) => run(input, args);
  k.dir = dir;
  return k;
}

export interface Running {
  /**
   * Resolves once `text` has appeared in a whole line of stdout (output is kept from
   * the start). Whole lines: a chunk can end mid-row, and the rest of that row is what
   * the caller goes on to check.
   */
  waitFor(text: string): Promise<string>;
  stop(): Promise<void>;
}

function running(proc: ResultPromise<{ reject: false }>): Running {
  let seen = '';
  let exited = false;
  const waiters = new Set<{ text: string; resolve: (s: string) => void; reject: (e: Error) => void }>();
  const check = (): void => {
    const lines = seen.slice(0, seen.lastIndexOf('\n') + 1);
    for (const w of waiters) {
      if (lines.includes(w.text)) w.resolve(lines);
      else if (exited) w.reject(new Error(`kubectl exited before printing ${JSON.stringify(w.text)}: ${seen}`));
      else continue;
      waiters.delete(w);
    }
  };
  proc.stdout?.on('data', (chunk: Buffer) => {
    seen += chunk.toString('utf8');
    check();
  });
  const done = proc.then(() => {
    exited = true;
    check();
  });
  return {
    waitFor: (text) => new Promise((resolve, reject) => {
      waiters.add({ text, resolve, reject });
      check();
    }),
    stop: async () => {
      proc.kill();
      await done;
    },
  };
}

export function manifest(path: string, text: string): string {
  writeFileSync(path, text);
  return path;
}
