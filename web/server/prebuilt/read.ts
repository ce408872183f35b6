// The portal's bundles made by `npm run build` (bin/build.js, write.ts) into dist/web/,
// read back by the compiled server instead of running esbuild as it starts. Used only
// when this code itself runs from dist/ and every file under web/client and web/styles
// is older than the bundles. bin/kubelab.cjs already runs the sources when they are
// newer (dist/INPUTS lists them); this guard also covers dist/ run some other way, as
// a developer who edits the browser code must never be served the old one.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packagePath } from '../../../server/paths/package-root.ts';
import type { Bundled, Entry } from '../asset-entries.ts';

/** Written last by write.ts: its date is the bundles' date. */
export const MANIFEST = 'manifest.json';
/** What the bundles are made from (web/server is the server's own code, in dist/ already). */
const SOURCE_DIRS = ['client', 'styles'];

export interface Manifest {
  readonly assets: readonly { readonly entry: Entry; readonly ext: 'js' | 'css' }[];
}

export interface ReadOptions {
  /** Where the bundles are (default dist/web). */
  readonly dir?: string;
  /** The web/ folder they were made from (default the package's). */
  readonly webDir?: string;
  /** Whether this is the compiled server (default: this module runs from dist/). */
  readonly compiled?: boolean;
}

/** The prebuilt bundles of exactly `entries`, or undefined when they must be built now (see the top). */
export function readPrebuilt(entries: readonly Entry[], options: ReadOptions = {}): Bundled[] | undefined {
  const compiled = options.compiled ?? fileURLToPath(import.meta.url).startsWith(packagePath('dist') + path.sep);
  if (!compiled) return undefined;
  const dir = options.dir ?? packagePath('dist/web');
  try {
    const built = statSync(path.join(dir, MANIFEST)).mtimeMs;
    if (newestSource(options.webDir ?? packagePath('web')) > built) return undefined;
    const manifest = JSON.parse(readFileSync(path.join(dir, MANIFEST), 'utf8')) as Manifest;
    // Bundles made for another list of entries are as good as none.
    if (manifest.assets.length !== entries.length || !entries.every((e) => manifest.assets.some((a) => a.entry === e))) return undefined;
    return manifest.assets.map(({ entry, ext }) => ({
      entry,
      ext,
      body: readFileSync(path.join(dir, `${entry}.${ext}`)),
      gzip: readFileSync(path.join(dir, `${entry}.${ext}.gz`)),
    }));
  } catch {
    // Missing or unreadable (no build yet, a partial copy): build them now instead.
    return undefined;
  }
}

function newestSource(webDir: string): number {
  let newest = 0;
  for (const sub of SOURCE_DIRS) {
    const root = path.join(webDir, sub);
    for (const name of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
      newest = Math.max(newest, statSync(path.join(root, name)).mtimeMs);
    }
  }
  return newest;
}
