// `kubelab classes add NAME --owner USER`: the join link it prints opens the class; a
// missing or learner owner is exit 1 with a message; malformed arguments are usage
// errors (exit 2). The whole path runs once through the real bin (node bin/kubelab.cjs);
// the other cases call main(), the function the bin hands argv to, in-process.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../server/catalog/loader.ts';
import { loadConfig } from '../../server/config/config.ts';
import { main } from '../../server/cli/main.ts';
import { databaseFile, openDatabase, type Db } from '../../server/db/database.ts';
import type { Role } from '../../server/db/users.ts';
import { cleanEnv, kubelab, REPO } from './run.ts';

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function dataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubelab-cli-classes-'));
  temps.push(dir);
  return dir;
}

function withDb<T>(data: string, fn: (db: Db) => T): T {
  const db = openDatabase(databaseFile(data));
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** A local user as `kubelab users add NAME --role ROLE` makes it. */
function localUser(data: string, name: string, role: Role) {
  return withDb(data, (db) => db.users.create({ externalKey: `local:${name}`, displayName: name, role }));
}

const classCount = (data: string) => withDb(data, (db) => (db.sqlite.prepare('SELECT count(*) AS n FROM classes').get() as { n: number }).n);

/** main() with captured output and only the variables the test gives. */
async function run(args: string[], env: Record<string, string>) {
  let stdout = '';
  let stderr = '';
  const exitCode = await main(args, {
    out: (text) => { stdout += text; },
    err: (text) => { stderr += text; },
    env: cleanEnv(env),
    cwd: REPO,
  });
  return { exitCode, stdout, stderr };
}

describe('kubelab classes add', () => {
  it('prints a join link, once, that opens a class of every exercise owned by the instructor (the real bin)', async () => {
    const data = dataDir();
    const teacher = await kubelab(['users', 'add', 'grace', '--role', 'instructor'], { env: { KUBELAB_DATA_DIR: data } });
    expect(teacher.exitCode).toBe(0);

    const result = await kubelab(['classes', 'add', 'Networking 101, week 3', '--owner', 'grace'], {
      env: { KUBELAB_DATA_DIR: data, KUBELAB_PUBLIC_URL: 'https://lab.example.org/' },
    });
    expect(result.exitCode).toBe(0);
    // execa strips the final newline of each stream.
    expect(result.stderr).toMatch(/^class "Networking 101, week 3" \(id \d+\), owned by grace: join link below, shown once$/);
    const match = /^https:\/\/lab\.example\.org\/join\/([A-Za-z0-9_-]{12,64})$/.exec(result.stdout);
    expect(match, result.stdout).not.toBeNull();
    const code = match![1]!;

    const catalog = await loadCatalog(loadConfig({}).exercisesDir);
    withDb(data, (db) => {
      const owner = db.users.selectByExternalKey('local:grace');
      const opened = db.classes.selectOpenByJoinCode(code);
      expect(opened).toMatchObject({
        name: 'Networking 101, week 3',
        ownerUserId: owner.id,
        exerciseIds: catalog.exercises.map((e) => e.id),
        dueAt: null,
        joinOpen: true,
      });
      expect(db.audit.list().find((a) => a.action === 'class.create')).toMatchObject({ actorUserId: owner.id, target: `class:${opened!.id}` });
    });
    // Only the code's hash is stored.
    for (const file of [databaseFile(data), `${databaseFile(data)}-wal`]) {
      if (existsSync(file)) expect(readFileSync(file).includes(Buffer.from(code))).toBe(false);
    }
  });

  it('each class gets its own link; an admin may own one; the default public URL is used when none is set', async () => {
    const data = dataDir();
    localUser(data, 'root', 'admin');
    const first = await run(['classes', 'add', 'A', '--owner', 'root'], { KUBELAB_DATA_DIR: data, PORT: '9191' });
    const second = await run(['classes', 'add', 'B', '--owner', 'root'], { KUBELAB_DATA_DIR: data, PORT: '9191' });
    expect([first.exitCode, second.exitCode]).toEqual([0, 0]);
    expect(first.stdout).toMatch(/^http:\/\/127\.0\.0\.1:9191\/join\/[A-Za-z0-9_-]{12,64}\n$/);
    expect(first.stderr).toMatch(/^class "A" \(id \d+\), owned by root: join link below, shown once\n$/);
    expect(second.stdout).not.toBe(first.stdout);
    const codes = [first, second].map((r) => r.stdout.trim().split('/join/')[1]!);
    withDb(data, (db) => {
      expect(codes.map((c) => db.classes.selectOpenByJoinCode(c)?.name)).toEqual(['A', 'B']);
    });
  });

  it('an unknown owner → exit 1 with a message saying how to make one; no class', async () => {
    const data = dataDir();
    const result = await run(['classes', 'add', 'Orphans', '--owner', 'ghost'], { KUBELAB_DATA_DIR: data });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('kubelab: no user "ghost": create one with `kubelab users add ghost --role instructor`\n');
    expect(classCount(data)).toBe(0);
  });

  it('a learner owner → exit 1 with a message; no class', async () => {
    const data = dataDir();
    localUser(data, 'ada', 'learner');
    const result = await run(['classes', 'add', 'Mine', '--owner', 'ada'], { KUBELAB_DATA_DIR: data });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('kubelab: ada is a learner; a class needs an instructor or admin (`kubelab users add ada --role instructor`)\n');
    expect(classCount(data)).toBe(0);
  });

  it('a bad configuration → exit 2 naming the variable', async () => {
    const result = await run(['classes', 'add', 'X', '--owner', 'grace'], { KUBELAB_DATA_DIR: dataDir(), KUBELAB_PUBLIC_URL: 'ftp://nope' });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('KUBELAB_PUBLIC_URL: expected an http(s) URL');
  });

  it.each([
    ['no subcommand', ['classes'], 'classes: missing subcommand (add)'],
    ['an unknown subcommand', ['classes', 'remove', 'X'], 'classes: unknown subcommand "remove"'],
    ['no NAME', ['classes', 'add'], 'classes add: expected a class NAME of 1 to 100 characters'],
    ['an empty NAME', ['classes', 'add', '', '--owner', 'grace'], 'classes add: expected a class NAME of 1 to 100 characters'],
    ['a blank NAME', ['classes', 'add', '   ', '--owner', 'grace'], 'classes add: expected a class NAME of 1 to 100 characters'],
    ['a NAME over 100 characters', ['classes', 'add', 'x'.repeat(101), '--owner', 'grace'], 'classes add: expected a class NAME of 1 to 100 characters'],
    ['a control character in NAME', ['classes', 'add', 'bad\u001bname', '--owner', 'grace'], 'classes add: expected a class NAME of 1 to 100 characters'],
    ['no --owner', ['classes', 'add', 'X'], 'classes add: expected --owner USER'],
    ['another option', ['classes', 'add', 'X', '--role', 'grace'], 'classes add: expected --owner USER'],
    ['--owner without USER', ['classes', 'add', 'X', '--owner'], 'classes add: "" is not a valid user name'],
    ['a bad USER', ['classes', 'add', 'X', '--owner', '../etc'], 'classes add: "../etc" is not a valid user name'],
    ['extra arguments', ['classes', 'add', 'X', '--owner', 'grace', 'more'], 'classes add: unexpected "more"'],
  ])('%s → exit 2 with the message and the usage; nothing written', async (_name, args, message) => {
    const data = dataDir();
    const result = await run(args, { KUBELAB_DATA_DIR: data });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`kubelab: ${message}`);
    expect(result.stderr).toContain('classes add NAME --owner USER');
    expect(existsSync(databaseFile(data))).toBe(false);
  });

  it('the usage lists the command', async () => {
    const result = await run(['--help'], {});
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('classes add NAME --owner USER');
  });
});
