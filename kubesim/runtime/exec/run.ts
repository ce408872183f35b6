// Running one exec'd command inside a container (what the CRI does for kubelet's exec).
// A binary missing from the image is not a shell error but an OCI runtime failure the
// kubelet reports as an InternalError status.
// Source: containerd pkg/cri/server/container_execsync.go; runc "executable file not found in $PATH".

import type { Rng } from '../../core/clock.ts';
import type { ContainerInstance } from '../containers.ts';
import type { Stdin, Tty } from '../images/types.ts';
import type { Network } from '../net/system.ts';
import { drive, type Waiter } from '../proc.ts';

export interface ExecOutcome {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** Set when the runtime could not start the command at all (the status is InternalError). */
  internalError?: string;
}

export interface ExecParams {
  instance: ContainerInstance;
  network: Network;
  waiter: Waiter;
  rng: Rng;
  argv: string[];
  stdin: Stdin;
  /** The session's terminal (exec -t): shells without a script go interactive on it. */
  tty?: Tty;
  out: (s: string) => void;
  err: (s: string) => void;
  /** Set by the caller to stop the command when the client goes away. */
  onCancel?: (cancel: () => void) => void;
}

function execId(rng: Rng): string {
  let s = '';
  for (let i = 0; i < 64; i++) s += Math.floor(rng.next() * 16).toString(16);
  return s;
}

export function execInContainer(p: ExecParams): Promise<Omit<ExecOutcome, 'stdout' | 'stderr'>> {
  const name = p.argv[0] ?? '';
  const program = p.instance.image.programs[name.split('/').pop() ?? ''];
  if (!program || name === '') {
    const internalError = `error executing command in container: failed to exec in container: failed to start exec "${execId(p.rng)}": OCI runtime exec failed: exec failed: unable to start container process: exec: "${name}": executable file not found in $PATH: unknown`;
    return Promise.resolve({ exitCode: 126, internalError });
  }
  const d = drive(program(p.argv, { io: { out: p.out, err: p.err, stdin: p.stdin, tty: p.tty }, env: new Map(p.instance.env), self: p.instance, sys: p.network }), p.waiter);
  if (d.done) return Promise.resolve({ exitCode: d.value });
  p.onCancel?.(d.cancel);
  return d.promise.then((exitCode) => ({ exitCode }));
}
