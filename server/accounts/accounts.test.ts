// The account rules on a real SQLite file, where the API cannot reach them: through the
// API an admin acting on another admin means two are active, so the last-admin rule
// bites for the server's shell (`kubelab users`) and for an admin's own account.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../db/database.ts';
import { NotFoundError } from '../db/errors.ts';
import type { Role } from '../db/users.ts';
import { AccountForbiddenError, AccountRuleError, Accounts, CLI_ACTOR, type Actor } from './accounts.ts';

let dir: string;
let db: Db;
let accounts: Accounts;
let counter = 0;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kubelab-accounts-'));
  db = openDatabase(path.join(dir, 'kubelab.db'), { now: () => 1_700_000_000_000, randomBytes: (n) => Buffer.alloc(n, ++counter) });
  accounts = new Accounts(db);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const user = (name: string, role: Role) => db.users.create({ externalKey: `local:${name}`, displayName: name, role });
const as = (u: { id: number; role: Role }): Actor => ({ user: { id: u.id, role: u.role }, via: 'api' });
const rule = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof AccountRuleError) return error.rule;
    throw error;
  }
  return 'allowed';
};

describe('the last active admin', () => {
  it('cannot be demoted or disabled from the shell; a disabled admin does not count', () => {
    const root = user('root', 'admin');
    const spare = user('spare', 'admin');
    accounts.setDisabled(CLI_ACTOR, spare.id, true);
    expect(rule(() => accounts.setRole(CLI_ACTOR, root.id, 'learner'))).toBe('last_admin');
    expect(rule(() => accounts.setDisabled(CLI_ACTOR, root.id, true))).toBe('last_admin');
    // The disabled one may be demoted: the count of active admins does not drop.
    expect(rule(() => accounts.setRole(CLI_ACTOR, spare.id, 'instructor'))).toBe('allowed');
    // With a second active admin, the first may go.
    accounts.setRole(CLI_ACTOR, spare.id, 'admin');
    accounts.setDisabled(CLI_ACTOR, spare.id, false);
    expect(rule(() => accounts.setDisabled(CLI_ACTOR, root.id, true))).toBe('allowed');
    expect(db.users.countActiveAdmins()).toBe(1);
  });

  it('cannot demote or disable themselves, even with other admins around; the shell records a null actor', () => {
    const root = user('root', 'admin');
    user('other', 'admin');
    expect(rule(() => accounts.setRole(as(root), root.id, 'instructor'))).toBe('own_account');
    expect(rule(() => accounts.setDisabled(as(root), root.id, true))).toBe('own_account');
    // Asking for what already is changes nothing and is no error.
    expect(rule(() => accounts.setRole(as(root), root.id, 'admin'))).toBe('allowed');
    accounts.setRole(CLI_ACTOR, root.id, 'instructor');
    expect(db.audit.list()[0]).toMatchObject({ actorUserId: null, action: 'user.role', details: { via: 'cli', from: 'admin', to: 'instructor' } });
  });
});

describe('reach', () => {
  it('an instructor reaches learners of their classes only; a learner nothing', () => {
    const teacher = user('teacher', 'instructor');
    const mine = user('mine', 'learner');
    const stranger = user('stranger', 'learner');
    const { class: klass } = db.classes.create({ name: 'C', ownerUserId: teacher.id, exerciseIds: [] });
    db.classes.addMember(klass.id, mine.id);
    expect(accounts.list(as(teacher), { after: 0, limit: 10 }).map((u) => u.id)).toEqual([mine.id]);
    expect(() => accounts.user(as(teacher), stranger.id)).toThrow(NotFoundError);
    const token = db.tokens.createToken(stranger.id, 'x', []).token;
    expect(() => accounts.revokeToken(as(teacher), token.id)).toThrow(NotFoundError);
    expect(() => accounts.list(as(mine), { after: 0, limit: 10 })).toThrow(AccountForbiddenError);
    expect(() => accounts.setDisabled(as(mine), stranger.id, true)).toThrow(AccountForbiddenError);
    expect(db.audit.list()).toEqual([]);
  });
});
