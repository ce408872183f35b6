// A validated catalog, remembered between commands. Validating every exercise (YAML,
// schemas, 70-odd mistakes and their manifests) is most of `kubelab exercises list` and a
// good part of `serve`'s start; the files rarely change between two commands.
//
// The cache is keyed on the code (the build id) and on the files under the root, two
// ways. First by each file's and folder's path, size, times and inode, as git's index
// does: a stat per entry, no reading (an unchanged folder holds the same entries, so the
// tree remembered with the key stands in for listing every folder). When that differs,
// or when a file changed too recently for its times to tell, by every file's bytes: so a
// copy of the same catalog (a Docker layer, a fresh checkout: new inodes and times) still
// uses the cache, and an edit, a new file or a new build is always seen. Only a sound
// catalog is kept.
//
// The file (cache-file.ts) holds a summary of each exercise and each exercise on a line
// of its own: `kubelab exercises list` reads only the summaries, `kubelab grade` only its
// exercise, whose own folder's times are enough to tell it is current.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import {
  exerciseLines,
  parseExercise,
  readCacheFile,
  writeCacheFile,
  type CatalogCache,
  type ExerciseSummary,
  type Remembered,
  type Tree,
} from './cache-file.ts';
import type { Exercise } from './exercise.ts';

export type { CatalogCache, ExerciseSummary } from './cache-file.ts';

type Validate = (absRoot: string) => Promise<Exercise[]>;

/** The exercises under `absRoot`, from the cache when nothing changed, else from `validate` (then remembered). */
export async function cachedExercises(absRoot: string, cache: CatalogCache, validate: Validate): Promise<Exercise[]> {
  const found = await lookUp(absRoot, cache, validate);
  if (found.exercises !== undefined) return found.exercises;
  const { head, body } = found.remembered;
  const lines = exerciseLines(body);
  const exercises = lines.length === head.summaries.length ? lines.map(parseExercise) : [];
  if (exercises.length === head.summaries.length && exercises.every((e) => e !== undefined)) return exercises as Exercise[];
  // A torn line: validate as if nothing were remembered, and write the file anew.
  return (await validateAndRemember(absRoot, validate, found.keys)).exercises;
}

/** One exercise of what cachedExercises would answer (undefined when there is no such id), and every id. */
export async function cachedExercise(
  absRoot: string,
  cache: CatalogCache,
  validate: Validate,
  id: string,
): Promise<{ exercise: Exercise | undefined; ids: string[] }> {
  const remembered = readCacheFile(cacheFileOf(absRoot, cache));
  const unchanged = remembered && unchangedExercise(absRoot, remembered, cache, id);
  if (unchanged) return unchanged;
  const found = await lookUp(absRoot, cache, validate, remembered);
  if (found.exercises === undefined) {
    const { known, exercise, ids } = rememberedExercise(found.remembered, id);
    if (!known || exercise) return { exercise, ids };
  }
  // Just validated, or a torn line (then validated anew): the whole list is at hand.
  const exercises = found.exercises ?? (await validateAndRemember(absRoot, validate, found.keys)).exercises;
  return { exercise: exercises.find((e) => e.id === id), ids: exercises.map((e) => e.id) };
}

/** What `cachedExercises` would answer, summarised, without reading the exercises when the cache holds them. */
export async function cachedSummaries(absRoot: string, cache: CatalogCache, validate: Validate): Promise<ExerciseSummary[]> {
  const found = await lookUp(absRoot, cache, validate);
  return found.exercises !== undefined ? found.exercises.map(summarize) : found.remembered.head.summaries;
}

/** Thrown by rememberedSummaries' stand-in validator: the catalog changed, so it has no answer. */
class NotRemembered extends Error {}

/**
 * cachedSummaries' answer when it needs no validating (the files are as remembered, or
 * hold the same bytes), else undefined: for a caller that has no validator at hand.
 */
export async function rememberedSummaries(absRoot: string, cache: CatalogCache): Promise<ExerciseSummary[] | undefined> {
  try {
    return await cachedSummaries(absRoot, cache, () => Promise.reject(new NotRemembered()));
  } catch (error) {
    if (error instanceof NotRemembered) return undefined;
    throw error;
  }
}

export function summarize(exercise: Exercise): ExerciseSummary {
  return { id: exercise.id, title: exercise.title, minutes: exercise.minutes, checks: exercise.checks.length };
}

interface Keys {
  file: string;
  statKey: string;
  contentKey: string;
  tree: Tree;
}

/** Either the remembered file, still current, or the exercises just validated (and remembered). */
type Found = { exercises?: undefined; remembered: Remembered; keys: Keys } | { exercises: Exercise[] };

/**
 * One remembered exercise whose own folder, and the root, stat as remembered: its line is
 * current whatever changed in the other exercises' folders (`kubelab grade` then stats
 * ~60 entries, not ~470). Undefined when that cannot be told so.
 */
function unchangedExercise(absRoot: string, remembered: Remembered, cache: CatalogCache, id: string): { exercise: Exercise; ids: string[] } | undefined {
  const { head } = remembered;
  if (head.statKey === '') return undefined;
  const { exercise, ids } = rememberedExercise(remembered, id);
  const folder = exercise && path.relative(absRoot, exercise.dir);
  if (!exercise || !folder || folder.includes('/') || folder.includes(path.sep) || folder.startsWith('.')) return undefined;
  const own = (rel: string) => rel === folder || rel.startsWith(`${folder}/`);
  const tree = { dirs: ['', ...head.tree.dirs.filter(own)], files: head.tree.files.filter(own) };
  const now = (cache.now ?? Date.now)();
  const key = statKeyIfPresent(absRoot, tree, cache.codeVersion, now);
  if (!key?.settled) return undefined;
  const rememberedLines = new Set(head.statKey.split('\n'));
  return key.key.split('\n').every((line) => rememberedLines.has(line)) ? { exercise, ids } : undefined;
}

/** Every remembered id, and the exercise `id` read from its own line (undefined when unknown, or its line is torn). */
function rememberedExercise({ head, body }: Remembered, id: string): { known: boolean; exercise: Exercise | undefined; ids: string[] } {
  const ids = head.summaries.map((s) => s.id);
  const index = ids.indexOf(id);
  const exercise = index < 0 ? undefined : parseExercise(exerciseLines(body)[index]);
  return { known: index >= 0, exercise: exercise?.id === id ? exercise : undefined, ids };
}

/** One file per catalog root, so two catalogs used in turn do not evict each other (the keys name the root too, so two roots sharing a file name only take turns). */
function cacheFileOf(absRoot: string, cache: CatalogCache): string {
  return path.join(cache.dir, `catalog-${fnv1a(absRoot)}.json`);
}

async function lookUp(absRoot: string, cache: CatalogCache, validate: Validate, remembered = readCacheFile(cacheFileOf(absRoot, cache))): Promise<Found> {
  const now = (cache.now ?? Date.now)();
  const file = cacheFileOf(absRoot, cache);
  if (remembered !== undefined && remembered.head.statKey !== '') {
    const { head } = remembered;
    // Adding, removing or renaming an entry moves its folder's times, so when every
    // remembered folder and file stats as before, the tree is the same: no listing.
    const quick = statKeyIfPresent(absRoot, head.tree, cache.codeVersion, now);
    if (quick?.settled && quick.key === head.statKey) return { remembered, keys: { file, ...head } };
  }
  const tree = treeUnder(absRoot, '', { dirs: [''], files: [] });
  tree.dirs.sort();
  tree.files.sort();
  const stat = statKey(absRoot, tree, cache.codeVersion, now);
  const keys = { file, statKey: stat.settled ? stat.key : '', contentKey: await contentKeyOf(absRoot, tree.files, cache.codeVersion), tree };
  if (remembered?.head.contentKey === keys.contentKey) {
    // Same bytes under new times or inodes: remember them, so the next command only stats.
    if (remembered.head.statKey !== keys.statKey) {
      const head = { ...remembered.head, statKey: keys.statKey, tree };
      writeCacheFile(file, head, remembered.body);
    }
    return { remembered, keys };
  }
  return validateAndRemember(absRoot, validate, keys);
}

async function validateAndRemember(absRoot: string, validate: Validate, keys: Keys): Promise<{ exercises: Exercise[] }> {
  const exercises = await validate(absRoot);
  const { file, ...head } = keys;
  writeCacheFile(file, { ...head, summaries: exercises.map(summarize) }, Buffer.from(exercises.map((e) => JSON.stringify(e)).join('\n')));
  return { exercises };
}

/**
 * Writing a file always moves its ctime, but only to the file system's clock tick (a few
 * ms on ext4): a same-size edit within the tick of the previous one would leave size and
 * times as they were ("racily clean" in git's words). A file changed this recently is
 * judged by its bytes.
 */
const RACY_WINDOW_MS = 2_000;

/**
 * The code version and every folder's and file's path, size, times and inode, kept as
 * text (comparing 30-odd KB is cheaper than loading a hash function). Not settled while
 * an entry is recent.
 */
function statKey(absRoot: string, tree: Tree, codeVersion: string, now: number): { key: string; settled: boolean } {
  let key = `${codeVersion}\n${absRoot}\n`;
  let settled = true;
  for (const [names, suffix] of [[tree.dirs, '/'], [tree.files, '']] as const) {
    for (const rel of names) {
      const s = statSync(rel === '' ? absRoot : `${absRoot}/${rel}`);
      key += `${rel}${suffix}\t${s.size}\t${s.mtimeMs}\t${s.ctimeMs}\t${s.ino}\n`;
      if (s.ctimeMs > now - RACY_WINDOW_MS) settled = false;
    }
  }
  return { key, settled };
}

/** statKey of a remembered tree, or undefined when an entry of it is gone. */
function statKeyIfPresent(absRoot: string, tree: Tree, codeVersion: string, now: number): { key: string; settled: boolean } | undefined {
  try {
    return statKey(absRoot, tree, codeVersion, now);
  } catch {
    return undefined;
  }
}

/** sha256 of the code version and of every file's path and bytes. */
async function contentKeyOf(absRoot: string, files: readonly string[], codeVersion: string): Promise<string> {
  const { createHash } = await import('node:crypto');
  const hash = createHash('sha256').update(`${codeVersion}\0${absRoot}\0`);
  for (const rel of files) hash.update(`${rel}\0`).update(readFileSync(`${absRoot}/${rel}`)).update('\0');
  return hash.digest('hex');
}

/** Adds every folder and file under `dir` to `tree`. Plain strings: path.join per file and Node's recursive readdir made this twice as slow. */
function treeUnder(dir: string, rel: string, tree: Tree): Tree {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const relPath = rel === '' ? entry.name : `${rel}/${entry.name}`;
    if (entry.isDirectory()) {
      tree.dirs.push(relPath);
      treeUnder(`${dir}/${entry.name}`, relPath, tree);
    } else if (entry.isFile()) tree.files.push(relPath);
  }
  return tree;
}

/** FNV-1a (32 bits) of a string's UTF-16 code units, as hex: a short stable file name, not a security measure. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}
