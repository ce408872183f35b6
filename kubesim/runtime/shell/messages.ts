// Syntax error messages as each /bin/sh words them.
// Sources: dash src/parser.c (synexpect/synerror), busybox shell/ash.c (raise_error_unexpected_syntax), bash parse.y.

import type { ShellFlavor } from '../images/types.ts';
import type { ShellSyntaxError } from './ast.ts';

export function syntaxMessage(flavor: ShellFlavor, name: string, e: ShellSyntaxError): string {
  const p = e.problem;
  if (flavor === 'dash') {
    if (p.kind === 'eof') return `${name}: ${e.line}: Syntax error: end of file unexpected${p.expecting ? ` (expecting "${p.expecting}")` : ''}\n`;
    if (p.kind === 'unexpected') return `${name}: ${e.line}: Syntax error: "${p.token}" unexpected\n`;
    return p.what === 'quoted string' ? `${name}: ${e.line}: Syntax error: Unterminated quoted string\n`
      : `${name}: ${e.line}: Syntax error: Missing '))'\n`;
  }
  if (flavor === 'bash') {
    if (p.kind === 'unexpected') return `${name}: -c: line ${e.line}: syntax error near unexpected token \`${p.token}'\n`;
    if (p.kind === 'unterminated') return `${name}: -c: line ${e.line}: unexpected EOF while looking for matching \`${p.what === 'quoted string' ? '\'' : ')'}'\n`;
    return `${name}: -c: line ${e.line + 1}: syntax error: unexpected end of file\n`;
  }
  if (p.kind === 'eof') return `${name}: syntax error: unexpected end of file${p.expecting ? ` (expecting "${p.expecting}")` : ''}\n`;
  if (p.kind === 'unexpected') return `${name}: syntax error: unexpected "${p.token}"\n`;
  return `${name}: syntax error: unterminated ${p.what === 'quoted string' ? 'quoted string' : 'command substitution'}\n`;
}
