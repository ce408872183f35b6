// Idempotency-Key on POSTs through the real app: a retry replays the first answer (and
// does the work once), another request under the same key is a 422, keys are per
// caller, answers last 24 hours, and what is stored is sealed (the join link a class
// POST answers with is not in the database file in the clear).
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, FIXED_NOW, type TestApp } from '../../helpers/app.ts';
import { expectError, makeKey, person } from './people.ts';

let t: TestApp;
let clock = FIXED_NOW;
beforeAll(async () => {
  t = await buildTestApp({ now: () => clock });
});
afterAll(async () => {
  await t?.close();
});

const classCount = () => t.db.classes.listAll().length;

describe('Idempotency-Key', () => {
  it('replays the first answer to a retried POST and makes one class', async () => {
    const teacher = person(t, 'instructor');
    const before = classCount();
    const post = () => t.app.inject({ method: 'POST', url: '/api/v1/classes', headers: { ...teacher.auth, 'idempotency-key': 'make-week-3' }, payload: { name: 'Week 3' } });
    const first = await post();
    expect(first.statusCode, first.body).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const second = await post();
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.headers['content-type']).toBe(first.headers['content-type']);
    expect(second.body).toBe(first.body);
    expect(classCount()).toBe(before + 1);
  });

  it('keeps the stored answer sealed: the join link is not in the database file', async () => {
    const teacher = person(t, 'instructor');
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/classes', headers: { ...teacher.auth, 'idempotency-key': 'sealed' }, payload: { name: 'Sealed' } });
    const joinUrl = (res.json() as { joinUrl: string }).joinUrl;
    const code = joinUrl.split('/').at(-1)!;
    const row = t.db.sqlite.prepare("SELECT body FROM idempotency_keys WHERE key = 'sealed'").get() as { body: string };
    expect(row.body).not.toContain(code);
    t.db.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    for (const file of [t.db.file, `${t.db.file}-wal`].filter(existsSync)) expect(readFileSync(file).includes(Buffer.from(code))).toBe(false);
  });

  it('answers 422 to the same key with another body, and does nothing', async () => {
    const teacher = person(t, 'instructor');
    const headers = { ...teacher.auth, 'idempotency-key': 'k-422' };
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/classes', headers, payload: { name: 'A' } })).statusCode).toBe(201);
    const before = classCount();
    const error = expectError(await t.app.inject({ method: 'POST', url: '/api/v1/classes', headers, payload: { name: 'B' } }), 422, 'idempotency_key_reused');
    expect(error.details).toEqual({ field: 'headers.idempotency-key' });
    expect(classCount()).toBe(before);
  });

  it('keeps keys apart per caller: the same key from another credential is a new request', async () => {
    const admin = person(t, 'admin');
    const keyA = await makeKey(t, admin, { scopes: ['classes:write'] });
    const keyB = await makeKey(t, admin, { scopes: ['classes:write'] });
    const before = classCount();
    const a = await t.app.inject({ method: 'POST', url: '/api/v1/classes', headers: { ...keyA.auth, 'idempotency-key': 'shared' }, payload: { name: 'Same' } });
    const b = await t.app.inject({ method: 'POST', url: '/api/v1/classes', headers: { ...keyB.auth, 'idempotency-key': 'shared' }, payload: { name: 'Same' } });
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
    expect(b.body).not.toBe(a.body);
    expect(classCount()).toBe(before + 2);
  });

  it('forgets an answer after 24 hours', async () => {
    const teacher = person(t, 'instructor');
    const post = () => t.app.inject({ method: 'POST', url: '/api/v1/classes', headers: { ...teacher.auth, 'idempotency-key': 'daily' }, payload: { name: 'Daily' } });
    const first = await post();
    clock += 24 * 60 * 60 * 1000 - 1;
    expect((await post()).body).toBe(first.body);
    clock += 1;
    const later = await post();
    expect(later.statusCode).toBe(201);
    expect(later.headers['idempotent-replayed']).toBeUndefined();
    expect(later.body).not.toBe(first.body);
  });

  it('replays a refusal too, and never stores a request that failed validation', async () => {
    const teacher = person(t, 'instructor');
    const headers = { ...teacher.auth, 'idempotency-key': 'missing-class' };
    const first = await t.app.inject({ method: 'POST', url: '/api/v1/classes/999999/join-code', headers });
    expectError(first, 404, 'class_not_found');
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/classes/999999/join-code', headers });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toBe(first.body);
    // A 400 from validation happens before the key is looked at: the key stays free.
    const invalid = { ...teacher.auth, 'idempotency-key': 'fresh' };
    expectError(await t.app.inject({ method: 'POST', url: '/api/v1/classes', headers: invalid, payload: { name: '' } }), 400, 'invalid_request');
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/classes', headers: invalid, payload: { name: 'Fine' } })).statusCode).toBe(201);
  });

  it('answers 409 while the first request with the key is still running, and runs nothing', async () => {
    const admin = person(t, 'admin');
    const key = await makeKey(t, admin, { scopes: ['classes:write'] });
    const payload = { name: 'In flight' };
    // The first request, claimed and not yet answered: its row as the hook leaves it mid-flight.
    const probe = await t.app.inject({ method: 'POST', url: '/api/v1/classes', headers: { ...key.auth, 'idempotency-key': 'probe' }, payload });
    const { request_hash: hash } = t.db.sqlite.prepare("SELECT request_hash FROM idempotency_keys WHERE key = 'probe'").get() as { request_hash: string };
    expect(probe.statusCode).toBe(201);
    t.db.sqlite.prepare('INSERT INTO idempotency_keys (caller, key, request_hash, created_at) VALUES (?, ?, ?, ?)').run(`api-key:${key.id}`, 'in-flight', hash, clock);
    const before = classCount();
    expectError(await t.app.inject({ method: 'POST', url: '/api/v1/classes', headers: { ...key.auth, 'idempotency-key': 'in-flight' }, payload }), 409, 'conflict');
    expect(classCount()).toBe(before);
  });

  it('refuses a malformed key, naming the header', async () => {
    const teacher = person(t, 'instructor');
    for (const bad of ['x'.repeat(256), 'has space']) {
      const error = expectError(await t.app.inject({ method: 'POST', url: '/api/v1/classes', headers: { ...teacher.auth, 'idempotency-key': bad }, payload: { name: 'X' } }), 400, 'invalid_request');
      expect(error.details).toEqual([expect.objectContaining({ path: 'headers.idempotency-key' })]);
    }
  });
});
