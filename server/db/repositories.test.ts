import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from './database.ts';
import { NotFoundError } from './errors.ts';
import { hashToken } from './tokens.ts';
import type { User } from './users.ts';

let dir: string;
let db: Db;
let clock: number;
// Deterministic "random" bytes: a counter, so each token differs and tests repeat.
let counter: number;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kubelab-repo-'));
  clock = 1_700_000_000_000;
  counter = 0;
  db = openDatabase(path.join(dir, 'kubelab.db'), {
    now: () => clock,
    randomBytes: (size) => Buffer.alloc(size, ++counter),
  });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const learner = (key = 'local:alice'): User =>
  db.users.create({ externalKey: key, displayName: 'Alice', email: 'alice@example.edu', role: 'learner' });

describe('users', () => {
  it('round-trips and looks up by id and external key', () => {
    const alice = learner();
    expect(alice).toEqual({
      id: alice.id,
      externalKey: 'local:alice',
      displayName: 'Alice',
      email: 'alice@example.edu',
      role: 'learner',
      createdAt: clock,
      disabledAt: null,
    });
    expect(db.users.select(alice.id)).toEqual(alice);
    expect(db.users.selectByExternalKey('local:alice')).toEqual(alice);
    expect(db.users.list()).toEqual([alice]);
  });

  it('select throws NotFoundError, selectOptional returns undefined', () => {
    expect(() => db.users.select(42)).toThrow(NotFoundError);
    expect(db.users.selectOptional(42)).toBeUndefined();
    expect(db.users.selectOptionalByExternalKey('nobody')).toBeUndefined();
    expect(() => db.users.setRole(42, 'admin')).toThrow(NotFoundError);
  });

  it('refuses a second user with the same external key and an unknown role', () => {
    learner();
    expect(() => learner()).toThrow(/UNIQUE/);
    expect(() =>
      db.sqlite.prepare(`INSERT INTO users (external_key, display_name, role, created_at) VALUES ('x', 'x', 'root', 0)`).run(),
    ).toThrow(/CHECK/);
  });

  it('upserts by external key: refreshes name and email, keeps id and role', () => {
    const alice = learner();
    db.users.setRole(alice.id, 'instructor');
    const again = db.users.upsertByExternalKey({ externalKey: 'local:alice', displayName: 'Alice B', role: 'learner' });
    expect(again).toMatchObject({ id: alice.id, displayName: 'Alice B', email: null, role: 'instructor' });
  });
});

describe('api tokens', () => {
  it('returns the plaintext once, stores only its sha256, and authenticates with it', () => {
    const alice = learner();
    const { plaintext, token } = db.tokens.createToken(alice.id, 'ci', ['grades:read'], clock + 1000);
    expect(plaintext).toMatch(/^klb_[A-Za-z0-9_-]{43}$/);
    expect(token).toEqual({
      id: token.id,
      userId: alice.id,
      name: 'ci',
      scopes: ['grades:read'],
      createdAt: clock,
      lastUsedAt: null,
      expiresAt: clock + 1000,
      revokedAt: null,
    });
    expect(JSON.stringify(token)).not.toContain(plaintext);
    expect(db.sqlite.prepare('SELECT token_hash FROM api_tokens').get()).toEqual({ token_hash: hashToken(plaintext) });

    clock += 10;
    const auth = db.tokens.authenticate(plaintext);
    expect(auth?.user).toEqual(alice);
    expect(auth?.token.lastUsedAt).toBe(clock);
    expect(db.tokens.select(token.id).lastUsedAt).toBe(clock);
  });

  it('writes last_used_at at most once a minute per token', () => {
    const alice = learner();
    const { plaintext, token } = db.tokens.createToken(alice.id, 'poller', []);
    const first = clock;
    db.tokens.authenticate(plaintext);
    clock += 59_999;
    expect(db.tokens.authenticate(plaintext)?.token.lastUsedAt).toBe(first);
    expect(db.tokens.select(token.id).lastUsedAt).toBe(first);
    clock += 1;
    expect(db.tokens.authenticate(plaintext)?.token.lastUsedAt).toBe(clock);
    expect(db.tokens.select(token.id).lastUsedAt).toBe(clock);
  });

  it('a disabled user’s tokens and sessions open nothing; enabling restores the tokens only if not revoked', () => {
    const alice = learner();
    const { plaintext } = db.tokens.createToken(alice.id, 'ci', []);
    const { secret } = db.sessions.create(alice.id, 'token');
    db.users.setDisabled(alice.id, true);
    expect(db.tokens.authenticate(plaintext)).toBeUndefined();
    expect(db.sessions.authenticate(secret)).toBeUndefined();
    db.users.setDisabled(alice.id, false);
    expect(db.tokens.authenticate(plaintext)?.user.id).toBe(alice.id);
  });

  it('never writes the plaintext to the database files', () => {
    const { plaintext } = db.tokens.createToken(learner().id, 'ci', []);
    db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    for (const file of readdirSync(dir)) {
      const bytes = readFileSync(path.join(dir, file));
      expect(bytes.includes(Buffer.from(plaintext)), file).toBe(false);
      expect(bytes.includes(Buffer.from(plaintext.slice(4))), file).toBe(false);
      expect(bytes.includes(Buffer.from(hashToken(plaintext))), `${file} holds the hash`).toBe(file === 'kubelab.db');
    }
  });

  it('refuses unknown, revoked and expired tokens', () => {
    const alice = learner();
    expect(db.tokens.authenticate('klb_nope')).toBeUndefined();
    expect(db.tokens.authenticate('')).toBeUndefined();
    expect(db.tokens.authenticate('x'.repeat(5000))).toBeUndefined();

    const revoked = db.tokens.createToken(alice.id, 'old', []);
    const revokedAt = clock;
    db.tokens.revoke(revoked.token.id);
    clock += 5;
    expect(db.tokens.revoke(revoked.token.id).revokedAt).toBe(revokedAt);
    expect(db.tokens.authenticate(revoked.plaintext)).toBeUndefined();

    const expiring = db.tokens.createToken(alice.id, 'short', [], clock + 100);
    clock += 99;
    expect(db.tokens.authenticate(expiring.plaintext)).toBeDefined();
    clock += 1;
    expect(db.tokens.authenticate(expiring.plaintext)).toBeUndefined();
  });

  it('imports a chosen secret idempotently (bootstrap admin token)', () => {
    const admin = db.users.create({ externalKey: 'bootstrap:admin', displayName: 'Admin', role: 'admin' });
    const secret = 's'.repeat(40);
    const first = db.tokens.importToken(admin.id, 'bootstrap', secret, ['admin']);
    const second = db.tokens.importToken(admin.id, 'bootstrap', secret, ['admin']);
    expect(second.id).toBe(first.id);
    expect(db.tokens.listForUser(admin.id)).toHaveLength(1);
    expect(db.tokens.authenticate(secret)?.user.role).toBe('admin');
  });

  it('validates scopes and refuses tokens of unknown users', () => {
    expect(() => db.tokens.createToken(learner().id, 'x', ['Not A Scope'])).toThrow(/scope/);
    expect(() => db.tokens.createToken(999, 'x', [])).toThrow(/FOREIGN KEY/);
  });
});

describe('environments', () => {
  it('round-trips, moves through statuses, extends and counts live ones', () => {
    const alice = learner();
    const env = db.environments.create({ userId: alice.id, exerciseId: 'clusterip-basics', namespace: 'klb-a1', expiresAt: clock + 60_000 });
    expect(env).toEqual({
      id: env.id,
      userId: alice.id,
      exerciseId: 'clusterip-basics',
      namespace: 'klb-a1',
      // Without a pool, the pool of one's member.
      cluster: 'default',
      status: 'provisioning',
      error: null,
      createdAt: clock,
      updatedAt: clock,
      expiresAt: clock + 60_000,
    });
    clock += 1;
    expect(db.environments.setStatus(env.id, 'failed', 'quota exceeded')).toMatchObject({ status: 'failed', error: 'quota exceeded', updatedAt: clock });
    expect(db.environments.setStatus(env.id, 'ready')).toMatchObject({ status: 'ready', error: null });
    expect(db.environments.extend(env.id, clock + 120_000).expiresAt).toBe(clock + 120_000);
    expect(db.environments.selectOptionalByNamespace('klb-a1')?.id).toBe(env.id);
    expect(db.environments.countLive()).toBe(1);
    expect(db.environments.countLiveForUser(alice.id)).toBe(1);
    expect(db.environments.listLiveForUser(alice.id).map((e) => e.id)).toEqual([env.id]);
    expect(db.environments.listLive().map((e) => e.id)).toEqual([env.id]);

    expect(db.environments.listExpired(clock + 119_999)).toEqual([]);
    expect(db.environments.listExpired(clock + 120_000).map((e) => e.id)).toEqual([env.id]);

    db.environments.setStatus(env.id, 'deleted');
    expect(db.environments.countLive()).toBe(0);
    expect(db.environments.listExpired(clock + 999_999)).toEqual([]);
  });

  it('refuses a duplicate namespace, an unknown user, and missing rows', () => {
    const alice = learner();
    db.environments.create({ userId: alice.id, exerciseId: 'x', namespace: 'ns', expiresAt: clock });
    expect(() => db.environments.create({ userId: alice.id, exerciseId: 'x', namespace: 'ns', expiresAt: clock })).toThrow(/UNIQUE/);
    expect(() => db.environments.create({ userId: 77, exerciseId: 'x', namespace: 'other', expiresAt: clock })).toThrow(/FOREIGN KEY/);
    expect(() => db.environments.select(77)).toThrow(NotFoundError);
    expect(() => db.environments.setStatus(77, 'ready')).toThrow(NotFoundError);
  });
});

describe('attempts and check results', () => {
  const setup = () => {
    const alice = learner();
    const env = db.environments.create({ userId: alice.id, exerciseId: 'clusterip-basics', namespace: 'ns', expiresAt: clock });
    return { alice, env };
  };

  it('go queued → running → finished, with results recorded per check', () => {
    const { alice, env } = setup();
    const attempt = db.attempts.create({ userId: alice.id, environmentId: env.id, exerciseId: 'clusterip-basics', maxScore: 10 });
    expect(attempt).toMatchObject({ status: 'queued', result: null, score: null, maxScore: 10, startedAt: null, finishedAt: null });
    clock += 1;
    expect(db.attempts.markRunning(attempt.id)).toMatchObject({ status: 'running', startedAt: clock });

    const pass = db.checkResults.record({
      attemptId: attempt.id,
      checkId: 'service-exists',
      status: 'pass',
      points: 4,
      maxPoints: 4,
      message: 'Service backend-service exists',
      evidence: { clusterIP: '10.96.0.10', ports: [80] },
    });
    clock += 1;
    db.checkResults.record({
      attemptId: attempt.id,
      checkId: 'endpoints',
      status: 'fail',
      points: 0,
      maxPoints: 6,
      message: 'expected 3 ready endpoints, found 0',
      hint: 'check the selector',
    });
    expect(pass.evidence).toEqual({ clusterIP: '10.96.0.10', ports: [80] });
    expect(db.checkResults.listForAttempt(attempt.id).map((r) => [r.checkId, r.status, r.evidence])).toEqual([
      ['service-exists', 'pass', { clusterIP: '10.96.0.10', ports: [80] }],
      ['endpoints', 'fail', null],
    ]);

    clock += 1;
    const done = db.attempts.finish(attempt.id, { result: 'failed', score: 4 });
    expect(done).toMatchObject({ status: 'finished', result: 'failed', score: 4, finishedAt: clock });
    expect(() => db.attempts.finish(attempt.id, { result: 'passed', score: 10 })).toThrow('cannot finish attempt 1: it is finished');
    expect(db.attempts.listForUser(alice.id, { exerciseId: 'clusterip-basics' })).toEqual([done]);
  });

  it('refuses a result recorded twice for one check, and points above the maximum', () => {
    const { alice, env } = setup();
    const attempt = db.attempts.create({ userId: alice.id, environmentId: env.id, exerciseId: 'x', maxScore: 1 });
    const result = { attemptId: attempt.id, checkId: 'c', status: 'pass', points: 1, maxPoints: 1, message: 'ok' } as const;
    db.checkResults.record(result);
    expect(() => db.checkResults.record(result)).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(() => db.checkResults.record({ ...result, checkId: 'd', points: 2 })).toThrow(/CHECK/);
  });

  it('refuses foreign keys that point nowhere', () => {
    const { alice, env } = setup();
    expect(() => db.attempts.create({ userId: alice.id, environmentId: 999, exerciseId: 'x', maxScore: 1 })).toThrow(/FOREIGN KEY/);
    expect(() => db.attempts.create({ userId: 999, environmentId: env.id, exerciseId: 'x', maxScore: 1 })).toThrow(/FOREIGN KEY/);
    expect(() =>
      db.checkResults.record({ attemptId: 999, checkId: 'c', status: 'pass', points: 0, maxPoints: 0, message: '' }),
    ).toThrow(/FOREIGN KEY/);
    expect(() => db.sqlite.prepare('DELETE FROM users WHERE id = ?').run(alice.id)).toThrow(/FOREIGN KEY/);
  });

  it('cannot store half a verdict', () => {
    const { alice, env } = setup();
    const attempt = db.attempts.create({ userId: alice.id, environmentId: env.id, exerciseId: 'x', maxScore: 1 });
    expect(() => db.sqlite.prepare(`UPDATE attempts SET status = 'finished' WHERE id = ?`).run(attempt.id)).toThrow(/CHECK/);
    expect(() => db.sqlite.prepare(`UPDATE attempts SET result = 'passed' WHERE id = ?`).run(attempt.id)).toThrow(/CHECK/);
  });

  it('marks attempts a dead process left behind as interrupted', () => {
    const { alice, env } = setup();
    const queued = db.attempts.create({ userId: alice.id, environmentId: env.id, exerciseId: 'x', maxScore: 1 });
    const running = db.attempts.create({ userId: alice.id, environmentId: env.id, exerciseId: 'x', maxScore: 1 });
    db.attempts.markRunning(running.id);
    const finished = db.attempts.create({ userId: alice.id, environmentId: env.id, exerciseId: 'x', maxScore: 1 });
    db.attempts.finish(finished.id, { result: 'passed', score: 1 });

    expect(db.attempts.interruptUnfinished().map((a) => a.id).sort()).toEqual([queued.id, running.id]);
    expect(db.attempts.select(queued.id)).toMatchObject({ status: 'interrupted', result: null, finishedAt: clock });
    expect(db.attempts.select(finished.id).status).toBe('finished');
    expect(db.attempts.interruptUnfinished()).toEqual([]);
  });
});

describe('audit log', () => {
  it('round-trips entries newest first, paged by id', () => {
    const alice = learner();
    const a = db.audit.record({ actorUserId: alice.id, action: 'environment.create', target: 'environment:1', details: { ns: 'x' } });
    const b = db.audit.record({ actorUserId: null, action: 'environment.reap' });
    expect(a).toEqual({ id: a.id, at: clock, actorUserId: alice.id, action: 'environment.create', target: 'environment:1', details: { ns: 'x' } });
    expect(b).toMatchObject({ actorUserId: null, target: null, details: {} });
    expect(db.audit.list().map((e) => e.id)).toEqual([b.id, a.id]);
    expect(db.audit.list({ before: b.id }).map((e) => e.id)).toEqual([a.id]);
    expect(() => db.audit.record({ actorUserId: 999, action: 'x' })).toThrow(/FOREIGN KEY/);
  });
});

describe('transactions', () => {
  it('commit all or nothing', () => {
    expect(() =>
      db.transaction(() => {
        learner('local:bob');
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(db.users.selectOptionalByExternalKey('local:bob')).toBeUndefined();
    db.transaction(() => learner('local:bob'));
    expect(db.users.selectOptionalByExternalKey('local:bob')).toBeDefined();
  });
});
