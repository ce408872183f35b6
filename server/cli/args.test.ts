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
    [['users'], 'users: missing subcommand (add)'],
    [['users', 'add'], 'users add: missing NAME'],
    [['users', 'add', '../x'], 'users add: "../x" is not a valid user name (letters, digits and . _ @ -, at most 64)'],
    [['users', 'add', 'bob', '--role', 'root'], 'users add: --role expects learner, instructor or admin, got "root"'],
    [['users', 'add', 'bob', '--admin'], 'users add: unknown option "--admin"'],
  ])('%j is refused: %s', (argv, message) => {
    expect(parseArgs(argv)).toEqual({ ok: false, message });
  });
});
