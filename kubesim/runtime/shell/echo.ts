// echo as the shells and coreutils spell it. Its own module because both the shell
// (a builtin) and coreutils (/bin/echo) use it, and neither should import the other's.
import type { Io, ShellFlavor } from '../images/types.ts';
import type { Proc } from '../proc.ts';

/** echo: dash interprets backslash escapes and only knows -n; ash/bash know -n -e -E. */
export function* echo(argv: string[], io: Io, flavor: ShellFlavor | 'coreutils'): Proc<number> {
  let args = argv.slice(1);
  let newline = true;
  let escapes = flavor === 'dash';
  while (args[0] && /^-[neE]+$/.test(args[0]) && (flavor !== 'dash' || args[0] === '-n')) {
    for (const f of args[0].slice(1)) {
      if (f === 'n') newline = false;
      else if (f === 'e') escapes = true;
      else if (f === 'E') escapes = false;
    }
    args = args.slice(1);
  }
  let text = args.join(' ');
  if (escapes) {
    const cut = text.indexOf('\\c');
    if (cut >= 0) { text = text.slice(0, cut); newline = false; }
    text = unescape(text);
  }
  io.out(newline ? `${text}\n` : text);
  return 0;
}

export function unescape(s: string): string {
  return s.replace(/\\(0[0-7]{0,3}|[abfnrtv\\])/g, (_m, c: string) => {
    if (c.startsWith('0')) return String.fromCharCode(parseInt(c.slice(1) || '0', 8));
    return ({ a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' } as Record<string, string>)[c] ?? c;
  });
}

