// The diagnosed cause is kept with each check result (migration *_hints.sql), and rows
// graded before the column existed still read, with no cause.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AttemptsRepo } from './attempts.ts';
import { openDatabase } from './database.ts';
import { EnvironmentsRepo } from './environments.ts';
import { migrate, readMigrations } from './migrate.ts';
import { UsersRepo } from './users.ts';

let dir: string;
let file: string;
const now = () => 1_700_000_000_000;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kubelab-cause-'));
  file = path.join(dir, 'kubelab.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('check results: the diagnosed cause', () => {
  it('is stored with a fail and read back; a pass has none', () => {
    const db = openDatabase(file, { now });
    try {
      const user = db.users.create({ externalKey: 'local:a', displayName: 'A', email: null, role: 'learner' });
      const env = db.environments.create({ userId: user.id, exerciseId: 'x', namespace: 'ns', expiresAt: 0 });
      const attempt = db.attempts.create({ userId: user.id, environmentId: env.id, exerciseId: 'x', maxScore: 2 });
      const fail = db.checkResults.record({ attemptId: attempt.id, checkId: 'http', status: 'fail', points: 0, maxPoints: 1, message: 'refused', hint: 'h', cause: 'wrong-target-port' });
      db.checkResults.record({ attemptId: attempt.id, checkId: 'svc', status: 'pass', points: 1, maxPoints: 1, message: 'ok' });
      expect(fail.cause).toBe('wrong-target-port');
      expect(db.checkResults.listForAttempt(attempt.id).map((r) => [r.checkId, r.cause])).toEqual([['http', 'wrong-target-port'], ['svc', null]]);
      expect(() => db.checkResults.record({ attemptId: attempt.id, checkId: 'e', status: 'fail', points: 0, maxPoints: 0, message: '', cause: '' })).toThrow(/CHECK/);
    } finally {
      db.close();
    }
  });

  it('is null for a row written before the column existed, which still reads after the upgrade', () => {
    // A database as the previous release left it: every migration before the one adding `cause`.
    const all = readMigrations();
    const before = all.filter((m) => !/ADD COLUMN cause/.test(m.sql));
    expect(before.length).toBe(all.length - 1);
    const old = new Database(file);
    old.pragma('foreign_keys = ON');
    migrate(old, before, now);
    const user = new UsersRepo(old, now).create({ externalKey: 'local:a', displayName: 'A', email: null, role: 'learner' });
    const env = new EnvironmentsRepo(old, now).create({ userId: user.id, exerciseId: 'x', namespace: 'ns', expiresAt: 0 });
    const attempt = new AttemptsRepo(old, now).create({ userId: user.id, environmentId: env.id, exerciseId: 'x', maxScore: 1 });
    old.prepare(
      `INSERT INTO check_results (attempt_id, check_id, status, points, max_points, message, hint, evidence, finished_at)
       VALUES (?, 'http', 'fail', 0, 1, 'refused', 'old hint', 'null', 1)`,
    ).run(attempt.id);
    old.close();

    const db = openDatabase(file, { now });
    try {
      expect(db.checkResults.listForAttempt(attempt.id)).toMatchObject([{ checkId: 'http', status: 'fail', hint: 'old hint', cause: null }]);
    } finally {
      db.close();
    }
  });
});
