// Classes and their join codes on a real SQLite file, with an injected clock and
// random bytes: hashed codes, rotation, closed classes, membership.
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JoinCode } from './classes.ts';
import { openDatabase, type Db } from './database.ts';
import { NotFoundError } from './errors.ts';
import { hashToken } from './tokens.ts';
import type { User } from './users.ts';

const T0 = 1_700_000_000_000;
let dir: string;
let db: Db;
let clock: number;
let counter: number;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kubelab-classes-'));
  clock = T0;
  counter = 0;
  db = openDatabase(path.join(dir, 'kubelab.db'), {
    now: () => clock,
    // A counter: each code differs, and runs repeat.
    randomBytes: (size) => Buffer.alloc(size, ++counter),
  });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

let users = 0;
const user = (role: User['role'] = 'learner'): User => db.users.create({ externalKey: `local:u${++users}`, displayName: `U${users}`, role });
const makeClass = (name = 'Networking 101', exerciseIds = ['clusterip-basics', 'target-port']) =>
  db.classes.create({ name, ownerUserId: user('instructor').id, exerciseIds });
const classRow = (id: number) => db.sqlite.prepare('SELECT * FROM classes WHERE id = ?').get(id) as Record<string, unknown>;
const close = (id: number) => db.sqlite.prepare('UPDATE classes SET join_open = 0 WHERE id = ?').run(id);

describe('classes', () => {
  it('creates a class with an open link; the code is random, typeable, and stored only as its hash', () => {
    const owner = user('instructor');
    const { joinCode, class: made } = db.classes.create({ name: 'Week 3', ownerUserId: owner.id, exerciseIds: ['multi-port', 'target-port'], dueAt: T0 + 7 * 86_400_000 });
    expect(joinCode).toBe(Buffer.alloc(12, 1).toString('base64url'));
    expect(JoinCode.safeParse(joinCode).success).toBe(true);
    expect(made).toEqual({
      id: made.id,
      name: 'Week 3',
      ownerUserId: owner.id,
      exerciseIds: ['multi-port', 'target-port'],
      dueAt: T0 + 7 * 86_400_000,
      environmentTtlMs: null,
      joinOpen: true,
      createdAt: T0,
    });
    const stored = classRow(made.id);
    expect(stored.join_code_hash).toBe(hashToken(joinCode));
    expect(Object.values(stored).map(String).some((v) => v.includes(joinCode))).toBe(false);
    expect(JSON.stringify(made)).not.toContain(joinCode);
    db.close();
    for (const file of ['kubelab.db', 'kubelab.db-wal']) {
      const full = path.join(dir, file);
      if (existsSync(full)) expect(readFileSync(full).includes(Buffer.from(joinCode))).toBe(false);
    }
  });

  it('dueAt defaults to null; select finds by id; an unknown id is NotFoundError', () => {
    const { class: made } = makeClass();
    expect(made.dueAt).toBeNull();
    expect(db.classes.select(made.id)).toEqual(made);
    expect(() => db.classes.select(999)).toThrow(NotFoundError);
  });

  it('refuses an unknown owner', () => {
    expect(() => db.classes.create({ name: 'x', ownerUserId: 999, exerciseIds: [] })).toThrow(/FOREIGN KEY/);
  });

  it('the code opens its class; other and malformed codes do not', () => {
    const first = makeClass('First');
    const second = makeClass('Second');
    expect(first.joinCode).not.toBe(second.joinCode);
    expect(db.classes.selectOpenByJoinCode(first.joinCode)).toEqual(first.class);
    expect(db.classes.selectOpenByJoinCode(second.joinCode)).toEqual(second.class);
    for (const code of ['', 'short', `${first.joinCode} `, `${first.joinCode}x`, first.joinCode.slice(1), first.joinCode.toLowerCase(), 'a'.repeat(65), '../../etc/passwd', hashToken(first.joinCode)]) {
      expect(db.classes.selectOpenByJoinCode(code), JSON.stringify(code)).toBeUndefined();
    }
  });

  it('rotating makes a new code and the old one stops working', () => {
    const { joinCode: old, class: made } = makeClass();
    const rotated = db.classes.rotateJoinCode(made.id);
    expect(rotated.joinCode).not.toBe(old);
    expect(rotated.class).toEqual(made);
    expect(db.classes.selectOpenByJoinCode(old)).toBeUndefined();
    expect(db.classes.selectOpenByJoinCode(rotated.joinCode)?.id).toBe(made.id);
    expect(classRow(made.id).join_code_hash).toBe(hashToken(rotated.joinCode));
    expect(() => db.classes.rotateJoinCode(999)).toThrow(NotFoundError);
  });

  it('a closed class (join_open = 0) does not open, even with its current code; rotating opens it again', () => {
    const { joinCode, class: made } = makeClass();
    close(made.id);
    expect(db.classes.select(made.id).joinOpen).toBe(false);
    expect(db.classes.selectOpenByJoinCode(joinCode)).toBeUndefined();
    const rotated = db.classes.rotateJoinCode(made.id);
    expect(rotated.class.joinOpen).toBe(true);
    expect(db.classes.selectOpenByJoinCode(rotated.joinCode)?.id).toBe(made.id);
    expect(db.classes.selectOpenByJoinCode(joinCode)).toBeUndefined();
  });

  it('addMember is idempotent: one membership, joined when first added', () => {
    const { class: made } = makeClass();
    const alice = user();
    db.classes.addMember(made.id, alice.id);
    clock = T0 + 60_000;
    db.classes.addMember(made.id, alice.id);
    const rows = db.sqlite.prepare('SELECT * FROM class_members WHERE class_id = ?').all(made.id);
    expect(rows).toEqual([{ class_id: made.id, user_id: alice.id, joined_at: T0 }]);
    expect(db.classes.listForMember(alice.id)).toEqual([made]);
  });

  it('addMember refuses an unknown class or user', () => {
    const { class: made } = makeClass();
    expect(() => db.classes.addMember(999, user().id)).toThrow(/FOREIGN KEY/);
    expect(() => db.classes.addMember(made.id, 999)).toThrow(/FOREIGN KEY/);
  });

  it('listForMember: the member’s classes in the order they were made, nobody else’s', () => {
    const a = makeClass('A');
    const b = makeClass('B');
    const c = makeClass('C');
    const alice = user();
    const bob = user();
    db.classes.addMember(c.class.id, alice.id);
    db.classes.addMember(a.class.id, alice.id);
    db.classes.addMember(b.class.id, bob.id);
    expect(db.classes.listForMember(alice.id).map((k) => k.name)).toEqual(['A', 'C']);
    expect(db.classes.listForMember(bob.id).map((k) => k.name)).toEqual(['B']);
    expect(db.classes.listForMember(user().id)).toEqual([]);
    // A closed class still lists for its members: closing stops joining, not membership.
    close(a.class.id);
    expect(db.classes.listForMember(alice.id).map((k) => [k.name, k.joinOpen])).toEqual([['A', false], ['C', true]]);
  });

  it('deleting a user removes their memberships', () => {
    const { class: made } = makeClass();
    const alice = user();
    db.classes.addMember(made.id, alice.id);
    db.sqlite.prepare('DELETE FROM users WHERE id = ?').run(alice.id);
    expect(db.sqlite.prepare('SELECT count(*) AS n FROM class_members').get()).toEqual({ n: 0 });
  });
});
