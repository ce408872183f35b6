// Whole-process timings as a user's `time` sees them: a shell around the command reads
// the clock before and after. Spawning from the (large) benchmark process costs tens
// of ms of its own, which a clock in the parent would add to every command.
import { execa } from 'execa';

export interface ShellTimeOptions {
  /** Variables to set on top of this process's environment. */
  readonly env?: NodeJS.ProcessEnv;
  /** Variables to remove from it (NODE_EXTRA_CA_CERTS, say). */
  readonly unset?: readonly string[];
}

/** ms from start to exit of `argv`; throws with its output when it exits non-zero. */
export async function shellTimed(argv: readonly string[], options: ShellTimeOptions = {}): Promise<number> {
  const script = 'out=$(mktemp); s=$EPOCHREALTIME; "$@" > "$out" 2>&1; rc=$?; e=$EPOCHREALTIME; [ $rc = 0 ] || { tail -c 600 "$out" >&2; rm -f "$out"; exit $rc; }; rm -f "$out"; echo "$s $e"';
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  for (const name of options.unset ?? []) delete env[name];
  const run = await execa('bash', ['-c', script, 'timed', ...argv], { env, extendEnv: false, reject: false });
  if (run.exitCode !== 0) throw new Error(`${argv.join(' ')} exited ${run.exitCode}: ${run.stderr}`);
  const [start, end] = run.stdout.trim().split(' ').map(Number);
  return (end! - start!) * 1000;
}

/**
 * This machine sets NODE_EXTRA_CA_CERTS (to the system CA bundle): Node 20 reads and
 * parses that file as every process starts, ~40 ms here, which kubectl (Go) does not
 * pay. Benchmarks show Node commands both ways when it is set.
 */
export const EXTRA_CA_CERTS = process.env['NODE_EXTRA_CA_CERTS'] ? ['NODE_EXTRA_CA_CERTS'] : undefined;
