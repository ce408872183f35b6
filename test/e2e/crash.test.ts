// The server dies mid-grade (SIGKILL, no chance to clean up): every check result a
// learner was shown is still in SQLite, the attempt comes back `interrupted` after a
// restart, and a new attempt can be started. The exercise is clusterip-basics plus one
// check that blocks (a script check running `sleep`), so the kill always lands while
// the grade is running, whatever the machine's speed.
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../server/catalog/loader.ts';
import { databaseFile, openDatabase } from '../../server/db/database.ts';
import { kubelab, REPO } from '../cli/run.ts';
import { startServe, type ServeProcess } from '../helpers/serve.ts';

const EXERCISE = 'clusterip-basics';
const BLOCKING_CHECK = `
  - id: slow
    title: A check that takes its time
    type: script
    params: { command: [sleep, "20"], timeoutSeconds: 60 }
    needs: [service]
    points: 0
    hint: none
`;

let root: string;
let env: Record<string, string>;
let token: string;
const running: ServeProcess[] = [];

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'kubelab-crash-'));
  const exercises = path.join(root, 'exercises');
  cpSync(path.join(REPO, 'exercises', EXERCISE), path.join(exercises, EXERCISE), { recursive: true });
  appendFileSync(path.join(exercises, EXERCISE, 'exercise.yaml'), BLOCKING_CHECK);
  env = { KUBELAB_DATA_DIR: path.join(root, 'data'), KUBELAB_EXERCISES_DIR: exercises };
  const added = await kubelab(['users', 'add', 'crash'], { env });
  expect(added.exitCode).toBe(0);
  token = added.stdout.trim();
});
afterAll(() => {
  for (const p of running) p.child.kill('SIGKILL');
  if (root) rmSync(root, { recursive: true, force: true });
});

async function serve(): Promise<ServeProcess> {
  const p = await startServe(env);
  running.push(p);
  return p;
}

async function api(base: string, method: string, url: string, body?: string): Promise<{ status: number; json: () => unknown }> {
  const res = await fetch(`${base}/api/v1${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'text/yaml' } : {}) },
    ...(body ? { body } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: () => JSON.parse(text) };
}

/** Reads the attempt's event stream until `count` check events have arrived; returns their ids. */
async function checksShown(base: string, attemptId: number, count: number): Promise<string[]> {
  const res = await fetch(`${base}/api/v1/attempts/${attemptId}/events`, { headers: { authorization: `Bearer ${token}` } });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const seen: string[] = [];
  while (seen.length < count) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`stream ended after ${seen.length} checks`);
    buffer += decoder.decode(value, { stream: true });
    const blocks = buffer.split('\n\n');
    buffer = blocks.pop() ?? '';
    for (const block of blocks) {
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (/^event: check$/m.test(block) && data) seen.push((JSON.parse(data) as { checkId: string }).checkId);
    }
  }
  await reader.cancel();
  return seen;
}

describe('a server killed mid-grade', () => {
  it('keeps every result it showed, marks the attempt interrupted on restart, and grades again', async () => {
    const exercise = (await loadCatalog(env['KUBELAB_EXERCISES_DIR']!)).byId(EXERCISE)!;
    const solution = exercise.solution.map((m) => stringify(m.object)).join('---\n');
    const fast = exercise.checks.filter((c) => c.id !== 'slow').length;

    const first = await serve();
    expect((await api(first.url, 'PUT', `/exercises/${EXERCISE}/environment`)).status).toBe(201);
    expect((await api(first.url, 'POST', `/exercises/${EXERCISE}/environment/apply`, solution)).status).toBe(200);
    const started = await api(first.url, 'POST', `/exercises/${EXERCISE}/attempts`);
    expect(started.status).toBe(202);
    const attemptId = (started.json() as { attempt: { id: number } }).attempt.id;

    // Every check but the blocking one reaches the learner; then the process dies.
    const shown = await checksShown(first.url, attemptId, fast);
    first.child.kill('SIGKILL');
    await first.child;

    const db = openDatabase(databaseFile(env['KUBELAB_DATA_DIR']!));
    try {
      expect(db.attempts.select(attemptId).status).toBe('running');
      expect(db.checkResults.listForAttempt(attemptId).map((r) => r.checkId).sort()).toEqual([...shown].sort());
    } finally {
      db.close();
    }

    const second = await serve();
    const after = await api(second.url, 'GET', `/attempts/${attemptId}`);
    expect(after.status).toBe(200);
    const body = after.json() as { attempt: { status: string; result: string | null }; checks: { checkId: string; status: string }[] };
    expect(body.attempt).toMatchObject({ status: 'interrupted', result: null });
    expect(body.checks.map((c) => c.checkId).sort()).toEqual([...shown].sort());
    expect(body.checks.every((c) => c.status === 'pass')).toBe(true);

    // The embedded cluster kept its state: the environment is still there (200, not
    // created again), the learner's objects with it, and a new attempt starts.
    expect((await api(second.url, 'PUT', `/exercises/${EXERCISE}/environment`)).status).toBe(200);
    expect((await api(second.url, 'POST', `/exercises/${EXERCISE}/environment/apply`, solution)).status).toBe(200);
    const again = await api(second.url, 'POST', `/exercises/${EXERCISE}/attempts`);
    expect(again.status).toBe(202);
    expect((again.json() as { attempt: { id: number } }).attempt.id).not.toBe(attemptId);
  });
});
