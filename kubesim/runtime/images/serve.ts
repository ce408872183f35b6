// Helpers for server processes: run until the container is killed; parse Go-style flags.

import { awaitPromise, type Proc } from '../proc.ts';

const never = new Promise<never>(() => undefined);

/** A server's main loop: it only ends when the runtime kills the container. */
export function* forever(): Proc<number> {
  yield* awaitPromise(never);
  return 0;
}

/**
 * Go's flag package: -name=value, --name=value, -name value; booleans need no value.
 * Returns the flags, the positional rest, or the first unknown flag.
 */
export function parseGoFlags(args: string[], known: Record<string, 'string' | 'bool'>):
  { flags: Map<string, string>; rest: string[] } | { unknown: string } | { missingValue: string } {
  const flags = new Map<string, string>();
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--') { i++; break; }
    if (!a.startsWith('-') || a === '-') break;
    const body = a.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    const kind = known[name];
    if (!kind) return { unknown: name };
    if (eq >= 0) flags.set(name, body.slice(eq + 1));
    else if (kind === 'bool') flags.set(name, 'true');
    else {
      const v = args[i + 1];
      if (v === undefined) return { missingValue: name };
      flags.set(name, v);
      i++;
    }
  }
  return { flags, rest: args.slice(i) };
}

/** ":5678", "0.0.0.0:5678", "[::]:9100" → 5678 */
export function portOfListenAddress(addr: string): number | undefined {
  const m = /:(\d+)$/.exec(addr);
  return m ? Number(m[1]) : undefined;
}
