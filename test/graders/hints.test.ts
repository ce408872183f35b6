// Hints follow the diagnosed cause: a learner whose message says one thing must not get a
// hint that says another (issue 13).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_CAUSES } from '../../graders/causes.ts';
import { checkSchema } from '../../graders/schema.ts';
import { summary, startGraderBench, type GraderBench } from './harness.ts';

let bench: GraderBench;
beforeAll(async () => {
  bench = await startGraderBench(31);
});
afterAll(async () => bench?.close());

describe('hints by cause', () => {
  it('three-tier-shop with tier=back-end on the Pods: the hint does not tell them to add tier=backend', async () => {
    const exercise = bench.exercise('three-tier-shop');
    const mistake = exercise.mistakes.find((m) => m.name === 'tier-label-typo')!;
    const ns = await bench.environment('hint-typo', exercise.setup, mistake.manifests);
    const outcome = await bench.grade(exercise, ns);
    const check = outcome.checks.find((c) => c.id === 'backend-selector')!;
    expect(check.status, summary(outcome)).toBe('fail');
    expect(check.cause).toBe('label-typo');
    expect(check.message).toContain('tier=back-end where the selector wants tier=backend');
    expect(check.hint).not.toMatch(/Add tier=backend|only app=shop/);
    expect(check.hint).toContain('spell');
  });

  it('three-tier-shop with a selector of only app=shop: the hint says it is too broad', async () => {
    const exercise = bench.exercise('three-tier-shop');
    const mistake = exercise.mistakes.find((m) => m.name === 'selector-too-broad')!;
    const ns = await bench.environment('hint-broad', exercise.setup, mistake.manifests);
    const check = (await bench.grade(exercise, ns)).checks.find((c) => c.id === 'backend-selector')!;
    expect(check.cause).toBe('too-broad');
    expect(check.hint).toContain('Add tier=backend');
  });
});

describe('hints: the exercise format', () => {
  const base = { id: 'sel', title: 'selects', type: 'selector', params: { service: 's', workload: { kind: 'Deployment', name: 'w' } }, points: 1, hint: 'default' };

  it('accepts hints keyed by causes the check type reports', () => {
    const parsed = checkSchema.parse({ ...base, hints: { 'label-typo': 'spell it alike', 'too-broad': 'narrow it' } });
    expect(parsed.hints).toEqual({ 'label-typo': 'spell it alike', 'too-broad': 'narrow it' });
  });

  it.each([
    ['selector', base, 'wrong-target-port', 'selector checks report no cause "wrong-target-port"'],
    ['http', { ...base, type: 'http', params: { from: { probe: true }, url: 'http://s' } }, 'refused', 'http checks report no cause "refused"'],
    ['script', { ...base, type: 'script', params: { command: ['true'] } }, 'refused', 'reports no causes'],
  ])('refuses a %s hint keyed by a cause it never reports', (_type, check, cause, message) => {
    const result = checkSchema.safeParse({ ...check, hints: { [cause]: 'text' } });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message).join('\n')).toContain(message);
  });

  it('every cause list is free of duplicates', () => {
    for (const causes of Object.values(CHECK_CAUSES)) expect(new Set(causes).size).toBe(causes.length);
  });
});
