// A validated catalog, remembered between commands. Validating every exercise (YAML,
// schemas, 70-odd mistakes and their manifests) is most of `kubelab exercises list` and a
// good part of `serve`'s start; the files rarely change between two commands. The cache
// is keyed on the code (the build id) and on every file under the root, by its size,
// times and inode (as git's index does) and, while it may still be written within one
// timestamp tick, its bytes; so an edit, a new file or a new build is always seen. Only
// a sound catalog is kept.
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Exercise } from './exercise.ts';

export interface CatalogCache {
  /** Folder for the cache files (created when missing). */
  readonly dir: string;
  /** Identifies the code that validated: a catalog validated by other code is not reused. */
  readonly codeVersion: string;
}

interface CacheFile {
  key: string;
  exercises: Exercise[];
}

/** The exercises under `absRoot`, from the cache when nothing changed, else from `validate` (then remembered). */
export async function cachedExercises(
  absRoot: string,
  cache: CatalogCache,
  validate: (absRoot: string) => Promise<Exercise[]>,
): Promise<Exercise[]> {
  const key = await fingerprint(absRoot, cache.codeVersion);
  // One file per catalog root, so two catalogs used in turn do not evict each other (the
  // key names the root too, so two roots sharing a file name only take turns).
  const file = path.join(cache.dir, `catalog-${fnv1a(absRoot)}.json`);
  const remembered = readCacheFile(file);
  if (remembered?.key === key) return remembered.exercises;
  const exercises = await validate(absRoot);
  writeCacheFile(file, { key, exercises });
  return exercises;
}

/**
 * A file changed this recently is read too. Writing a file always moves its ctime, but
 * only to the file system's clock tick (a few ms on ext4): a same-size edit within the
 * tick of the previous one would leave size and times as they were ("racily clean" in
 * git's words). Once the file is older than this, its times alone tell.
 */
const RACY_WINDOW_MS = 2_000;

/**
 * The code version and every file under the root: path, size, times and inode, and a
 * digest of the bytes of recent ones. Kept as text, not hashed: comparing 20-odd KB is
 * cheaper than loading a hash function, which only recent files need.
 */
export async function fingerprint(absRoot: string, codeVersion: string, now: number = Date.now()): Promise<string> {
  let key = `${codeVersion}\n${absRoot}\n`;
  for (const rel of filesUnder(absRoot, '', []).sort()) {
    const abs = `${absRoot}/${rel}`;
    const s = statSync(abs);
    key += `${rel}\t${s.size}\t${s.mtimeMs}\t${s.ctimeMs}\t${s.ino}\n`;
    if (s.ctimeMs > now - RACY_WINDOW_MS) {
      const { createHash } = await import('node:crypto');
      key += `\t${createHash('sha256').update(readFileSync(abs)).digest('hex')}\n`;
    }
  }
  return key;
}

/** FNV-1a (32 bits) of a string's UTF-16 code units, as hex: a short stable file name, not a security measure. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** Every file's path under `dir`, relative and '/'-separated. Plain strings: path.join per file and Node's recursive readdir made this twice as slow. */
function filesUnder(dir: string, rel: string, out: string[]): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const relPath = rel === '' ? entry.name : `${rel}/${entry.name}`;
    if (entry.isDirectory()) filesUnder(`${dir}/${entry.name}`, relPath, out);
    else if (entry.isFile()) out.push(relPath);
  }
  return out;
}

function readCacheFile(file: string): CacheFile | undefined {
  try {
    const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
    // Our own file, but a torn or hand-edited one is simply ignored.
    if (typeof data !== 'object' || data === null) return undefined;
    const { key, exercises } = data as Partial<CacheFile>;
    return typeof key === 'string' && Array.isArray(exercises) ? { key, exercises } : undefined;
  } catch {
    return undefined;
  }
}

/** Best effort: a read-only install just validates every time. Written whole, then renamed, so a reader never sees half. */
function writeCacheFile(file: string, content: CacheFile): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(content));
    renameSync(temporary, file);
  } catch {
    // Nothing lost: the catalog was validated and is returned.
  }
}
