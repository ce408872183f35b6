// The command line, parsed by hand (it is tiny) and checked with zod tuples: each
// accepted shape is listed once, so an unknown command cannot slip through.
import { z } from 'zod';

export type Command =
  | { readonly name: 'serve' }
  | { readonly name: 'exercises list' }
  | { readonly name: 'exercises validate'; readonly dirs: readonly string[] }
  | { readonly name: 'sim'; readonly rest: readonly string[] }
  | { readonly name: 'grade'; readonly rest: readonly string[] }
  | { readonly name: 'users add'; readonly user: string; readonly role?: Role }
  | { readonly name: 'help' }
  | { readonly name: 'version' };

type Role = 'learner' | 'instructor' | 'admin';
const role = z.enum(['learner', 'instructor', 'admin']);
// A local user name: what `users add` keys the account on (`local:<name>`).
const userName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/, 'expected a user name of letters, digits and . _ @ - (at most 64)');

const operand = z.string().refine((s) => s !== '' && !s.startsWith('-'), 'expected a directory, not an option');

const CommandLine = z.union([
  z.tuple([z.literal('serve')]).transform((): Command => ({ name: 'serve' })),
  z.tuple([z.literal('exercises'), z.literal('list')]).transform((): Command => ({ name: 'exercises list' })),
  z
    .tuple([z.literal('exercises'), z.literal('validate')])
    .rest(operand)
    .transform(([, , ...dirs]): Command => ({ name: 'exercises validate', dirs })),
  // sim and grade own their arguments: passed on untouched.
  z.tuple([z.literal('sim')]).rest(z.string()).transform(([, ...rest]): Command => ({ name: 'sim', rest })),
  z.tuple([z.literal('grade')]).rest(z.string()).transform(([, ...rest]): Command => ({ name: 'grade', rest })),
  z.tuple([z.literal('users'), z.literal('add'), userName]).transform(([, , user]): Command => ({ name: 'users add', user })),
  z
    .tuple([z.literal('users'), z.literal('add'), userName, z.literal('--role'), role])
    .transform(([, , user, , r]): Command => ({ name: 'users add', user, role: r })),
  z.tuple([z.enum(['help', '--help', '-h'])]).transform((): Command => ({ name: 'help' })),
  z.tuple([z.enum(['version', '--version', '-v'])]).transform((): Command => ({ name: 'version' })),
]);

export type ParsedArgs = { readonly ok: true; readonly command: Command } | { readonly ok: false; readonly message: string };

export function parseArgs(argv: readonly string[]): ParsedArgs {
  // `--help` anywhere before sim/grade's own arguments asks for our usage.
  if (argv[0] !== 'sim' && argv[0] !== 'grade' && argv.some((a) => a === '--help' || a === '-h')) {
    return { ok: true, command: { name: 'help' } };
  }
  const parsed = CommandLine.safeParse(argv);
  if (parsed.success) return { ok: true, command: parsed.data };
  return { ok: false, message: describe(argv) };
}

function describe(argv: readonly string[]): string {
  const [first, second, ...rest] = argv;
  if (first === undefined) return 'missing command';
  if (first === 'serve') return `serve takes no arguments, got ${JSON.stringify(argv.slice(1).join(' '))}`;
  if (first === 'exercises') {
    if (second === 'validate') {
      const bad = rest.find((a) => a === '' || a.startsWith('-'));
      return `exercises validate: unknown option ${JSON.stringify(bad ?? '')}`;
    }
    if (second === 'list') return `exercises list takes no arguments, got ${JSON.stringify(rest.join(' '))}`;
    return second === undefined ? 'exercises: missing subcommand (list or validate)' : `exercises: unknown subcommand ${JSON.stringify(second)}`;
  }
  if (first === 'users') {
    if (second !== 'add') return second === undefined ? 'users: missing subcommand (add)' : `users: unknown subcommand ${JSON.stringify(second)}`;
    const [name, flag, value, ...extra] = rest;
    if (name === undefined) return 'users add: missing NAME';
    if (!userName.safeParse(name).success) return `users add: ${JSON.stringify(name)} is not a valid user name (letters, digits and . _ @ -, at most 64)`;
    if (flag !== undefined && flag !== '--role') return `users add: unknown option ${JSON.stringify(flag)}`;
    if (flag !== undefined && !role.safeParse(value).success) return `users add: --role expects learner, instructor or admin, got ${JSON.stringify(value ?? '')}`;
    return `users add: unexpected ${JSON.stringify(extra.join(' '))}`;
  }
  return `unknown command ${JSON.stringify(first)}`;
}
