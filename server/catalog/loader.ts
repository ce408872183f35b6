// The exercise catalog: every folder under the exercises root, validated as a
// whole so that one run reports every problem of every exercise. The validator (YAML,
// markdown, schemas) is loaded only when something is validated: a cached catalog
// needs none of it.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { packagePath } from '../paths/package-root.ts';
import { BUILD_CATALOG_CACHE } from './build-cache.ts';
import { cachedExercise, cachedExercises, cachedSummaries, summarize, type ExerciseSummary } from './cache.ts';
import type { Exercise } from './exercise.ts';
import { CatalogError, WHOLE_FILE, type CatalogProblem } from './problems.ts';

export type { ExerciseSummary } from './cache.ts';
export type { Exercise, Mistake, Variant } from './exercise.ts';
export type { Manifest } from './manifests.ts';
export type { Check } from './schema.ts';
export { CatalogError, formatProblem, type CatalogProblem } from './problems.ts';

export const DEFAULT_EXERCISES_DIR: string = packagePath('exercises');

export interface Catalog {
  /** Sorted by `order`. */
  exercises: readonly Exercise[];
  byId(id: string): Exercise | undefined;
}

/** Problems of one exercise folder, with files relative to that folder. Throws only on I/O failures. */
export async function validateExerciseDir(dir: string): Promise<CatalogProblem[]> {
  const { readExercise } = await import('./exercise.ts');
  return (await readExercise(path.resolve(dir), (rel) => rel)).problems;
}

/** One exercise folder; throws CatalogError listing every problem. */
export async function loadExercise(dir: string): Promise<Exercise> {
  const { readExercise } = await import('./exercise.ts');
  const { exercise, problems } = await readExercise(path.resolve(dir), (rel) => rel);
  if (!exercise || problems.length > 0) throw new CatalogError(problems);
  return exercise;
}

/**
 * Every folder under `root` is an exercise; throws CatalogError listing every problem found.
 * A build (not the sources) remembers a sound catalog in dist/cache until a file changes
 * (build-cache.ts).
 */
export async function loadCatalog(root: string): Promise<Catalog> {
  const absRoot = path.resolve(root);
  const exercises =
    BUILD_CATALOG_CACHE === undefined ? await validateCatalog(absRoot) : await cachedExercises(absRoot, BUILD_CATALOG_CACHE, validateCatalog);
  const index = new Map(exercises.map((e) => [e.id, e]));
  return { exercises, byId: (id) => index.get(id) };
}

/** One exercise of loadCatalog(root) (undefined when no exercise has that id), and every id; a remembered catalog reads only that exercise. */
export async function findExercise(root: string, id: string): Promise<{ exercise: Exercise | undefined; ids: string[] }> {
  const absRoot = path.resolve(root);
  if (BUILD_CATALOG_CACHE !== undefined) return cachedExercise(absRoot, BUILD_CATALOG_CACHE, validateCatalog, id);
  const exercises = await validateCatalog(absRoot);
  return { exercise: exercises.find((e) => e.id === id), ids: exercises.map((e) => e.id) };
}

/** What loadCatalog(root).exercises holds, in brief; a remembered catalog answers without reading its exercises. */
export async function loadCatalogSummaries(root: string): Promise<ExerciseSummary[]> {
  const absRoot = path.resolve(root);
  return BUILD_CATALOG_CACHE === undefined
    ? (await validateCatalog(absRoot)).map(summarize)
    : cachedSummaries(absRoot, BUILD_CATALOG_CACHE, validateCatalog);
}

/** The exercises under `absRoot`, sorted by `order`; throws CatalogError listing every problem. */
async function validateCatalog(absRoot: string): Promise<Exercise[]> {
  const { readExercise } = await import('./exercise.ts');
  const entries = await readdir(absRoot, { withFileTypes: true });
  const folders = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const problems: CatalogProblem[] = [];
  const exercises: Exercise[] = [];
  const identities: Identity[] = [];
  for (const folder of folders) {
    const read = await readExercise(path.join(absRoot, folder), (rel) => `${folder}/${rel}`);
    problems.push(...read.problems);
    if (read.exercise) exercises.push(read.exercise);
    if (read.identity) identities.push({ folder, ...read.identity });
  }
  problems.push(...duplicates(identities, 'id'), ...duplicates(identities, 'order'));
  if (exercises.length === 0 && problems.length === 0) {
    problems.push({ file: '.', field: WHOLE_FILE, message: `no exercise folders in ${absRoot}` });
  }
  if (problems.length > 0) throw new CatalogError(problems);
  return exercises.sort((a, b) => a.order - b.order);
}

interface Identity {
  folder: string;
  id: string;
  order: number;
}

function duplicates(identities: readonly Identity[], field: 'id' | 'order'): CatalogProblem[] {
  const first = new Map<string | number, string>();
  const problems: CatalogProblem[] = [];
  for (const e of identities) {
    const folder = e.folder;
    const owner = first.get(e[field]);
    if (owner === undefined) first.set(e[field], folder);
    else {
      problems.push({
        file: `${folder}/exercise.yaml`,
        field,
        message: `${field} ${JSON.stringify(e[field])} is already used by ${owner}/exercise.yaml`,
      });
    }
  }
  return problems;
}
