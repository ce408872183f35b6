// Every manifest folder of the catalog is what a learner or an author can hand to
// `kubectl apply -f <folder>/` as it is: a mistake's metadata lives in mistake.md,
// which kubectl does not read (it reads .json, .yaml and .yml files).
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type RunningCluster } from '../../kubesim/index.ts';
import { DEFAULT_EXERCISES_DIR, loadCatalog } from '../../server/catalog/loader.ts';
import { kubectlFor, type Kubectl } from './kubectl.ts';

const catalog = await loadCatalog(DEFAULT_EXERCISES_DIR);
const folders = catalog.exercises.flatMap((e) => [
  ...(e.setup.length > 0 ? [path.join(e.dir, 'setup')] : []),
  path.join(e.dir, 'solution'),
  ...e.mistakes.map((m) => path.join(e.dir, 'mistakes', m.name)),
  ...e.variants.map((v) => path.join(e.dir, 'variants', v.name)),
]);

let cluster: RunningCluster;
let k: Kubectl;
beforeAll(async () => {
  cluster = await startCluster({ seed: 41 });
  k = kubectlFor(cluster.kubeconfig);
});
afterAll(async () => {
  await cluster?.close();
});

describe('the catalog through kubectl apply -f <folder>/', () => {
  it('mistake folders hold manifests and mistake.md, nothing kubectl would read besides the manifests', () => {
    const mistakes = folders.filter((f) => f.includes(`${path.sep}mistakes${path.sep}`));
    expect(mistakes.length).toBeGreaterThanOrEqual(catalog.exercises.length * 4);
    for (const folder of mistakes) {
      const names = readdirSync(folder);
      expect(names, folder).toContain('mistake.md');
      expect(names.filter((n) => n !== 'mistake.md' && !/\.ya?ml$/.test(n)), folder).toEqual([]);
    }
  });

  it('variant folders hold manifests and variant.md, nothing else kubectl would read', () => {
    for (const folder of folders.filter((f) => f.includes(`${path.sep}variants${path.sep}`))) {
      const names = readdirSync(folder);
      expect(names, folder).toContain('variant.md');
      expect(names.filter((n) => n !== 'variant.md' && !/\.ya?ml$/.test(n)), folder).toEqual([]);
    }
  });

  it('every setup/, solution/, mistake and variant folder applies with --dry-run=client', async () => {
    // One kubectl for all folders: each -f names a folder exactly as the README tells learners.
    const r = await k('apply', '--dry-run=client', '-n', 'default', ...folders.flatMap((f) => ['-f', `${f}/`]));
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const manifests = catalog.exercises.reduce((n, e) => n + e.setup.length + e.solution.length + e.mistakes.reduce((m, x) => m + x.manifests.length, 0) + e.variants.reduce((m, x) => m + x.manifests.length, 0), 0);
    expect(r.stdout.split('\n').filter((l) => l.endsWith('(dry run)'))).toHaveLength(manifests);
  });
});
