// `kubelab api-keys create|list|revoke` against a real data directory: the secret on
// stdout once (the hash in the file), what list shows (never the secret), revoke
// stopping the key, the audit entries (null actor, via cli), and the refusals.
import { mkdtempSync, rmSync } from 'node:fs';
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
  const dir = mkdtempSync(path.join(tmpdir(), 'kubelab-cli-keys-'));
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

const user = (data: string, name: string, role: Role) => withDb(data, (db) => db.users.create({ externalKey: `local:${name}`, displayName: name, role }));

async function run(args: string[], data: string) {
  let stdout = '';
  let stderr = '';
  const exitCode = await main(args, { out: (s) => { stdout += s; }, err: (s) => { stderr += s; }, env: cleanEnv({ KUBELAB_DATA_DIR: data }), cwd: REPO });
  return { exitCode, stdout, stderr };
}

describe('kubelab api-keys', () => {
  it('creates a server-wide key, printing only the secret on stdout (the real bin)', async () => {
    const data = dataDir();
    const root = user(data, 'root', 'admin');
    const result = await kubelab(['api-keys', 'create', 'Moodle sync', '--by', 'root', '--scopes', 'results:read,classes:write'], { env: { KUBELAB_DATA_DIR: data } });
    expect(result.exitCode, result.stderr).toBe(0);
    const secret = result.stdout.trim();
    expect(secret).toMatch(/^klk_[A-Za-z0-9_-]{43}$/);
    expect(result.stderr).toContain('the whole server');
    withDb(data, (db) => {
      const [key] = db.apiKeys.page({ afterId: 0, limit: 10 });
      expect(key).toMatchObject({ name: 'Moodle sync', scopes: ['results:read', 'classes:write'], classId: null, createdByUserId: root.id });
      const row = db.sqlite.prepare('SELECT key_hash FROM service_api_keys').get() as { key_hash: string };
      expect(row.key_hash).toBe(hashToken(secret));
      expect(db.audit.list()[0]).toMatchObject({ actorUserId: null, action: 'api_key.create', details: { via: 'cli', madeBy: root.id } });
    });
  });

  it('lists keys without secrets, and revoke stops one at once', async () => {
    const data = dataDir();
    const teacher = user(data, 'ada', 'instructor');
    const klass = withDb(data, (db) => db.classes.create({ name: 'Week 1', ownerUserId: teacher.id, exerciseIds: ['clusterip-basics'] }).class);
    const made = await run(['api-keys', 'create', 'Grades', '--by', 'ada', '--scopes', 'results:read', '--class', String(klass.id)], data);
    expect(made.exitCode, made.stderr).toBe(0);
    const secret = made.stdout.trim();
    const listed = await run(['api-keys', 'list'], data);
    expect(listed.stdout).not.toContain(secret);
    const rows = listed.stdout.trimEnd().split('\n').map((l) => l.split(/\s{2,}/));
    expect(rows[0]).toEqual(['ID', 'NAME', 'HINT', 'CLASS', 'SCOPES', 'STATUS', 'BY', 'CREATED', 'LAST USED']);
    expect(rows[1]?.slice(0, 7)).toEqual(['1', 'Grades', `${secret.slice(0, 8)}…`, String(klass.id), 'results:read', 'active', String(teacher.id)]);

    withDb(data, (db) => expect(db.apiKeys.authenticate(secret)).toBeDefined());
    const revoked = await run(['api-keys', 'revoke', '1'], data);
    expect(revoked.exitCode).toBe(0);
    withDb(data, (db) => {
      expect(db.apiKeys.authenticate(secret)).toBeUndefined();
      expect(db.audit.list()[0]).toMatchObject({ actorUserId: null, action: 'api_key.revoke', target: 'api-key:1' });
    });
    expect((await run(['api-keys', 'list'], data)).stdout).toContain('revoked');
  });

  it('refuses a server-wide key by an instructor, a class they do not teach, unknown users, scopes and keys', async () => {
    const data = dataDir();
    user(data, 'ada', 'instructor');
    const bob = user(data, 'bob', 'instructor');
    const theirs = withDb(data, (db) => db.classes.create({ name: 'Bob’s', ownerUserId: bob.id, exerciseIds: ['clusterip-basics'] }).class);
    const cases: [string[], number, string][] = [
      [['api-keys', 'create', 'x', '--by', 'ada', '--scopes', 'results:read'], 1, 'only an admin can make a server-wide key'],
      [['api-keys', 'create', 'x', '--by', 'ada', '--scopes', 'results:read', '--class', String(theirs.id)], 1, 'no such class'],
      [['api-keys', 'create', 'x', '--by', 'nobody', '--scopes', 'results:read'], 1, 'no user "nobody"'],
      [['api-keys', 'create', 'x', '--by', 'ada', '--scopes', 'grades:delete'], 2, '--scopes takes results:read, classes:write, environments:write'],
      [['api-keys', 'revoke', '99'], 1, 'no api key with id 99'],
      [['api-keys', 'revoke', 'one'], 2, 'KEY_ID must be a number'],
    ];
    for (const [args, code, message] of cases) {
      const result = await run(args, data);
      expect(result.exitCode, args.join(' ')).toBe(code);
      expect(result.stderr, args.join(' ')).toContain(message);
      expect(result.stdout).toBe('');
    }
    withDb(data, (db) => expect(db.apiKeys.page({ afterId: 0, limit: 10 })).toEqual([]));
  });
});
