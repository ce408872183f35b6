// A validated catalog, remembered between commands. Validating every exercise (YAML,
// schemas, 70-odd mistakes and their manifests) is most of `kubelab exercises list` and a
// good part of `serve`'s start; the files rarely change between two commands.
//
// The cache is keyed on the code (the build id) and on the files under the root, two
// ways. First by each file's and folder's path, size, times and inode, as git's index
// does: a stat per entry, no reading (an unchanged folder holds the same entries, so the
// tree remembered with the key stands in for listing every folder). When that differs, or when a file changed too recently for its times
// to tell, by every file's bytes: so a copy of the same catalog (a Docker layer, a fresh
// checkout: new inodes and times) still uses the cache, and an edit, a new file or a new
// build is always seen. Only a sound catalog is kept.
//
// The file is lines of JSON: the keys and a summary of each exercise, then one line per
// exercise in the same order. `kubelab exercises list` needs only the first line (a
// tenth of the bytes) and `kubelab grade` one more, so the file is read as bytes and only
// the lines asked for are decoded and parsed.
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Exercise } from './exercise.ts';

/** What `kubelab exercises list` shows of an exercise. */
export interface ExerciseSummary {
  id: string;
  title: string;
  minutes: number;
  /** How many checks grade it. */
  checks: number;
}

export interface CatalogCache {
  /** Folder for the cache files (created when missing). */
  readonly dir: string;
  /** Identifies the code that validated: a catalog validated by other code is not reused. */
  readonly codeVersion: string;
  /** The clock, for the recent-change window (tests move it). */
  readonly now?: () => number;
}

/** Every folder (the root is '') and file under the root, relative and '/'-separated. */
interface Tree {
  dirs: string[];
  files: string[];
}

/** The cache file's first line. */
interface CacheHead {
  /** statKey's value when the files last matched; '' when they were too recent to tell. */
  statKey: string;
  contentKey: string;
  /** The tree both keys were made of. */
  tree: Tree;
  summaries: ExerciseSummary[];
}

/** The cache file as read: its first line parsed, the exercises' lines kept as bytes until asked for. */
interface Remembered {
  head: CacheHead;
  /** One line per exercise of head.summaries, in its order. */
  body: Buffer;
}

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
  const found = await lookUp(absRoot, cache, validate);
  if (found.exercises === undefined) {
    const { summaries } = found.remembered.head;
    const ids = summaries.map((s) => s.id);
    const index = ids.indexOf(id);
    if (index < 0) return { exercise: undefined, ids };
    const exercise = parseExercise(exerciseLines(found.remembered.body)[index]);
    if (exercise?.id === id) return { exercise, ids };
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

async function lookUp(absRoot: string, cache: CatalogCache, validate: Validate): Promise<Found> {
  const now = (cache.now ?? Date.now)();
  // One file per catalog root, so two catalogs used in turn do not evict each other (the
  // keys name the root too, so two roots sharing a file name only take turns).
  const file = path.join(cache.dir, `catalog-${fnv1a(absRoot)}.json`);
  const remembered = readCacheFile(file);
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

const NEWLINE = 0x0a;

/** Our own file, but a torn or hand-edited one is simply ignored (JSON.stringify never writes a raw newline). */
function readCacheFile(file: string): Remembered | undefined {
  try {
    const bytes = readFileSync(file);
    const end = bytes.indexOf(NEWLINE);
    if (end < 0) return undefined;
    const data: unknown = JSON.parse(bytes.toString('utf8', 0, end));
    if (typeof data !== 'object' || data === null) return undefined;
    const { statKey: stat, contentKey, tree, summaries } = data as Partial<CacheHead>;
    if (typeof stat !== 'string' || typeof contentKey !== 'string' || !isTree(tree) || !isSummaryList(summaries)) return undefined;
    return { head: { statKey: stat, contentKey, tree, summaries }, body: bytes.subarray(end + 1) };
  } catch {
    return undefined;
  }
}

/** The exercises' lines, each still bytes. */
function exerciseLines(body: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let end = body.indexOf(NEWLINE); end >= 0; start = end + 1, end = body.indexOf(NEWLINE, start)) lines.push(body.subarray(start, end));
  lines.push(body.subarray(start));
  return lines;
}

/** An exercise's line, or undefined when it is torn (or not an exercise's). */
function parseExercise(line: Buffer | undefined): Exercise | undefined {
  try {
    const exercise: unknown = line === undefined ? undefined : JSON.parse(line.toString('utf8'));
    return typeof exercise === 'object' && exercise !== null && typeof (exercise as Exercise).id === 'string' ? (exercise as Exercise) : undefined;
  } catch {
    return undefined;
  }
}

function isSummaryList(value: unknown): value is ExerciseSummary[] {
  return (
    Array.isArray(value) &&
    value.every((s: Partial<ExerciseSummary> | null) => typeof s?.id === 'string' && typeof s.title === 'string' && typeof s.minutes === 'number' && typeof s.checks === 'number')
  );
}

function isTree(value: unknown): value is Tree {
  const strings = (list: unknown) => Array.isArray(list) && list.every((item) => typeof item === 'string');
  return typeof value === 'object' && value !== null && strings((value as Tree).dirs) && strings((value as Tree).files);
}

/** Best effort: a read-only install just validates every time. Written whole, then renamed, so a reader never sees half. */
function writeCacheFile(file: string, head: CacheHead, body: Buffer): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, Buffer.concat([Buffer.from(`${JSON.stringify(head)}\n`), body]));
    renameSync(temporary, file);
  } catch {
    // Nothing lost: the catalog was validated and is returned.
  }
}
