// The command line, parsed by hand (it is tiny) and checked with zod tuples: each
// accepted shape is listed once, so an unknown command cannot slip through. zod/mini,
// not the full API: every command pays for this parse, and `kubelab exercises list`
// must start in a blink (the full API costs ~40 ms to load; mini a few).
import * as z from '../../graders/zod-mini.ts';
import { API_KEY_SCOPES, type ApiKeyScope } from '../api-keys/scopes.ts';
import { asksForHelp } from './help.ts';

export type Command =
  | { readonly name: 'serve' }
  | { readonly name: 'exercises list' }
  | { readonly name: 'exercises validate'; readonly dirs: readonly string[] }
  | { readonly name: 'sim'; readonly rest: readonly string[] }
  | { readonly name: 'grade'; readonly rest: readonly string[] }
  | { readonly name: 'lti'; readonly rest: readonly string[] }
  | { readonly name: 'users add'; readonly user: string; readonly role?: Role }
  | { readonly name: 'users list' }
  | { readonly name: 'users tokens'; readonly userId: number }
  | { readonly name: 'users revoke'; readonly tokenId: number }
  | { readonly name: 'users disable' | 'users enable'; readonly userId: number }
  | { readonly name: 'users role'; readonly userId: number; readonly role: Role }
  | { readonly name: 'classes add'; readonly className: string; readonly owner: string }
  | { readonly name: 'api-keys create'; readonly keyName: string; readonly by: string; readonly scopes: readonly ApiKeyScope[]; readonly classId: number | null }
  | { readonly name: 'api-keys list' }
  | { readonly name: 'api-keys revoke'; readonly keyId: number }
  | { readonly name: 'clusters list' }
  | { readonly name: 'clusters cordon' | 'clusters uncordon'; readonly cluster: string }
  | { readonly name: 'help' }
  | { readonly name: 'version' };

type Role = 'learner' | 'instructor' | 'admin';
const role = z.enum(['learner', 'instructor', 'admin']);
// A local user name: what `users add` keys the account on (`local:<name>`).
const userName = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/, 'expected a user name of letters, digits and . _ @ - (at most 64)'));

// A row id as `users list` / `users tokens` print it.
const rowId = z.pipe(z.string().check(z.regex(/^[1-9][0-9]{0,14}$/)), z.transform(Number));

// A class name as instructors write it ("Networking 101, week 3").
const className = z.string().check(z.trim(), z.minLength(1), z.maxLength(100), z.regex(/^[^\p{Cc}]+$/u));

// `--scopes results:read,classes:write`: one or more of the key scopes, comma-separated.
const scopeList = z.pipe(
  z.pipe(z.string(), z.transform((v) => v.split(','))),
  z.array(z.enum(API_KEY_SCOPES)).check(z.minLength(1)),
);
// A pool member's name, as the pool file spells it.
const clusterName = z.string().check(z.regex(/^[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?$/));

const operand = z.string().check(z.refine((s) => s !== '' && !s.startsWith('-'), 'expected a directory, not an option'));

/** One accepted shape of the command line and the Command it stands for. */
function shape<T extends z.ZodMiniType<readonly unknown[], readonly unknown[]>>(tuple: T, command: (args: z.output<T>) => Command) {
  return z.pipe(tuple, z.transform(command));
}
const word = z.literal;

const helpShape = () => shape(z.tuple([z.enum(['help', '--help', '-h'])]), () => ({ name: 'help' }));
const versionShape = () => shape(z.tuple([z.enum(['version', '--version', '-v'])]), () => ({ name: 'version' }));

// The accepted shapes of the command line by its first word, built only for the word
// given: building all of them cost every command ~3 ms, for the one that can match.
const SHAPES: Readonly<Record<string, () => z.ZodMiniType<Command, readonly string[]>[]>> = {
  serve: () => [
    shape(z.tuple([word('serve')]), () => ({ name: 'serve' })),
  ],
  exercises: () => [
    shape(z.tuple([word('exercises'), word('list')]), () => ({ name: 'exercises list' })),
    shape(z.tuple([word('exercises'), word('validate')], operand), ([, , ...dirs]) => ({ name: 'exercises validate', dirs })),
  ],
  sim: () => [
    // sim and grade own their arguments: passed on untouched.
    shape(z.tuple([word('sim')], z.string()), ([, ...rest]) => ({ name: 'sim', rest })),
  ],
  grade: () => [
    shape(z.tuple([word('grade')], z.string()), ([, ...rest]) => ({ name: 'grade', rest })),
  ],
  lti: () => [
    // lti parses its own flags (server/cli/lti.ts).
    shape(z.tuple([word('lti')], z.string()), ([, ...rest]) => ({ name: 'lti', rest })),
  ],
  users: () => [
    shape(z.tuple([word('users'), word('add'), userName]), ([, , user]) => ({ name: 'users add', user })),
    shape(z.tuple([word('users'), word('add'), userName, word('--role'), role]), ([, , user, , r]) => ({ name: 'users add', user, role: r })),
    shape(z.tuple([word('users'), word('list')]), () => ({ name: 'users list' })),
    shape(z.tuple([word('users'), word('tokens'), rowId]), ([, , userId]) => ({ name: 'users tokens', userId })),
    shape(z.tuple([word('users'), word('revoke'), rowId]), ([, , tokenId]) => ({ name: 'users revoke', tokenId })),
    shape(z.tuple([word('users'), word('disable'), rowId]), ([, , userId]) => ({ name: 'users disable', userId })),
    shape(z.tuple([word('users'), word('enable'), rowId]), ([, , userId]) => ({ name: 'users enable', userId })),
    shape(z.tuple([word('users'), word('role'), rowId, role]), ([, , userId, r]) => ({ name: 'users role', userId, role: r })),
  ],
  classes: () => [
    shape(z.tuple([word('classes'), word('add'), className, word('--owner'), userName]), ([, , name, , owner]) => ({ name: 'classes add', className: name, owner })),
  ],
  'api-keys': () => [
    shape(
      z.tuple([word('api-keys'), word('create'), className, word('--by'), userName, word('--scopes'), scopeList]),
      ([, , keyName, , by, , scopes]) => ({ name: 'api-keys create', keyName, by, scopes, classId: null }),
    ),
    shape(
      z.tuple([word('api-keys'), word('create'), className, word('--by'), userName, word('--scopes'), scopeList, word('--class'), rowId]),
      ([, , keyName, , by, , scopes, , classId]) => ({ name: 'api-keys create', keyName, by, scopes, classId }),
    ),
    shape(z.tuple([word('api-keys'), word('list')]), () => ({ name: 'api-keys list' })),
    shape(z.tuple([word('api-keys'), word('revoke'), rowId]), ([, , keyId]) => ({ name: 'api-keys revoke', keyId })),
  ],
  clusters: () => [
    shape(z.tuple([word('clusters')]), () => ({ name: 'clusters list' })),
    shape(z.tuple([word('clusters'), word('list')]), () => ({ name: 'clusters list' })),
    shape(z.tuple([word('clusters'), z.enum(['cordon', 'uncordon']), clusterName]), ([, sub, cluster]) => ({ name: `clusters ${sub}`, cluster })),
  ],
  help: () => [helpShape()],
  '--help': () => [helpShape()],
  '-h': () => [helpShape()],
  version: () => [versionShape()],
  '--version': () => [versionShape()],
  '-v': () => [versionShape()],
};

export type ParsedArgs = { readonly ok: true; readonly command: Command } | { readonly ok: false; readonly message: string };

export function parseArgs(argv: readonly string[]): ParsedArgs {
  if (asksForHelp(argv)) return { ok: true, command: { name: 'help' } };
  const first = argv[0];
  const shapes = first !== undefined && Object.hasOwn(SHAPES, first) ? SHAPES[first]!() : [];
  const parsed = shapes.length > 0 ? z.union(shapes).safeParse(argv) : undefined;
  if (parsed?.success) return { ok: true, command: parsed.data };
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
  if (first === 'users') return describeUsers(second, rest);
  if (first === 'clusters') {
    if (second === 'list') return `clusters list takes no arguments, got ${JSON.stringify(rest.join(' '))}`;
    if (second !== 'cordon' && second !== 'uncordon') return `clusters: unknown subcommand ${JSON.stringify(second)} (list, cordon or uncordon)`;
    if (rest[0] === undefined) return `clusters ${second}: missing NAME (as the pool file names it)`;
    if (!clusterName.safeParse(rest[0]).success) return `clusters ${second}: ${JSON.stringify(rest[0])} is not a cluster name`;
    return `clusters ${second}: unexpected ${JSON.stringify(rest.slice(1).join(' '))}`;
  }
  if (first === 'classes') {
    if (second !== 'add') return second === undefined ? 'classes: missing subcommand (add)' : `classes: unknown subcommand ${JSON.stringify(second)}`;
    const [name, flag, owner] = rest;
    if (name === undefined || !className.safeParse(name).success) return 'classes add: expected a class NAME of 1 to 100 characters';
    if (flag !== '--owner') return 'classes add: expected --owner USER (an instructor made with `kubelab users add USER --role instructor`)';
    if (!userName.safeParse(owner).success) return `classes add: ${JSON.stringify(owner ?? '')} is not a valid user name`;
    return `classes add: unexpected ${JSON.stringify(rest.slice(3).join(' '))}`;
  }
  if (first === 'api-keys') return describeApiKeys(second, rest);
  return `unknown command ${JSON.stringify(first)}`;
}

const API_KEYS_CREATE = 'api-keys create NAME --by USER --scopes SCOPE[,SCOPE…] [--class CLASS_ID]';

function describeApiKeys(sub: string | undefined, rest: readonly string[]): string {
  if (sub === 'list') return `api-keys list: unexpected ${JSON.stringify(rest.join(' '))}`;
  if (sub === 'revoke') {
    return rowId.safeParse(rest[0]).success
      ? `api-keys revoke: unexpected ${JSON.stringify(rest.slice(1).join(' '))}`
      : `api-keys revoke: KEY_ID must be a number as \`kubelab api-keys list\` prints it, got ${JSON.stringify(rest[0] ?? '')}`;
  }
  if (sub !== 'create') return sub === undefined ? 'api-keys: missing subcommand (create, list or revoke)' : `api-keys: unknown subcommand ${JSON.stringify(sub)} (create, list or revoke)`;
  const [name, byFlag, by, scopesFlag, scopes, classFlag, classId] = rest;
  if (name === undefined || !className.safeParse(name).success) return `expected ${API_KEYS_CREATE}: NAME is 1 to 100 characters`;
  if (byFlag !== '--by' || !userName.safeParse(by).success) return `expected ${API_KEYS_CREATE}: --by names the admin or instructor whose standing the key carries`;
  if (scopesFlag !== '--scopes' || !scopeList.safeParse(scopes).success) return `expected ${API_KEYS_CREATE}: --scopes takes ${API_KEY_SCOPES.join(', ')} (comma-separated), got ${JSON.stringify(scopes ?? '')}`;
  if (classFlag !== '--class' || !rowId.safeParse(classId).success) return `expected ${API_KEYS_CREATE}: --class takes a class id, got ${JSON.stringify(classFlag === '--class' ? (classId ?? '') : (classFlag ?? ''))}`;
  return `api-keys create: unexpected ${JSON.stringify(rest.slice(7).join(' '))}`;
}

const USERS_SUBCOMMANDS = 'add, list, tokens, revoke, disable, enable or role';

function describeUsers(sub: string | undefined, rest: readonly string[]): string {
  if (sub === undefined) return `users: missing subcommand (${USERS_SUBCOMMANDS})`;
  const extra = (n: number) => `users ${sub}: unexpected ${JSON.stringify(rest.slice(n).join(' '))}`;
  const badId = (what: string, value: string | undefined) =>
    value === undefined ? `users ${sub}: missing ${what}` : `users ${sub}: ${what} must be a number as \`kubelab users ${what === 'TOKEN_ID' ? 'tokens' : 'list'}\` prints it, got ${JSON.stringify(value)}`;
  switch (sub) {
    case 'add': {
      const [name, flag, value, ...more] = rest;
      if (name === undefined) return 'users add: missing NAME';
      if (!userName.safeParse(name).success) return `users add: ${JSON.stringify(name)} is not a valid user name (letters, digits and . _ @ -, at most 64)`;
      if (flag !== undefined && flag !== '--role') return `users add: unknown option ${JSON.stringify(flag)}`;
      if (flag !== undefined && !role.safeParse(value).success) return `users add: --role expects learner, instructor or admin, got ${JSON.stringify(value ?? '')}`;
      return `users add: unexpected ${JSON.stringify(more.join(' '))}`;
    }
    case 'list':
      return extra(0);
    case 'tokens':
    case 'disable':
    case 'enable':
      return rowId.safeParse(rest[0]).success ? extra(1) : badId('USER_ID', rest[0]);
    case 'revoke':
      return rowId.safeParse(rest[0]).success ? extra(1) : badId('TOKEN_ID', rest[0]);
    case 'role':
      if (!rowId.safeParse(rest[0]).success) return badId('USER_ID', rest[0]);
      if (!role.safeParse(rest[1]).success) return `users role: ROLE must be learner, instructor or admin, got ${JSON.stringify(rest[1] ?? '')}`;
      return extra(2);
    default:
      return `users: unknown subcommand ${JSON.stringify(sub)} (${USERS_SUBCOMMANDS})`;
  }
}
