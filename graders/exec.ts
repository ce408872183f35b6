// Running a command in a container over the exec subresource (WebSocket), through
// client-node's Exec. exec() resolves when the socket opens, not when the command
// ends (kubernetes-client/javascript#704): the result is the status frame, and the
// socket closing without one is an error.
import { Writable } from 'node:stream';
import { Exec, type KubeConfig } from '@kubernetes/client-node';
import type { GradeCost } from './counting.ts';
import { runExec, type Executor } from './exec-run.ts';

export { exitCodeOf } from './exec-status.ts';
export type { ExecOptions, Executor } from './exec-run.ts';

/** A stream that appends what it is given to one of the run's outputs. */
class Collect extends Writable {
  constructor(private readonly append: (text: string) => void) {
    super();
  }
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.append(chunk.toString());
    done();
  }
}

export function kubeExecutor(kc: KubeConfig, cost?: GradeCost): Executor {
  const api = new Exec(kc);
  return (target, argv, options) =>
    runExec(target, argv, options, cost, (run) => {
      const stdout = new Collect((text) => (run.stdout += text));
      const stderr = new Collect((text) => (run.stderr += text));
      api
        .exec(options.namespace, target.pod, target.container, [...argv], stdout, stderr, null, false, (status) => run.ended(status))
        .then((ws) => {
          run.attach(ws);
          ws.on('close', () => run.fail(`exec in ${run.where} closed without an exit status`));
        })
        .catch((error: unknown) => run.fail(`exec in ${run.where} could not start: ${error instanceof Error ? error.message : String(error)}`, error));
    });
}
