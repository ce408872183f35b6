// The graders' contract with the catalog, as a reusable test body: for each exercise,
// the solution and each variant pass with full score, setup/ alone fails, and each
// mistake fails on the checks it names with the word it names. No check may end
// `error` in any of them.
import { describe, expect, it } from 'vitest';
import type { Exercise } from '../../server/catalog/loader.ts';
import { hintFor, type GradeOutcome } from '../../graders/engine.ts';
import { summary, type GraderBench } from './harness.ts';

function expectNoErrors(outcome: GradeOutcome): void {
  const errors = outcome.checks.filter((c) => c.status === 'error');
  expect(errors, summary(outcome)).toEqual([]);
}

export function solutionCases(bench: () => GraderBench, exercises: readonly Exercise[]): void {
  describe.each(exercises.map((e) => [e.id, e] as const))('%s', (id, exercise) => {
    it('the reference solution passes with full score', async () => {
      const b = bench();
      const ns = await b.environment(`${id}-solution`, exercise.setup, exercise.solution);
      const outcome = await b.grade(exercise, ns);
      expect(outcome.status, summary(outcome)).toBe('passed');
      expect(outcome.score).toBe(outcome.maxScore);
      expect(outcome.unsettled).toEqual([]);
    });
  });
}

/** Each variant (another correct form of the solution) passes with full score, like the solution. */
export function variantCases(bench: () => GraderBench, exercises: readonly Exercise[]): void {
  const cases = exercises.flatMap((e) => e.variants.map((v) => [`${e.id}/${v.name}`, e, v] as const));
  it.each(cases)('%s (a correct variant) passes with full score', async (_name, exercise, variant) => {
    const b = bench();
    const ns = await b.environment(`${exercise.id}-v-${variant.name}`, exercise.setup, variant.manifests);
    const outcome = await b.grade(exercise, ns);
    expect(outcome.status, summary(outcome)).toBe('passed');
    expect(outcome.score).toBe(outcome.maxScore);
    expect(outcome.unsettled).toEqual([]);
  });
}

export function mistakeCases(bench: () => GraderBench, exercises: readonly Exercise[]): void {
  const cases = exercises.flatMap((e) => e.mistakes.map((m) => [`${e.id}/${m.name}`, e, m] as const));
  it.each(cases)('%s fails as declared', async (_name, exercise, mistake) => {
    const b = bench();
    const ns = await b.environment(`${exercise.id}-${mistake.name}`, exercise.setup, mistake.manifests);
    const outcome = await b.grade(exercise, ns);
    expect(outcome.status, summary(outcome)).toBe('failed');
    expect(outcome.score).toBeLessThan(outcome.maxScore);
    for (const fails of mistake.fails) {
      const check = outcome.checks.find((c) => c.id === fails.check);
      expect(check?.status, `${fails.check}\n${summary(outcome)}`).toBe('fail');
      expect(check?.message).toContain(fails.contains);
      if (fails.cause !== undefined) expect(check?.cause, `${fails.check}: ${check?.message}`).toBe(fails.cause);
      // A fail always carries the exercise's hint: the one for its diagnosed cause, else the default.
      const declared = exercise.checks.find((c) => c.id === fails.check);
      expect(check?.hint).toBe(declared && hintFor(declared, check?.cause ?? undefined));
    }
    expectNoErrors(outcome);
  });

  const withSetup = exercises.filter((e) => e.setup.length > 0);
  it.each(withSetup.map((e) => [e.id, e] as const))('%s: the untouched setup/ state fails', async (_id, exercise) => {
    const b = bench();
    const ns = await b.environment(`${exercise.id}-setup`, exercise.setup);
    const outcome = await b.grade(exercise, ns);
    expect(outcome.status, summary(outcome)).toBe('failed');
    expectNoErrors(outcome);
  });
}
