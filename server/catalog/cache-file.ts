// The catalog cache's file (cache.ts decides what goes in and when it is current): lines
// of JSON, the keys and a summary of each exercise first, then one line per exercise in
// the same order. Read as bytes, so only the lines asked for are decoded and parsed.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
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
export interface Tree {
  dirs: string[];
  files: string[];
}

/** The cache file's first line. */
export interface CacheHead {
  /** statKey's value when the files last matched; '' when they were too recent to tell. */
  statKey: string;
  contentKey: string;
  /** The tree both keys were made of. */
  tree: Tree;
  summaries: ExerciseSummary[];
}

/** The cache file as read: its first line parsed, the exercises' lines kept as bytes until asked for. */
export interface Remembered {
  head: CacheHead;
  /** One line per exercise of head.summaries, in its order. */
  body: Buffer;
}

const NEWLINE = 0x0a;

/** Our own file, but a torn or hand-edited one is simply ignored (JSON.stringify never writes a raw newline). */
export function readCacheFile(file: string): Remembered | undefined {
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
export function exerciseLines(body: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let end = body.indexOf(NEWLINE); end >= 0; start = end + 1, end = body.indexOf(NEWLINE, start)) lines.push(body.subarray(start, end));
  lines.push(body.subarray(start));
  return lines;
}

/** An exercise's line, or undefined when it is torn (or not an exercise's). */
export function parseExercise(line: Buffer | undefined): Exercise | undefined {
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
export function writeCacheFile(file: string, head: CacheHead, body: Buffer): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, Buffer.concat([Buffer.from(`${JSON.stringify(head)}\n`), body]));
    renameSync(temporary, file);
  } catch {
    // Nothing lost: the catalog was validated and is returned.
  }
}
