// Namespace names are keyed with a per-installation secret (#17.3): two installations
// name the same learner's namespace differently, the secret survives reopening, and an
// environment created before the upgrade (unsalted name) keeps its namespace and works.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../server/db/database.ts';
import { migrate, readMigrations } from '../../server/db/migrate.ts';
import { namespaceFor } from '../../server/environments/naming.ts';
import { startHarness, type Harness } from './harness.ts';

/** The name kubelab gave namespaces before they were salted. */
const legacyNamespace = (userId: number, exerciseId: string) =>
  `kl-${exerciseId.slice(0, 20).replace(/-+$/, '')}-${createHash('sha256').update(`kubelab-namespace\u0000${userId}\u0000${exerciseId}`).digest('hex').slice(0, 16)}`;

const dirs: string[] = [];
const opened: Db[] = [];
function freshDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubelab-salt-'));
  dirs.push(dir);
  return dir;
}
function open(file: string): Db {
  const db = openDatabase(file, { now: () => 1_700_000_000_000 });
  opened.push(db);
  return db;
}
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('installation salt', () => {
  it('differs between installations, so the same learner and exercise get different names', () => {
    const a = open(path.join(freshDir(), 'kubelab.db'));
    const b = open(path.join(freshDir(), 'kubelab.db'));
    expect(a.installation.namespaceSalt).toMatch(/^[0-9a-f]{64}$/);
    expect(a.installation.namespaceSalt).not.toBe(b.installation.namespaceSalt);
    const nameA = namespaceFor(1, 'clusterip-basics', a.installation.namespaceSalt);
    expect(nameA).not.toBe(namespaceFor(1, 'clusterip-basics', b.installation.namespaceSalt));
    expect(nameA).not.toBe(legacyNamespace(1, 'clusterip-basics'));
  });

  it('is generated once: reopening the database keeps it', () => {
    const file = path.join(freshDir(), 'kubelab.db');
    const salt = open(file).installation.namespaceSalt;
    opened.pop()?.close();
    expect(open(file).installation.namespaceSalt).toBe(salt);
  });

  it('is added by upgrading a database without losing its environments', () => {
    const file = path.join(freshDir(), 'kubelab.db');
    const old = new Database(file);
    migrate(old, readMigrations().slice(0, 3), () => 1);
    old.prepare(`INSERT INTO users (id, external_key, display_name, role, created_at) VALUES (1, 'local:ada', 'Ada', 'learner', 1)`).run();
    old.prepare(
      `INSERT INTO environments (user_id, exercise_id, namespace, status, created_at, updated_at, expires_at) VALUES (1, 'target-port', ?, 'ready', 1, 1, 9)`,
    ).run(legacyNamespace(1, 'target-port'));
    old.close();

    const db = open(file);
    expect(db.installation.namespaceSalt).toMatch(/^[0-9a-f]{64}$/);
    expect(db.environments.selectOptionalCurrent(1, 'target-port')).toMatchObject({ namespace: legacyNamespace(1, 'target-port'), status: 'ready' });
  });
});

describe('environments across the upgrade', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('a new environment gets the salted name', async () => {
    const user = h.learner('newcomer');
    const { environment } = await h.service().ensure(user, 'clusterip-basics');
    expect(environment.namespace).toBe(namespaceFor(user, 'clusterip-basics', h.db.installation.namespaceSalt));
    expect(environment.namespace).not.toBe(legacyNamespace(user, 'clusterip-basics'));
  });

  it('an environment created before keeps its stored namespace: found, provisioned, applied to, then replaced by a salted one', async () => {
    const service = h.service();
    const user = h.learner('veteran');
    const legacy = legacyNamespace(user, 'clusterip-basics');
    // As the upgrade leaves it: a row naming the unsalted namespace (its provisioning had failed).
    const row = h.db.environments.create({ userId: user, exerciseId: 'clusterip-basics', namespace: legacy, expiresAt: h.clock.now + 3600_000 });
    h.db.environments.setStatus(row.id, 'failed', 'interrupted by the upgrade');

    const { environment, created } = await service.ensure(user, 'clusterip-basics');
    expect({ id: environment.id, namespace: environment.namespace, status: environment.status, created }).toEqual({ id: row.id, namespace: legacy, status: 'ready', created: false });
    expect(await h.admin.find({ apiVersion: 'v1', kind: 'Namespace', name: legacy })).toBeDefined();
    expect(service.get(user, 'clusterip-basics').namespace).toBe(legacy);

    const applied = await service.apply(user, 'clusterip-basics', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kept}\ndata: {a: "1"}\n');
    expect(applied).toEqual([expect.objectContaining({ namespace: legacy, action: 'created' })]);
    expect((await service.kubeconfig(user, 'clusterip-basics')).kubeconfig).toContain(`namespace: ${legacy}`);

    // Once deleted, the next environment is named with the salt.
    await service.remove(user, 'clusterip-basics');
    const again = await service.ensure(user, 'clusterip-basics');
    expect(again.environment.namespace).toBe(namespaceFor(user, 'clusterip-basics', h.db.installation.namespaceSalt));
  });
});
