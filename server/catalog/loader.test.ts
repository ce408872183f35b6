// Each rejection rule gets one test: copy a real exercise into a temp dir,
// break exactly one thing, and assert the problem names the right file and field.
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDocument, type Document } from 'yaml';
import { CatalogError, DEFAULT_EXERCISES_DIR, loadCatalog, loadExercise, validateExerciseDir, type CatalogProblem } from './loader.ts';

const SOURCE = 'clusterip-basics';
const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((t) => rm(t, { recursive: true, force: true })));
});

/** A fresh copy of the source exercise under a temp root, as `<root>/<folder>`. */
async function copyExercise(folder = SOURCE, root?: string): Promise<{ root: string; dir: string }> {
  const base = root ?? (await mkdtemp(path.join(os.tmpdir(), 'kubelab-catalog-')));
  if (!root) temps.push(base);
  const dir = path.join(base, folder);
  await cp(path.join(DEFAULT_EXERCISES_DIR, SOURCE), dir, { recursive: true });
  return { root: base, dir };
}

async function editYaml(file: string, edit: (doc: Document) => void): Promise<void> {
  const doc = parseDocument(await readFile(file, 'utf8'));
  edit(doc);
  await writeFile(file, doc.toString());
}

/** Edits the YAML front matter of a mistake.md, keeping the Markdown after it. */
async function editFrontMatter(file: string, edit: (doc: Document) => void): Promise<void> {
  const [, yaml = '', ...rest] = (await readFile(file, 'utf8')).split(/^---$/m);
  const doc = parseDocument(yaml.replace(/^\n/, ''));
  edit(doc);
  await writeFile(file, `---\n${doc.toString()}---${rest.join('---')}`);
}

function expectProblem(problems: readonly CatalogProblem[], file: string, field: string, message?: RegExp) {
  expect(problems).toContainEqual(
    expect.objectContaining({ file, field, ...(message ? { message: expect.stringMatching(message) } : {}) }),
  );
}

describe('the shipped catalog', () => {
  it('loads every exercise of the contract, in order, each with a solution and 4+ mistakes', async () => {
    const catalog = await loadCatalog(DEFAULT_EXERCISES_DIR);
    expect(catalog.exercises.map((e) => e.id)).toEqual([
      'clusterip-basics',
      'target-port',
      'three-tier-shop',
      'headless-statefulset',
      'session-affinity',
      'multi-port',
      'local-traffic',
      'readiness-endpoints',
    ]);
    for (const exercise of catalog.exercises) {
      expect(catalog.byId(exercise.id)).toBe(exercise);
      expect(exercise.solution.length, exercise.id).toBeGreaterThan(0);
      expect(exercise.mistakes.length, exercise.id).toBeGreaterThanOrEqual(4);
      expect(exercise.instructions, exercise.id).toMatch(/^# /);
      // A mistake folder that equals the solution would be a copy-paste slip, not a mistake.
      const solution = JSON.stringify(exercise.solution.map((m) => m.object));
      for (const mistake of exercise.mistakes) {
        expect(JSON.stringify(mistake.manifests.map((m) => m.object)), `${exercise.id}/${mistake.name}`).not.toBe(solution);
      }
    }
    expect(catalog.byId('no-such-exercise')).toBeUndefined();
  });

  it('ships 3+ correct variants per exercise, each another form of the solution, not a copy', async () => {
    const catalog = await loadCatalog(DEFAULT_EXERCISES_DIR);
    for (const exercise of catalog.exercises) {
      expect(exercise.variants.length, exercise.id).toBeGreaterThanOrEqual(3);
      const solution = JSON.stringify(exercise.solution.map((m) => m.object));
      for (const variant of exercise.variants) {
        expect(variant.description, `${exercise.id}/${variant.name}`).not.toBe('');
        expect(variant.manifests.length, `${exercise.id}/${variant.name}`).toBeGreaterThan(0);
        expect(variant.manifests.every((m) => m.file.startsWith(`variants/${variant.name}/`))).toBe(true);
        expect(JSON.stringify(variant.manifests.map((m) => m.object)), `${exercise.id}/${variant.name}`).not.toBe(solution);
      }
    }
  });

  it('has a valid copy that validates clean (the baseline every rule test breaks)', async () => {
    const { dir } = await copyExercise();
    expect(await validateExerciseDir(dir)).toEqual([]);
    const exercise = await loadExercise(dir);
    expect(exercise.dir).toBe(dir);
  });
});

describe('rejection rules', () => {
  it('rejects an unknown check type', async () => {
    const { dir } = await copyExercise();
    await editYaml(path.join(dir, 'exercise.yaml'), (doc) => doc.setIn(['checks', 1, 'type'], 'servise'));
    expectProblem(await validateExerciseDir(dir), 'exercise.yaml', 'checks[1].type', /service/);
  });

  it('rejects params that do not fit the check type, naming the param', async () => {
    const { dir } = await copyExercise();
    await editYaml(path.join(dir, 'exercise.yaml'), (doc) => doc.setIn(['checks', 0, 'params', 'replicas'], 'three'));
    expectProblem(await validateExerciseDir(dir), 'exercise.yaml', 'checks[0].params.replicas', /line \d+/);
  });

  it('rejects an unknown param key (a typo)', async () => {
    const { dir } = await copyExercise();
    await editYaml(path.join(dir, 'exercise.yaml'), (doc) => doc.setIn(['checks', 1, 'params', 'sesionAffinity'], 'ClientIP'));
    expectProblem(await validateExerciseDir(dir), 'exercise.yaml', 'checks[1].params.sesionAffinity', /unknown key/);
  });

  it('rejects duplicate check ids', async () => {
    const { dir } = await copyExercise();
    await editYaml(path.join(dir, 'exercise.yaml'), (doc) => doc.setIn(['checks', 1, 'id'], 'deployment-ready'));
    expectProblem(await validateExerciseDir(dir), 'exercise.yaml', 'checks[1].id', /duplicate/);
  });

  it('rejects needs naming an unknown check', async () => {
    const { dir } = await copyExercise();
    await editYaml(path.join(dir, 'exercise.yaml'), (doc) => doc.setIn(['checks', 2, 'needs'], ['servce']));
    expectProblem(await validateExerciseDir(dir), 'exercise.yaml', 'checks[2].needs[0]', /servce/);
  });

  it('rejects a needs cycle and names it', async () => {
    const { dir } = await copyExercise();
    // service → selector → service
    await editYaml(path.join(dir, 'exercise.yaml'), (doc) => {
      doc.setIn(['checks', 1, 'needs'], ['selector']);
      doc.setIn(['checks', 2, 'needs'], ['service']);
    });
    expectProblem(await validateExerciseDir(dir), 'exercise.yaml', 'checks[1].needs', /service → selector → service/);
  });

  it('rejects a mistake with no fails entry', async () => {
    const { dir } = await copyExercise();
    const file = path.join(dir, 'mistakes/selector-typo/mistake.md');
    await editFrontMatter(file, (doc) => doc.setIn(['fails'], []));
    // Lines are the file's, the opening --- counted.
    const line = (await readFile(file, 'utf8')).split('\n').findIndex((l) => l.startsWith('fails:')) + 1;
    expect(line).toBeGreaterThan(2);
    expectProblem(await validateExerciseDir(dir), 'mistakes/selector-typo/mistake.md', 'fails', new RegExp(`\\(line ${line}\\)$`));
  });

  it('rejects a mistake whose fails.check is not a check id', async () => {
    const { dir } = await copyExercise();
    const file = path.join(dir, 'mistakes/selector-typo/mistake.md');
    await editFrontMatter(file, (doc) => doc.setIn(['fails', 0, 'check'], 'selectors'));
    expectProblem(await validateExerciseDir(dir), 'mistakes/selector-typo/mistake.md', 'fails[0].check', /selectors/);
  });

  it('rejects a mistake whose fails.cause is not a cause its check reports', async () => {
    const { dir } = await copyExercise();
    const file = path.join(dir, 'mistakes/selector-typo/mistake.md');
    await editFrontMatter(file, (doc) => doc.setIn(['fails', 0, 'cause'], 'wrong-target-port'));
    expectProblem(await validateExerciseDir(dir), 'mistakes/selector-typo/mistake.md', 'fails[0].cause', /selector checks report no cause "wrong-target-port"/);
  });

  it('rejects a hint keyed by a cause the check type never reports', async () => {
    const { dir } = await copyExercise();
    await editYaml(path.join(dir, 'exercise.yaml'), (doc) => doc.setIn(['checks', 2, 'hints'], { headless: 'text' }));
    expectProblem(await validateExerciseDir(dir), 'exercise.yaml', 'checks[2].hints.headless', /no cause "headless"/);
  });

  it('rejects a mistake.md without front matter', async () => {
    const { dir } = await copyExercise();
    await writeFile(path.join(dir, 'mistakes/selector-typo/mistake.md'), 'The selector is misspelled.\n');
    expectProblem(await validateExerciseDir(dir), 'mistakes/selector-typo/mistake.md', '(file)', /front matter/);
  });

  it('rejects a mistake.yaml left in a mistake folder: kubectl apply -f would read it', async () => {
    const { dir } = await copyExercise();
    await writeFile(path.join(dir, 'mistakes/selector-typo/mistake.yaml'), 'description: old\nfails: [{ check: selector, contains: backnd }]\n');
    expectProblem(await validateExerciseDir(dir), 'mistakes/selector-typo/mistake.yaml', '(file)', /apiVersion not set.*mistake\.md front matter/);
  });

  it('rejects a variant without variant.md', async () => {
    const { dir } = await copyExercise();
    await mkdir(path.join(dir, 'variants/bare'), { recursive: true });
    await cp(path.join(dir, 'solution'), path.join(dir, 'variants/bare'), { recursive: true });
    expectProblem(await validateExerciseDir(dir), 'variants/bare/variant.md', '(file)', /missing/);
  });

  it('rejects variant.md front matter with an unknown key (a variant declares no fails)', async () => {
    const { dir } = await copyExercise();
    await mkdir(path.join(dir, 'variants/odd'), { recursive: true });
    await cp(path.join(dir, 'solution'), path.join(dir, 'variants/odd'), { recursive: true });
    await writeFile(path.join(dir, 'variants/odd/variant.md'), '---\ndescription: odd\nfails: [{ check: selector, contains: x }]\n---\n');
    expectProblem(await validateExerciseDir(dir), 'variants/odd/variant.md', 'fails', /unknown key/);
  });

  it('rejects a variant folder holding no manifests, and a file directly under variants/', async () => {
    const { dir } = await copyExercise();
    await mkdir(path.join(dir, 'variants/empty'), { recursive: true });
    await writeFile(path.join(dir, 'variants/empty/variant.md'), '---\ndescription: nothing here\n---\n');
    await writeFile(path.join(dir, 'variants/stray.yaml'), 'apiVersion: v1\n');
    const problems = await validateExerciseDir(dir);
    expectProblem(problems, 'variants/empty', '(file)', /no manifests/);
    expectProblem(problems, 'variants/stray.yaml', '(file)', /only folders/);
  });

  it('rejects a variant image missing from images', async () => {
    const { dir } = await copyExercise();
    await mkdir(path.join(dir, 'variants/alpine'), { recursive: true });
    await writeFile(path.join(dir, 'variants/alpine/variant.md'), '---\ndescription: alpine nginx\n---\n');
    await writeFile(
      path.join(dir, 'variants/alpine/pod.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - { name: c, image: nginx:1.28-alpine }\n',
    );
    expectProblem(await validateExerciseDir(dir), 'exercise.yaml', 'images', /nginx:1\.28-alpine/);
  });

  it('rejects a missing instructions.md', async () => {
    const { dir } = await copyExercise();
    await rm(path.join(dir, 'instructions.md'));
    expectProblem(await validateExerciseDir(dir), 'instructions.md', '(file)', /missing/);
  });

  it('rejects a missing solution/', async () => {
    const { dir } = await copyExercise();
    await rm(path.join(dir, 'solution'), { recursive: true });
    expectProblem(await validateExerciseDir(dir), 'solution', '(file)', /missing/);
  });

  it('rejects a manifest without metadata.name', async () => {
    const { dir } = await copyExercise();
    await editYaml(path.join(dir, 'solution/backend.yaml'), (doc) => doc.deleteIn(['metadata', 'name']));
    expectProblem(await validateExerciseDir(dir), 'solution/backend.yaml', 'metadata.name');
  });

  it('rejects a manifest that sets a namespace', async () => {
    const { dir } = await copyExercise();
    await editYaml(path.join(dir, 'mistakes/two-replicas/backend.yaml'), (doc) =>
      doc.setIn(['metadata', 'namespace'], 'default'),
    );
    expectProblem(await validateExerciseDir(dir), 'mistakes/two-replicas/backend.yaml', 'metadata.namespace', /namespace/);
  });

  it('reports a YAML syntax error with its line', async () => {
    const { dir } = await copyExercise();
    const file = path.join(dir, 'solution/backend-service.yaml');
    await writeFile(file, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: [backend-service\n');
    const problems = await validateExerciseDir(dir);
    expect(problems).toContainEqual(
      expect.objectContaining({ file: 'solution/backend-service.yaml', field: expect.stringMatching(/^line \d+$/) }),
    );
  });

  it('rejects an id that differs from the folder name', async () => {
    const { dir } = await copyExercise('clusterip-basics-v2');
    expectProblem(await validateExerciseDir(dir), 'exercise.yaml', 'id', /clusterip-basics-v2/);
  });

  it('rejects raw HTML in instructions', async () => {
    const { dir } = await copyExercise();
    await writeFile(path.join(dir, 'instructions.md'), '# Title\n\nSome text.\n\n<div>raw</div>\n');
    expectProblem(await validateExerciseDir(dir), 'instructions.md', 'line 5', /HTML/);
  });

  it('rejects a solution image missing from images', async () => {
    const { dir } = await copyExercise();
    await editYaml(path.join(dir, 'exercise.yaml'), (doc) => doc.setIn(['images'], ['busybox:1.36']));
    expectProblem(await validateExerciseDir(dir), 'exercise.yaml', 'images', /nginx:1\.28/);
  });

  it('rejects duplicate ids across the catalog', async () => {
    const { root } = await copyExercise();
    const { dir } = await copyExercise('clusterip-copy', root);
    await editYaml(path.join(dir, 'exercise.yaml'), (doc) => doc.setIn(['order'], 99));
    const error = await loadCatalog(root).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(CatalogError);
    if (!(error instanceof CatalogError)) return;
    expectProblem(error.problems, 'clusterip-copy/exercise.yaml', 'id', /already used by clusterip-basics/);
  });

  it('rejects duplicate orders across the catalog', async () => {
    const { root } = await copyExercise();
    const { dir } = await copyExercise('other-exercise', root);
    await editYaml(path.join(dir, 'exercise.yaml'), (doc) => doc.setIn(['id'], 'other-exercise'));
    const error = await loadCatalog(root).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(CatalogError);
    if (!(error instanceof CatalogError)) return;
    expect(error.problems).toEqual([
      expect.objectContaining({ file: 'other-exercise/exercise.yaml', field: 'order' }),
    ]);
    expect(error.message).toContain('other-exercise/exercise.yaml: order:');
  });

  it('loadExercise throws a CatalogError listing the problems', async () => {
    const { dir } = await copyExercise();
    await rm(path.join(dir, 'instructions.md'));
    await expect(loadExercise(dir)).rejects.toThrow(/instructions\.md/);
  });
});
