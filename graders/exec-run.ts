// One command in a container, whatever carries it (client-node's Exec, the lean
// WebSocket): the output gathered so far, the one way it ends (exit status, failure,
// time limit or cancellation) and the socket closed once it has. Each executor only
// opens its transport and feeds this.
import type { GradeCost } from './counting.ts';
import { exitCodeOf, type ExecStatus } from './exec-status.ts';
import { GraderError, type ExecResult, type ExecTarget } from './types.ts';

export interface ExecOptions {
  namespace: string;
  /** Hard limit for one command, ms; the command's own timeouts (-T 2, -w 2) sit well inside it. */
  timeoutMs: number;
  signal?: AbortSignal;
}

export type Executor = (target: ExecTarget, argv: readonly string[], options: ExecOptions) => Promise<ExecResult>;

export interface ExecRun {
  /** "pod/container", for messages. */
  readonly where: string;
  stdout: string;
  stderr: string;
  /** The Status the stream ended with: the exit code, or a failure when it is not an exit. */
  ended(status: ExecStatus): void;
  fail(message: string, cause?: unknown): void;
  /** The transport's socket, closed when the run settles (at once if it already has). */
  attach(socket: { close(): void }): void;
}

/** Runs `start` under the time limit and the signal; settles once. */
export function runExec(
  target: ExecTarget,
  argv: readonly string[],
  options: ExecOptions,
  cost: GradeCost | undefined,
  start: (run: ExecRun) => void,
): Promise<ExecResult> {
  return new Promise<ExecResult>((resolve, reject) => {
    if (cost) cost.execs++;
    let settled = false;
    let socket: { close(): void } | undefined;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      socket?.close();
      fn();
    };
    const run: ExecRun = {
      where: `${target.pod}/${target.container}`,
      stdout: '',
      stderr: '',
      ended(status) {
        const exitCode = exitCodeOf(status);
        if (exitCode === undefined) return run.fail(`exec in ${run.where} failed: ${status.message ?? status.reason ?? 'unknown status'}`);
        finish(() => resolve({ stdout: run.stdout, stderr: run.stderr, exitCode }));
      },
      fail(message, cause) {
        finish(() => reject(new GraderError(message, { pod: run.where, command: [...argv], stdout: run.stdout, stderr: run.stderr }, { cause })));
      },
      attach(s) {
        socket = s;
        if (settled) s.close();
      },
    };
    const onAbort = () => run.fail(`exec in ${run.where} was cancelled: the check ran out of time`);
    const timer = setTimeout(() => run.fail(`exec in ${run.where} did not finish within ${options.timeoutMs} ms`), options.timeoutMs);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) return onAbort();
    start(run);
  });
}
