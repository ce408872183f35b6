// `kubelab users list|tokens|revoke|disable|enable|role` against a real data directory:
// what each prints, what it changes (tokens and sessions stop working at once), the
// audit entries it leaves (null actor, via cli, no secrets), and its refusals. One path
// runs through the real bin; the rest call main() in-process.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../server/cli/main.ts';
import { databaseFile, openDatabase, type Db } from '../../server/db/database.ts';
import { hashToken } from '../../server/db/tokens.ts';
import type { Role } from '../../server/db/users.ts';
import { cleanEnv, kubelab, REPO } from './run.ts';

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function dataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubelab-cli-users-'));
  temps.push(dir);
  return dir;
}

const NOW = Date.UTC(2025, 2, 3, 8, 15, 30);

function withDb<T>(data: string, fn: (db: Db) => T): T {
  const db = openDatabase(databaseFile(data), { now: () => NOW });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

function seed(data: string, name: string, role: Role) {
  return withDb(data, (db) => {
    const user = db.users.create({ externalKey: `local:${name}`, displayName: name, role });
    const { plaintext, token } = db.tokens.createToken(user.id, `${name} laptop`, []);
    return { user, plaintext, token };
  });
}

async function run(args: string[], data: string) {
  let stdout = '';
  let stderr = '';
  const exitCode = await main(args, {
    out: (text) => { stdout += text; },
    err: (text) => { stderr += text; },
    env: cleanEnv({ KUBELAB_DATA_DIR: data }),
    cwd: REPO,
  });
  return { exitCode, stdout, stderr };
}

describe('kubelab users list and tokens', () => {
  it('lists every user with role, status and last seen (the real bin)', async () => {
    const data = dataDir();
    const root = seed(data, 'root', 'admin');
    const ada = seed(data, 'ada', 'learner');
    withDb(data, (db) => db.tokens.authenticate(ada.plaintext));

    const result = await kubelab(['users', 'list'], { env: { KUBELAB_DATA_DIR: data } });
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split('\n').map((l) => l.split(/\s{2,}/))).toEqual([
      ['ID', 'NAME', 'ROLE', 'STATUS', 'LAST SEEN', 'CREATED', 'KEY'],
      [String(root.user.id), 'root', 'admin', 'active', 'never', '2025-03-03T08:15Z', 'local:root'],
      [String(ada.user.id), 'ada', 'learner', 'active', '2025-03-03T08:15Z', '2025-03-03T08:15Z', 'local:ada'],
    ]);
  });

  it('lists a user’s tokens without their secrets', async () => {
    const data = dataDir();
    const ada = seed(data, 'ada', 'learner');
    const result = await run(['users', 'tokens', String(ada.user.id)], data);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trimEnd().split('\n').map((l) => l.split(/\s{2,}/))).toEqual([
      ['ID', 'LABEL', 'STATUS', 'CREATED', 'LAST USED'],
      [String(ada.token.id), 'ada laptop', 'active', '2025-03-03T08:15Z', 'never'],
    ]);
    expect(result.stdout).not.toContain(ada.plaintext);
  });
});

describe('kubelab users revoke, disable, enable, role', () => {
  it('revoke: the token stops working; the audit names it without the secret', async () => {
    const data = dataDir();
    const ada = seed(data, 'ada', 'learner');
    const result = await run(['users', 'revoke', String(ada.token.id)], data);
    expect(result).toEqual({ exitCode: 0, stderr: '', stdout: `revoked token ${ada.token.id} (ada laptop) of ada (user ${ada.user.id}): it no longer signs anyone in\n` });
    withDb(data, (db) => {
      expect(db.tokens.authenticate(ada.plaintext)).toBeUndefined();
      const entries = db.audit.list();
      expect(entries.map((a) => [a.actorUserId, a.action, a.target, a.details])).toEqual([
        [null, 'token.revoke', `token:${ada.token.id}`, { via: 'cli', owner: ada.user.id, name: 'ada laptop' }],
      ]);
      expect(JSON.stringify(entries)).not.toContain(ada.plaintext);
      expect(JSON.stringify(entries)).not.toContain(hashToken(ada.plaintext));
    });
  });

  it('disable ends sessions and refuses tokens at once; enable brings the tokens back', async () => {
    const data = dataDir();
    const ada = seed(data, 'ada', 'learner');
    const session = withDb(data, (db) => db.sessions.create(ada.user.id, 'join'));

    const off = await run(['users', 'disable', String(ada.user.id)], data);
    expect(off).toEqual({ exitCode: 0, stderr: '', stdout: `disabled ada (user ${ada.user.id}): sessions ended, tokens refused until enabled\n` });
    withDb(data, (db) => {
      expect(db.tokens.authenticate(ada.plaintext)).toBeUndefined();
      expect(db.sessions.authenticate(session.secret)).toBeUndefined();
      expect(db.audit.list()[0]).toMatchObject({ actorUserId: null, action: 'user.disable', details: { via: 'cli', sessionsEnded: 1 } });
    });

    const on = await run(['users', 'enable', String(ada.user.id)], data);
    expect(on.exitCode).toBe(0);
    expect(on.stdout).toBe(`enabled ada (user ${ada.user.id}): tokens that were not revoked work again\n`);
    withDb(data, (db) => {
      expect(db.tokens.authenticate(ada.plaintext)?.user.id).toBe(ada.user.id);
      expect(db.sessions.authenticate(session.secret)).toBeUndefined();
    });
  });

  it('role makes an instructor; the last active admin stays one', async () => {
    const data = dataDir();
    const root = seed(data, 'root', 'admin');
    const grace = seed(data, 'grace', 'learner');
    const made = await run(['users', 'role', String(grace.user.id), 'instructor'], data);
    expect(made).toEqual({ exitCode: 0, stderr: '', stdout: `grace (user ${grace.user.id}) is now an instructor\n` });

    const refused = await run(['users', 'role', String(root.user.id), 'learner'], data);
    expect(refused).toEqual({ exitCode: 1, stdout: '', stderr: 'kubelab: root is the last active admin: make someone else admin first\n' });
    const disabled = await run(['users', 'disable', String(root.user.id)], data);
    expect(disabled.exitCode).toBe(1);
    withDb(data, (db) => {
      expect(db.users.select(root.user.id)).toMatchObject({ role: 'admin', disabledAt: null });
      expect(db.users.select(grace.user.id).role).toBe('instructor');
    });
  });

  it('an unknown user or token → exit 1 naming it', async () => {
    const data = dataDir();
    seed(data, 'ada', 'learner');
    expect(await run(['users', 'disable', '99'], data)).toEqual({ exitCode: 1, stdout: '', stderr: 'kubelab: no user with id 99\n' });
    expect(await run(['users', 'revoke', '99'], data)).toEqual({ exitCode: 1, stdout: '', stderr: 'kubelab: no api token with id 99\n' });
    expect(await run(['users', 'tokens', '99'], data)).toEqual({ exitCode: 1, stdout: '', stderr: 'kubelab: no user with id 99\n' });
  });

  it.each([
    [['users', 'disable', 'ada'], 'users disable: USER_ID must be a number'],
    [['users', 'revoke'], 'users revoke: missing TOKEN_ID'],
    [['users', 'role', '1', 'root'], 'users role: ROLE must be learner, instructor or admin'],
  ])('%j → exit 2 with the message and the usage; nothing written', async (args, message) => {
    const data = dataDir();
    const result = await run(args, data);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`kubelab: ${message}`);
    expect(result.stderr).toContain('users role USER_ID ROLE');
    expect(existsSync(databaseFile(data))).toBe(false);
  });
});
