import { describe, expect, it } from 'vitest';
import { parseArgs } from './args.ts';

describe('parseArgs', () => {
  it.each([
    [['serve'], { name: 'serve' }],
    [['exercises', 'list'], { name: 'exercises list' }],
    [['exercises', 'validate'], { name: 'exercises validate', dirs: [] }],
    [['exercises', 'validate', 'a', 'b/c'], { name: 'exercises validate', dirs: ['a', 'b/c'] }],
    [['sim', '--port', '6443', '--help'], { name: 'sim', rest: ['--port', '6443', '--help'] }],
    [['grade', 'clusterip-basics', '--namespace', 'ns', '--json'], { name: 'grade', rest: ['clusterip-basics', '--namespace', 'ns', '--json'] }],
    [['help'], { name: 'help' }],
    [['--help'], { name: 'help' }],
    [['exercises', 'validate', '-h'], { name: 'help' }],
    [['--version'], { name: 'version' }],
    [['users', 'add', 'alice'], { name: 'users add', user: 'alice' }],
    [['users', 'add', 'ada.l@uni', '--role', 'instructor'], { name: 'users add', user: 'ada.l@uni', role: 'instructor' }],
    [['users', 'list'], { name: 'users list' }],
    [['users', 'tokens', '7'], { name: 'users tokens', userId: 7 }],
    [['users', 'revoke', '12'], { name: 'users revoke', tokenId: 12 }],
    [['users', 'disable', '7'], { name: 'users disable', userId: 7 }],
    [['users', 'enable', '7'], { name: 'users enable', userId: 7 }],
    [['users', 'role', '7', 'instructor'], { name: 'users role', userId: 7, role: 'instructor' }],
  ])('%j', (argv, command) => {
    expect(parseArgs(argv)).toEqual({ ok: true, command });
  });

  it.each([
    [[], 'missing command'],
    [['frob'], 'unknown command "frob"'],
    [['serve', '--port', '1'], 'serve takes no arguments, got "--port 1"'],
    [['exercises'], 'exercises: missing subcommand (list or validate)'],
    [['exercises', 'delete'], 'exercises: unknown subcommand "delete"'],
    [['exercises', 'list', 'x'], 'exercises list takes no arguments, got "x"'],
    [['exercises', 'validate', '--strict'], 'exercises validate: unknown option "--strict"'],
    [['users'], 'users: missing subcommand (add, list, tokens, revoke, disable, enable or role)'],
    [['users', 'delete', '3'], 'users: unknown subcommand "delete" (add, list, tokens, revoke, disable, enable or role)'],
    [['users', 'list', '--all'], 'users list: unexpected "--all"'],
    [['users', 'disable'], 'users disable: missing USER_ID'],
    [['users', 'disable', 'ada'], 'users disable: USER_ID must be a number as `kubelab users list` prints it, got "ada"'],
    [['users', 'enable', '0'], 'users enable: USER_ID must be a number as `kubelab users list` prints it, got "0"'],
    [['users', 'tokens', '1e3'], 'users tokens: USER_ID must be a number as `kubelab users list` prints it, got "1e3"'],
    [['users', 'revoke', '-1'], 'users revoke: TOKEN_ID must be a number as `kubelab users tokens` prints it, got "-1"'],
    [['users', 'revoke', '4', '5'], 'users revoke: unexpected "5"'],
    [['users', 'role', '4'], 'users role: ROLE must be learner, instructor or admin, got ""'],
    [['users', 'role', '4', 'root'], 'users role: ROLE must be learner, instructor or admin, got "root"'],
    [['users', 'role', 'x', 'admin'], 'users role: USER_ID must be a number as `kubelab users list` prints it, got "x"'],
    [['users', 'add'], 'users add: missing NAME'],
    [['users', 'add', '../x'], 'users add: "../x" is not a valid user name (letters, digits and . _ @ -, at most 64)'],
    [['users', 'add', 'bob', '--role', 'root'], 'users add: --role expects learner, instructor or admin, got "root"'],
    [['users', 'add', 'bob', '--admin'], 'users add: unknown option "--admin"'],
  ])('%j is refused: %s', (argv, message) => {
    expect(parseArgs(argv)).toEqual({ ok: false, message });
  });
});
