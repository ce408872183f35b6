// Engine semantics on a real cluster with small synthetic exercises: needs → skipped,
// what makes an attempt passed / failed / error, points, streaming, deadlines, probes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Check } from '../../server/catalog/loader.ts';
import { checkSchema } from '../../server/catalog/schema.ts';
import type { CheckOutcome } from '../../graders/engine.ts';
import { PROBE_LABEL } from '../../graders/probes.ts';
import { startGraderBench, type GraderBench } from './harness.ts';

let b: GraderBench;
beforeAll(async () => {
  b = await startGraderBench(21);
});
afterAll(async () => b?.close());

const node = process.execPath;
const check = (raw: Record<string, unknown>): Check => checkSchema.parse({ title: String(raw['id']), hint: `hint for ${String(raw['id'])}`, points: 10, ...raw });
const script = (id: string, code: string, extra: Record<string, unknown> = {}) =>
  check({ id, type: 'script', params: { command: [node, '-e', code], ...extra } });
const passing = (id: string) => script(id, 'console.log("fine"); process.exit(0)');
const failing = (id: string) => script(id, 'console.log("noise"); console.log("the thing is wrong"); process.exit(1)');
const erroring = (id: string) => check({ id, type: 'script', params: { command: ['/nonexistent/kubelab-no-such-command'] } });

async function grade(checks: Check[], onCheck?: (o: CheckOutcome) => void) {
  const ns = await b.environment('engine');
  return b.engine.grade({ exercise: { id: 'synthetic', checks }, namespace: ns, ...(onCheck ? { onCheck } : {}) });
}

describe('attempt verdicts', () => {
  it.each([
    ['all pass → passed', [passing('a'), passing('b')], 'passed', 20, 0],
    ['a fail → failed, partial credit', [passing('a'), failing('b')], 'failed', 10, 0],
    ['an error and no fail → error, its points ungraded', [passing('a'), erroring('b')], 'error', 10, 10],
    ['a fail beside an error → failed', [failing('a'), erroring('b')], 'failed', 0, 10],
  ] as const)('%s', async (_name, checks, status, score, ungraded) => {
    const outcome = await grade([...checks]);
    expect(outcome.status).toBe(status);
    expect(outcome.score).toBe(score);
    expect(outcome.maxScore).toBe(20);
    expect(outcome.ungradedPoints).toBe(ungraded);
  });
});

describe('checks', () => {
  it('a fail carries the last stdout line as its message and the hint; a pass no hint', async () => {
    const outcome = await grade([passing('a'), failing('b')]);
    expect(outcome.checks[0]).toMatchObject({ status: 'pass', message: 'fine', hint: null, points: 10 });
    expect(outcome.checks[1]).toMatchObject({ status: 'fail', message: 'the thing is wrong', hint: 'hint for b', points: 0 });
  });

  it('a check whose need did not pass is skipped, and says which; its dependents too', async () => {
    const outcome = await grade([failing('base'), { ...passing('mid'), needs: ['base'] }, { ...passing('top'), needs: ['mid'] }]);
    expect(outcome.checks.map((c) => c.status)).toEqual(['fail', 'skipped', 'skipped']);
    expect(outcome.checks[1]?.message).toContain('"base"');
    expect(outcome.status).toBe('failed');
  });

  it('skipped because of an error keeps the attempt an error, not a fail', async () => {
    const outcome = await grade([erroring('base'), { ...passing('next'), needs: ['base'] }]);
    expect(outcome.checks.map((c) => c.status)).toEqual(['error', 'skipped']);
    expect(outcome.status).toBe('error');
    expect(outcome.ungradedPoints).toBe(20);
  });

  it('a script that runs out of time is an error, not a fail', async () => {
    const outcome = await grade([script('slow', 'setTimeout(() => {}, 10_000)', { timeoutSeconds: 1 })]);
    expect(outcome.checks[0]).toMatchObject({ status: 'error' });
    expect(outcome.checks[0]?.message).toMatch(/did not finish within 1 s/);
  });

  it('scripts get KUBECONFIG and NAMESPACE', async () => {
    const outcome = await grade([script('env', 'const fs = require("fs"); console.log(process.env.NAMESPACE + " " + fs.readFileSync(process.env.KUBECONFIG, "utf8").includes("clusters"))')]);
    expect(outcome.checks[0]?.message).toMatch(/^t21-engine-\d+ true$/);
  });

  it('streams every result once, each after the checks it needs', async () => {
    const seen: string[] = [];
    const outcome = await grade([failing('a'), { ...passing('b'), needs: ['a'] }, passing('c')], (o) => void seen.push(o.id));
    expect([...seen].sort()).toEqual(['a', 'b', 'c']);
    expect(seen.indexOf('a')).toBeLessThan(seen.indexOf('b'));
    expect(outcome.checks.map((c) => c.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('snapshot and probes', () => {
  it('reads the namespace with one list per kind and counts requests and execs', async () => {
    const ns = await b.environment('cost');
    const svcCheck = check({ id: 'svc', type: 'service', params: { name: 'nothing-here' } });
    const outcome = await b.engine.grade({ exercise: { id: 'x', checks: [svcCheck] }, namespace: ns });
    expect(outcome.checks[0]?.message).toBe('No Service named nothing-here in your namespace.');
    expect(outcome.cost).toEqual({ apiRequests: 7, execs: 0, observations: 1 });
  });

  it('creates probe Pods once, with no learner-style labels and with resources, then reuses them', async () => {
    const exercise = b.exercise('clusterip-basics');
    const ns = await b.environment('probes', exercise.solution);
    const first = await b.grade(exercise, ns);
    expect(first.status).toBe('passed');
    const probes = await b.admin.list({ apiVersion: 'v1', kind: 'Pod', namespace: ns, labelSelector: `${PROBE_LABEL}=true` });
    expect(probes).toHaveLength(1);
    const pod = probes[0]!;
    expect(Object.keys(pod.metadata.labels ?? {})).toEqual([PROBE_LABEL]);
    expect(JSON.stringify(pod['spec'])).toContain('"requests":{"cpu":"10m","memory":"16Mi"}');
    const second = await b.grade(exercise, ns);
    expect(second.status).toBe('passed');
    // Reused: no create, no readiness poll; just the snapshot and the execs.
    expect(second.cost.apiRequests).toBe(7 * second.cost.observations);
    const after = await b.admin.list({ apiVersion: 'v1', kind: 'Pod', namespace: ns, labelSelector: `${PROBE_LABEL}=true` });
    expect(after.map((p) => p.metadata.uid)).toEqual(probes.map((p) => p.metadata.uid));
  });
});
