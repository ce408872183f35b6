// `kubelab grade` against the embedded cluster through a kubeconfig file, as a user
// would run it against any cluster.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGrade } from '../../server/cli/grade.ts';
import { SIM_TIMING, startGraderBench, type GraderBench } from './harness.ts';

let b: GraderBench;
let dir: string;
let kubeconfig: string;
let solved: string;
let broken: string;

beforeAll(async () => {
  b = await startGraderBench(31);
  dir = mkdtempSync(path.join(tmpdir(), 'kubelab-grade-cli-'));
  kubeconfig = path.join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, b.sim.kubeconfig);
  const exercise = b.exercise('target-port');
  solved = await b.environment('cli-solved', exercise.solution);
  broken = await b.environment('cli-broken', exercise.mistakes.find((m) => m.name === 'wrong-text')!.manifests);
});
afterAll(async () => {
  await b?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function run(args: string[], env: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const code = await runGrade(args, { io: { out: (t) => void (out += t), err: (t) => void (err += t), env, cwd: dir }, timing: SIM_TIMING });
  return { code, out, err };
}

describe('kubelab grade', () => {
  it('--json: a passing namespace exits 0 with every check', async () => {
    const r = await run(['target-port', '--namespace', solved, '--kubeconfig', kubeconfig, '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report).toMatchObject({ exercise: 'target-port', status: 'passed', score: 100, maxScore: 100 });
    expect(report.checks.map((c: { id: string }) => c.id)).toEqual(['deployment-ready', 'service', 'selector', 'endpoints', 'http']);
    expect(Object.keys(report.checks[0]).sort()).toEqual(['evidence', 'hint', 'id', 'message', 'status', 'title']);
  });

  it('text: a failing namespace exits 1, one line per check, hint under the fail; KUBECONFIG from the environment', async () => {
    const r = await run(['target-port', '-n', broken], { KUBECONFIG: kubeconfig });
    expect(r.code).toBe(1);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toBe(`target-port in namespace ${broken}: failed (65/100 points)`);
    expect(lines).toContain('✔ Deployment api runs 2 ready replicas: Deployment api has 2 of 2 replicas ready.');
    const fail = lines.findIndex((l) => l.startsWith('✘ http://api-service answers "hello from api"'));
    expect(fail).toBeGreaterThan(0);
    expect(lines[fail]).toContain('expected the answer to contain "hello from api"');
    expect(lines[fail + 1]).toMatch(/^ {4}hint: /);
  });

  it.each([
    ['no exercise', ['--namespace', 'x'], /name the exercise/],
    ['no namespace', ['target-port'], /--namespace is required/],
    ['unknown flag', ['target-port', '-n', 'x', '--frobnicate'], /Unknown option/],
    ['unknown exercise', ['nope', '-n', 'x'], /unknown exercise "nope"/],
    ['missing kubeconfig', ['target-port', '-n', 'x', '--kubeconfig', 'does-not-exist'], /cannot use kubeconfig/],
  ])('%s → exit 2', async (_name, args, message) => {
    const r = await run(args, { KUBECONFIG: kubeconfig });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('a namespace that is not a DNS-1123 label → exit 2 naming the flag, nothing lowercased', async () => {
    const r = await run(['target-port', '--namespace', 'Bad_NS', '--kubeconfig', kubeconfig]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--namespace "Bad_NS" is not a valid namespace name');
    expect(r.err).toContain('DNS-1123 label');
    expect(r.out).toBe('');
  });

  it('a learner kubeconfig on a namespace it cannot read → exit 2, says Forbidden, names the namespace and the identity', async () => {
    const { token } = await b.admin.createToken(solved, 'learner', 600);
    const learner = path.join(dir, 'learner-kubeconfig');
    writeFileSync(learner, b.sim.kubeconfigFor({ token, namespace: solved, name: 'learner-user' }));
    const r = await run(['target-port', '--namespace', 'default', '--kubeconfig', learner]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('Forbidden');
    expect(r.err).toContain('namespace "default"');
    expect(r.err).toContain(`system:serviceaccount:${solved}:learner`);
    expect(r.err).toContain(`"${solved}"`);
    expect(r.err).not.toContain('run it again');
    expect(r.out).toBe('');
  });

  it('a check refused by RBAC mid-grade → exit 2, the report says Forbidden instead of "run it again"', async () => {
    // The bench provisions no node-reader ClusterRole, so the learner may not list nodes, which placing the
    // grader's first probe Pod in a fresh namespace needs.
    const fresh = await b.environment('cli-learner', b.exercise('target-port').solution);
    const { token } = await b.admin.createToken(fresh, 'learner', 600);
    const learner = path.join(dir, 'learner-own-kubeconfig');
    writeFileSync(learner, b.sim.kubeconfigFor({ token, namespace: fresh, name: 'learner-user' }));
    const r = await run(['target-port', '--namespace', fresh, '--kubeconfig', learner]);
    expect(r.code).toBe(2);
    const lines = r.out.trimEnd().split('\n');
    expect(lines).toContainEqual(expect.stringMatching(/^! .*nodes is forbidden: User "system:serviceaccount:.*:learner" cannot list/));
    expect(lines.at(-1)).toMatch(/^kubelab could not grade 35 points: Forbidden, this kubeconfig's identity may not do what the grader needs/);
    expect(r.out).not.toContain('run it again');
  });

  it('a namespace that does not exist → exit 2', async () => {
    const r = await run(['target-port', '-n', 'no-such-namespace', '--kubeconfig', kubeconfig]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('namespace "no-such-namespace" does not exist');
  });

  it('an unreachable cluster → exit 2, every check an error, nothing blamed on the learner', async () => {
    const dead = path.join(dir, 'dead-kubeconfig');
    writeFileSync(dead, b.sim.kubeconfig.replace(/server: https:\/\/127\.0\.0\.1:\d+/, 'server: https://127.0.0.1:1'));
    const r = await run(['target-port', '-n', solved, '--kubeconfig', dead, '--json']);
    expect(r.code).toBe(2);
    const report = JSON.parse(r.out);
    expect(report.status).toBe('error');
    expect(report.checks.every((c: { status: string }) => c.status === 'error' || c.status === 'skipped')).toBe(true);
  });
});
