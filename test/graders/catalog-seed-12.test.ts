// The same verdicts on a second cluster seed (other ClusterIPs, Pod names, node
// placement, load-balancing draws): solutions, variants and mistakes again, this time
// through the lean client and executor that `kubelab grade` uses (no client-node).
import { afterAll, beforeAll, describe } from 'vitest';
import { DEFAULT_EXERCISES_DIR, loadCatalog } from '../../server/catalog/loader.ts';
import { mistakeCases, solutionCases, variantCases } from './catalog-verdicts.ts';
import { startGraderBench, type GraderBench } from './harness.ts';

const catalog = await loadCatalog(DEFAULT_EXERCISES_DIR);
let bench: GraderBench;
beforeAll(async () => {
  bench = await startGraderBench(12, { client: 'lean' });
});
afterAll(async () => bench?.close());

describe('seed 12', () => {
  solutionCases(() => bench, catalog.exercises);
  variantCases(() => bench, catalog.exercises);
  mistakeCases(() => bench, catalog.exercises);
});
