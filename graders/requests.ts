// N HTTP requests from one client Pod in ONE exec: a fixed busybox script loops and
// the URL and count travel as positional arguments, never spliced into the script.
// Each request is a new connection, so kube-proxy picks a backend for each one.
import { parseWget, type Outcome } from './net.ts';
import type { CheckContext, ExecTarget } from './types.ts';

const END = '__kubelab_end__';
// $1 = count, $2 = url. stderr is folded into the block so wget's error line is kept.
const LOOP = `i=0; while [ "$i" -lt "$1" ]; do i=$((i+1)); wget -S -q -O - -T 2 "$2" 2>/tmp/.kubelab-err; rc=$?; echo; cat /tmp/.kubelab-err; echo "${END} $rc"; done`;

export function loopArgv(count: number, url: string): string[] {
  return ['sh', '-c', LOOP, 'kubelab-loop', String(count), url];
}

/** Splits the loop's output back into one outcome per request. */
export function parseLoop(stdout: string): Outcome[] {
  const outcomes: Outcome[] = [];
  let block: string[] = [];
  for (const line of stdout.split('\n')) {
    const m = new RegExp(`^${END} (\\d+)$`).exec(line);
    if (!m) {
      block.push(line);
      continue;
    }
    // The block is: body, "\n" from echo, then wget's stderr lines.
    const text = block.join('\n');
    const errStart = text.search(/^(  HTTP\/|wget: )/m);
    const body = errStart >= 0 ? text.slice(0, errStart) : text;
    const stderr = errStart >= 0 ? text.slice(errStart) : '';
    outcomes.push(parseWget({ stdout: body.replace(/\n$/, ''), stderr, exitCode: Number(m[1]) }));
    block = [];
  }
  return outcomes;
}

export async function repeatedGet(ctx: CheckContext, target: ExecTarget, url: string, count: number): Promise<{ outcomes: Outcome[]; stdout: string }> {
  const result = await ctx.exec(target, loopArgv(count, url));
  return { outcomes: parseLoop(result.stdout), stdout: result.stdout };
}

/** Which of the known Pod names an answer carries (the exercise's backends echo their own name). */
export function servedBy(body: string, podNames: readonly string[]): string | undefined {
  const text = body.trim();
  return podNames.find((n) => text === n) ?? podNames.filter((n) => text.includes(n)).sort((a, b) => b.length - a.length)[0];
}
