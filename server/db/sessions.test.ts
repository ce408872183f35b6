// Browser sessions on a real SQLite file, with an injected clock and random bytes:
// hashed storage, the sliding idle expiry under an absolute cap, ending, and the
// per-session CSRF token.
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from './database.ts';
import { csrfTokenFor, DEFAULT_SESSION_TIMES, SESSION_PREFIX, SessionsRepo } from './sessions.ts';
import { hashToken } from './tokens.ts';
import type { User } from './users.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = 1_700_000_000_000;

let dir: string;
let db: Db;
let clock: number;
let counter: number;
const now = () => clock;
// Deterministic "random" bytes: a counter, so each secret differs and tests repeat.
const randomBytes = (size: number) => Buffer.alloc(size, ++counter);

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kubelab-sessions-'));
  clock = T0;
  counter = 0;
  db = openDatabase(path.join(dir, 'kubelab.db'), { now, randomBytes });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const learner = (key = 'local:alice'): User => db.users.create({ externalKey: key, displayName: 'Alice', role: 'learner' });
const row = (id: number) => db.sqlite.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as Record<string, unknown>;

/** A repository with short lifetimes: idle 1 h, absolute 3 h. */
const shortLived = () => new SessionsRepo(db.sqlite, { now, randomBytes, users: db.users, times: { idleMs: HOUR, maxMs: 3 * HOUR } });

describe('sessions', () => {
  it('stores only the hash of the secret; the secret is prefixed, 32 random bytes', () => {
    const alice = learner();
    const { secret, session } = db.sessions.create(alice.id, 'join');
    expect(secret).toBe(SESSION_PREFIX + Buffer.alloc(32, 1).toString('base64url'));
    expect(secret).toMatch(/^kls_[A-Za-z0-9_-]{43}$/);
    expect(session).toEqual({
      id: session.id,
      userId: alice.id,
      via: 'join',
      createdAt: T0,
      lastSeenAt: T0,
      expiresAt: T0 + DEFAULT_SESSION_TIMES.idleMs,
      endedAt: null,
      tokenHash: hashToken(secret),
    });
    const stored = row(session.id);
    expect(stored.token_hash).toBe(hashToken(secret));
    expect(stored.token_hash).not.toBe(secret);
    expect(Object.values(stored).map(String).some((v) => v.includes(secret) || v.includes(secret.slice(SESSION_PREFIX.length)))).toBe(false);
    db.close();
    for (const file of ['kubelab.db', 'kubelab.db-wal']) {
      const full = path.join(dir, file);
      if (existsSync(full)) expect(readFileSync(full).includes(Buffer.from(secret.slice(SESSION_PREFIX.length)))).toBe(false);
    }
  });

  it('authenticates to the session and its user; unknown, malformed and oversized secrets do not', () => {
    const alice = learner();
    const { secret, session } = db.sessions.create(alice.id, 'token');
    expect(db.sessions.authenticate(secret)).toEqual({ session, user: alice });
    expect(db.sessions.authenticate(`${secret}x`)).toBeUndefined();
    expect(db.sessions.authenticate(secret.slice(SESSION_PREFIX.length))).toBeUndefined();
    expect(db.sessions.authenticate(hashToken(secret))).toBeUndefined();
    expect(db.sessions.authenticate('')).toBeUndefined();
    expect(db.sessions.authenticate(`${SESSION_PREFIX}${'a'.repeat(300)}`)).toBeUndefined();
  });

  it('each session gets its own secret; a repeated random value is refused, not shared', () => {
    const alice = learner();
    const a = db.sessions.create(alice.id, 'token');
    const b = db.sessions.create(alice.id, 'token');
    expect(a.secret).not.toBe(b.secret);
    const stuck = new SessionsRepo(db.sqlite, { now, randomBytes: (size) => Buffer.alloc(size, 1), users: db.users });
    expect(() => stuck.create(alice.id, 'token')).toThrow(/UNIQUE/);
  });

  it('refuses an unknown user and an unknown via', () => {
    expect(() => db.sessions.create(999, 'token')).toThrow(/FOREIGN KEY/);
    const alice = learner();
    // @ts-expect-error: not a SessionVia
    expect(() => db.sessions.create(alice.id, 'password')).toThrow(/CHECK/);
  });

  it('an unused session ends after the idle time, counted from its last use', () => {
    const repo = new SessionsRepo(db.sqlite, { now, randomBytes, users: db.users, times: { idleMs: HOUR, maxMs: 10 * HOUR } });
    const { secret } = repo.create(learner().id, 'token');
    clock = T0 + HOUR - 1;
    expect(repo.authenticate(secret)).toBeDefined();
    // That use slid it past the first deadline.
    clock = T0 + 2 * HOUR - 2;
    expect(repo.authenticate(secret)).toBeDefined();
    // Then an hour without use.
    clock = T0 + 3 * HOUR - 2;
    expect(repo.authenticate(secret)).toBeUndefined();
    // And it stays over: a late use does not revive it.
    clock = T0 + 3 * HOUR;
    expect(repo.authenticate(secret)).toBeUndefined();
  });

  it('expires exactly at the idle deadline when never used', () => {
    const repo = shortLived();
    const { secret } = repo.create(learner().id, 'token');
    clock = T0 + HOUR;
    expect(repo.authenticate(secret)).toBeUndefined();
  });

  it('slides with use, but never past the absolute cap', () => {
    const repo = shortLived();
    const { secret, session } = repo.create(learner().id, 'token');
    const seen: number[] = [];
    // Used every 50 minutes: well inside the idle hour each time.
    for (let at = T0 + 50 * MINUTE; at < T0 + 3 * HOUR; at += 50 * MINUTE) {
      clock = at;
      const found = repo.authenticate(secret);
      expect(found, `still signed in at +${(at - T0) / MINUTE} min`).toBeDefined();
      expect(found!.session.expiresAt).toBe(Math.min(at + HOUR, T0 + 3 * HOUR));
      expect(found!.session.lastSeenAt).toBe(at);
      // Persisted: the next request (another process, even) sees the slid expiry.
      expect(row(session.id)).toMatchObject({ last_seen_at: at, expires_at: Math.min(at + HOUR, T0 + 3 * HOUR) });
      seen.push(found!.session.expiresAt);
    }
    expect(seen.at(-1)).toBe(T0 + 3 * HOUR);
    clock = T0 + 3 * HOUR - 1;
    expect(repo.authenticate(secret)).toBeDefined();
    clock = T0 + 3 * HOUR;
    expect(repo.authenticate(secret)).toBeUndefined();
    clock = T0 + 3 * HOUR + 1;
    expect(repo.authenticate(secret)).toBeUndefined();
  });

  it('writes a use at most once a minute (the answer slides anyway)', () => {
    const repo = shortLived();
    const { secret, session } = repo.create(learner().id, 'token');
    clock = T0 + 30_000;
    expect(repo.authenticate(secret)!.session.expiresAt).toBe(T0 + 30_000 + HOUR);
    expect(row(session.id)).toMatchObject({ last_seen_at: T0, expires_at: T0 + HOUR });
    clock = T0 + MINUTE;
    repo.authenticate(secret);
    expect(row(session.id)).toMatchObject({ last_seen_at: T0 + MINUTE, expires_at: T0 + MINUTE + HOUR });
  });

  it('the default lifetimes: 12 h idle, 14 days absolute', () => {
    expect(DEFAULT_SESSION_TIMES).toEqual({ idleMs: 12 * HOUR, maxMs: 14 * 24 * HOUR });
    const { secret } = db.sessions.create(learner().id, 'token');
    // Used every 11 hours, it lasts the full 14 days and not a moment longer.
    for (clock = T0 + 11 * HOUR; clock < T0 + 14 * 24 * HOUR; clock += 11 * HOUR) {
      expect(db.sessions.authenticate(secret), `at +${(clock - T0) / HOUR} h`).toBeDefined();
    }
    clock = T0 + 14 * 24 * HOUR;
    expect(db.sessions.authenticate(secret)).toBeUndefined();
  });

  it('an ended session does not authenticate; ending again keeps the first time; other sessions live on', () => {
    const alice = learner();
    const one = db.sessions.create(alice.id, 'token');
    const two = db.sessions.create(alice.id, 'token');
    clock = T0 + MINUTE;
    db.sessions.end(one.secret);
    expect(db.sessions.authenticate(one.secret)).toBeUndefined();
    expect(row(one.session.id).ended_at).toBe(T0 + MINUTE);
    clock = T0 + 2 * MINUTE;
    db.sessions.end(one.secret);
    expect(row(one.session.id).ended_at).toBe(T0 + MINUTE);
    expect(db.sessions.authenticate(two.secret)?.session.id).toBe(two.session.id);
    // Ending an unknown secret is a no-op, not an error.
    expect(() => db.sessions.end('kls_unknown')).not.toThrow();
  });

  it('csrfTokenFor: stable for a session, different per session, and neither the secret nor the hash', () => {
    const alice = learner();
    const a = db.sessions.create(alice.id, 'token');
    const b = db.sessions.create(alice.id, 'token');
    const bob = db.sessions.create(learner('local:bob').id, 'token');
    const token = csrfTokenFor(a.session);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(csrfTokenFor(db.sessions.authenticate(a.secret)!.session)).toBe(token);
    expect(new Set([token, csrfTokenFor(b.session), csrfTokenFor(bob.session)]).size).toBe(3);
    expect(token).not.toBe(a.secret);
    expect(token).not.toBe(a.session.tokenHash);
    expect(a.secret).not.toContain(token);
  });
});
