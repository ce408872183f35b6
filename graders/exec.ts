// Running a command in a container over the exec subresource (WebSocket), through
// client-node's Exec. exec() resolves when the socket opens, not when the command
// ends (kubernetes-client/javascript#704): the result is the status frame, and the
// socket closing without one is an error.
import { Writable } from 'node:stream';
import { Exec, type KubeConfig } from '@kubernetes/client-node';
import { exitCodeOf } from './exec-status.ts';
import type { GradeCost } from './counting.ts';
import { GraderError, type ExecResult, type ExecTarget } from './types.ts';

export { exitCodeOf } from './exec-status.ts';

export interface ExecOptions {
  namespace: string;
  /** Hard limit for one command, ms; the command's own timeouts (-T 2, -w 2) sit well inside it. */
  timeoutMs: number;
  signal?: AbortSignal;
}

export type Executor = (target: ExecTarget, argv: readonly string[], options: ExecOptions) => Promise<ExecResult>;

class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

export function kubeExecutor(kc: KubeConfig, cost?: GradeCost): Executor {
  const api = new Exec(kc);
  return (target, argv, options) =>
    new Promise<ExecResult>((resolve, reject) => {
      if (cost) cost.execs++;
      const stdout = new Collect();
      const stderr = new Collect();
      const where = `${target.pod}/${target.container}`;
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
      const fail = (message: string, cause?: unknown) =>
        finish(() => reject(new GraderError(message, { pod: where, command: [...argv], stdout: stdout.text, stderr: stderr.text }, { cause })));
      const onAbort = () => fail(`exec in ${where} was cancelled: the check ran out of time`);
      const timer = setTimeout(() => fail(`exec in ${where} did not finish within ${options.timeoutMs} ms`), options.timeoutMs);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (options.signal?.aborted) return onAbort();
      api
        .exec(options.namespace, target.pod, target.container, [...argv], stdout, stderr, null, false, (status) => {
          const exitCode = exitCodeOf(status);
          if (exitCode === undefined) return fail(`exec in ${where} failed: ${status.message ?? status.reason ?? 'unknown status'}`);
          finish(() => resolve({ stdout: stdout.text, stderr: stderr.text, exitCode }));
        })
        .then((ws) => {
          socket = ws;
          if (settled) ws.close();
          ws.on('close', () => fail(`exec in ${where} closed without an exit status`));
        })
        .catch((error: unknown) => fail(`exec in ${where} could not start: ${error instanceof Error ? error.message : String(error)}`, error));
    });
}
