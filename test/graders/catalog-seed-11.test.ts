// Every exercise's solution, variants, setup and mistakes, graded on one embedded cluster (seed 11).
import { afterAll, beforeAll, describe } from 'vitest';
import { DEFAULT_EXERCISES_DIR, loadCatalog } from '../../server/catalog/loader.ts';
import { mistakeCases, solutionCases, variantCases } from './catalog-verdicts.ts';
import { startGraderBench, type GraderBench } from './harness.ts';

const catalog = await loadCatalog(DEFAULT_EXERCISES_DIR);
let bench: GraderBench;
beforeAll(async () => {
  bench = await startGraderBench(11);
});
afterAll(async () => bench?.close());

describe('seed 11', () => {
  solutionCases(() => bench, catalog.exercises);
  variantCases(() => bench, catalog.exercises);
  mistakeCases(() => bench, catalog.exercises);
});
