// A learner's whole session through the production app (buildApp + startPlatform on the
// embedded cluster): get an environment, download its kubeconfig, apply a wrong
// manifest with the real kubectl, "Check my work" and read why it failed, fix it, and
// pass — the attempts and their results are in SQLite afterwards.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
let dir: string;
let token: string;
const exerciseId = 'session-affinity';

beforeAll(async () => {
  t = await buildTestApp({ seed: 3 });
  dir = mkdtempSync(path.join(tmpdir(), 'kubelab-journey-'));
  const learner = t.db.users.create({ externalKey: 'local:journey', displayName: 'Journey', role: 'learner' });
  token = t.db.tokens.createToken(learner.id, 'portal', []).plaintext;
});
afterAll(async () => {
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const auth = () => ({ authorization: `Bearer ${token}` });

async function kubectl(kubeconfig: string, ...args: string[]) {
  return execa('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', path.join(dir, 'cache'), ...args], { reject: false });
}

/** POST an attempt and follow its event stream to the end; returns the final attempt. */
async function checkMyWork(): Promise<{ attempt: Record<string, unknown>; checks: { checkId: string; status: string; message: string; hint: string | null }[] }> {
  const started = await t.app.inject({ method: 'POST', url: `/api/v1/exercises/${exerciseId}/attempts`, headers: auth() });
  expect(started.statusCode).toBe(202);
  const id = started.json().attempt.id as number;
  const stream = await t.app.inject({ method: 'GET', url: `/api/v1/attempts/${id}/events`, headers: auth() });
  expect(stream.body).toContain('event: attempt');
  const done = await t.app.inject({ method: 'GET', url: `/api/v1/attempts/${id}`, headers: auth() });
  return done.json();
}

describe('a learner session', () => {
  it('fails a solution without affinity with a message that says why, then passes once fixed', async () => {
    const env = await t.app.inject({ method: 'PUT', url: `/api/v1/exercises/${exerciseId}/environment`, headers: auth() });
    expect(env.statusCode).toBe(201);
    const namespace = env.json().environment.namespace as string;

    const kc = await t.app.inject({ method: 'GET', url: `/api/v1/exercises/${exerciseId}/environment/kubeconfig`, headers: auth() });
    const kubeconfig = path.join(dir, 'learner.kubeconfig');
    writeFileSync(kubeconfig, kc.body, { mode: 0o600 });

    // The learner forgets sessionAffinity: the classic mistake this exercise exists for.
    const exercise = t.catalog.byId(exerciseId)!;
    const mistake = exercise.mistakes.find((m) => m.name === 'no-affinity')!;
    const wrong = path.join(dir, 'wrong.yaml');
    writeFileSync(wrong, mistake.manifests.map((m) => stringify(m.object)).join('---\n'));
    const applied = await kubectl(kubeconfig, 'apply', '-f', wrong);
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toContain('service/backend-affinity-svc created');

    const failed = await checkMyWork();
    expect(failed.attempt).toMatchObject({ status: 'finished', result: 'failed' });
    const expected = mistake.fails[0]!;
    const verdict = failed.checks.find((c) => c.checkId === expected.check)!;
    expect(verdict.status).toBe('fail');
    expect(verdict.message).toContain(expected.contains);
    expect(verdict.hint).toBeTruthy();

    // Fixed with the reference solution; kubectl reports what changed.
    const right = path.join(dir, 'right.yaml');
    writeFileSync(right, exercise.solution.map((m) => stringify(m.object)).join('---\n'));
    const fixed = await kubectl(kubeconfig, 'apply', '-f', right);
    expect(fixed.stdout).toContain('service/backend-affinity-svc configured');
    expect((await kubectl(kubeconfig, 'rollout', 'status', 'deployment/backend-affinity', '--timeout=60s')).exitCode).toBe(0);

    const passed = await checkMyWork();
    expect(passed.attempt).toMatchObject({ status: 'finished', result: 'passed', score: 100 });
    expect(passed.checks.every((c) => c.status === 'pass')).toBe(true);

    // Both attempts, with every check result, are stored.
    const history = await t.app.inject({ method: 'GET', url: `/api/v1/exercises/${exerciseId}/attempts`, headers: auth() });
    expect(history.json().attempts.map((a: { result: string }) => a.result)).toEqual(['passed', 'failed']);
    expect(namespace).toMatch(/^kl-session-affinity-/);
  });
});
