import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.ts';
import { openDatabase, type Db } from '../db/database.ts';
import { BOOTSTRAP_ADMIN_KEY, prepareDatabase } from './startup.ts';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kubelab-startup-'));
  db = openDatabase(path.join(dir, 'kubelab.db'), { now: () => 1000 });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const ADMIN_TOKEN = 'bootstrap-secret-0123456789abcdefghijklmnop';

describe('prepareDatabase', () => {
  it('registers the bootstrap admin token once, however often the server starts', () => {
    const config = loadConfig({ KUBELAB_ADMIN_TOKEN: ADMIN_TOKEN });
    expect(prepareDatabase(db, config)).toEqual({ interruptedAttempts: 0, bootstrapAdmin: true });
    prepareDatabase(db, config);
    const admin = db.users.selectByExternalKey(BOOTSTRAP_ADMIN_KEY);
    expect(admin.role).toBe('admin');
    expect(db.tokens.listForUser(admin.id)).toHaveLength(1);
    expect(db.tokens.authenticate(ADMIN_TOKEN)?.user.id).toBe(admin.id);
  });

  it('creates no admin without KUBELAB_ADMIN_TOKEN', () => {
    expect(prepareDatabase(db, loadConfig({}))).toEqual({ interruptedAttempts: 0, bootstrapAdmin: false });
    expect(db.users.list()).toEqual([]);
  });

  it('marks attempts left running by a dead process as interrupted, and audits it', () => {
    const user = db.users.create({ externalKey: 'local:a', displayName: 'A', role: 'learner' });
    const env = db.environments.create({ userId: user.id, exerciseId: 'x', namespace: 'ns', expiresAt: 2000 });
    const attempt = db.attempts.create({ userId: user.id, environmentId: env.id, exerciseId: 'x', maxScore: 1 });
    db.attempts.markRunning(attempt.id);
    expect(prepareDatabase(db, loadConfig({})).interruptedAttempts).toBe(1);
    expect(db.attempts.select(attempt.id).status).toBe('interrupted');
    expect(db.audit.list().map((e) => [e.action, e.target])).toEqual([['attempt.interrupt', `attempt:${attempt.id}`]]);
  });
});
