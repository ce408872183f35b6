// A mistake costs the points of what it breaks, not of the correct work around it
// (issue 13): `needs` only where a check cannot run at all, so a right selector is
// judged right even when the Service type or the replica count is wrong.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GradeOutcome } from '../../graders/engine.ts';
import { summary, startGraderBench, type GraderBench } from './harness.ts';

let bench: GraderBench;
beforeAll(async () => {
  bench = await startGraderBench(37);
});
afterAll(async () => bench?.close());

async function gradeMistake(exerciseId: string, mistakeName: string): Promise<GradeOutcome> {
  const exercise = bench.exercise(exerciseId);
  const mistake = exercise.mistakes.find((m) => m.name === mistakeName);
  if (!mistake) throw new Error(`no mistake ${exerciseId}/${mistakeName}`);
  const ns = await bench.environment(`${exerciseId}-${mistakeName}`, exercise.setup, mistake.manifests);
  return bench.grade(exercise, ns);
}

const statuses = (outcome: GradeOutcome) => Object.fromEntries(outcome.checks.map((c) => [c.id, c.status]));

describe('partial credit', () => {
  it('clusterip-basics, headless by accident: the correct selector and endpoints pass; DNS fails for the headless Service instead of being skipped', async () => {
    const outcome = await gradeMistake('clusterip-basics', 'headless-by-accident');
    expect(statuses(outcome), summary(outcome)).toMatchObject({
      'deployment-ready': 'pass',
      service: 'fail',
      selector: 'pass',
      endpoints: 'pass',
      'dns-short': 'fail',
      'dns-fqdn': 'fail',
    });
    expect(outcome.checks.find((c) => c.id === 'dns-short')?.message).toContain('headless');
    expect(outcome.score).toBeGreaterThanOrEqual(50);
  });

  it('clusterip-basics, two replicas: the selector still matches exactly the Pods there are', async () => {
    const outcome = await gradeMistake('clusterip-basics', 'two-replicas');
    expect(statuses(outcome), summary(outcome)).toMatchObject({
      'deployment-ready': 'fail',
      service: 'pass',
      selector: 'pass',
      'dns-short': 'pass',
      'dns-fqdn': 'pass',
    });
  });

  it('readiness-endpoints, two replicas: the selector is judged too', async () => {
    const outcome = await gradeMistake('readiness-endpoints', 'two-replicas');
    expect(statuses(outcome), summary(outcome)).toMatchObject({ 'deployment-ready': 'fail', selector: 'pass' });
  });
});
