// A third seed for the reference solutions and their correct variants only: a correct
// solution must pass however the cluster happens to place and balance things.
import { afterAll, beforeAll, describe } from 'vitest';
import { DEFAULT_EXERCISES_DIR, loadCatalog } from '../../server/catalog/loader.ts';
import { solutionCases, variantCases } from './catalog-verdicts.ts';
import { startGraderBench, type GraderBench } from './harness.ts';

const catalog = await loadCatalog(DEFAULT_EXERCISES_DIR);
let bench: GraderBench;
beforeAll(async () => {
  bench = await startGraderBench(13);
});
afterAll(async () => bench?.close());

describe('seed 13', () => {
  solutionCases(() => bench, catalog.exercises);
  variantCases(() => bench, catalog.exercises);
});
