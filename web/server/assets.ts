// The portal's browser code and styles, bundled by esbuild and kept in memory under
// content-hashed names, so pages can let browsers cache them forever and a new build is
// never mixed with an old page. The compiled server (dist/) reads the bundles
// `npm run build` made (prebuilt/): no esbuild process while `serve` starts. Run from
// the sources (tests, a developer's edit), or with those bundles older than web/, they
// are built here at start-up (about 100 ms), so nothing stale is ever served.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { packagePath } from '../../server/paths/package-root.ts';
import { gzipSync } from 'node:zlib';
import { ENTRIES, type Bundled, type Entry } from './asset-entries.ts';
import { readPrebuilt } from './prebuilt/read.ts';

export { ENTRIES, type Bundled, type Entry } from './asset-entries.ts';

export interface Asset {
  readonly url: string;
  readonly body: Buffer;
  readonly gzip: Buffer;
  readonly contentType: string;
}

export interface Assets {
  /** The hashed URL of an entry, for <script src> and <link href>. */
  url(entry: Entry): string;
  /** An asset by its URL path, for the route that serves them. */
  byPath(path: string): Asset | undefined;
  /** Total bytes (raw, gzip) of the entries a page loads: the page-weight budget. */
  weight(entries: readonly Entry[]): { raw: number; gzip: number };
}

const WEB_DIR = packagePath('web') + path.sep;

async function bundle(entry: string, loader: 'ts' | 'css'): Promise<Buffer> {
  // Loaded only when bundling: the compiled server usually reads prebuilt bundles.
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [`${WEB_DIR}${loader === 'ts' ? `client/${entry}.ts` : 'styles/app.css'}`],
    bundle: true,
    minify: true,
    format: loader === 'ts' ? 'esm' : undefined,
    target: loader === 'ts' ? ['es2022'] : undefined,
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error(`esbuild produced nothing for ${entry}`);
  return Buffer.from(file.contents);
}


/** Every entry and the stylesheet, bundled from web/ now. */
export async function bundleAll(): Promise<Bundled[]> {
  const scripts = await Promise.all(ENTRIES.map(async (entry): Promise<Bundled> => ({ entry, ext: 'js', body: await bundle(entry, 'ts') })));
  return [...scripts, { entry: 'style', ext: 'css', body: await bundle('style', 'css') }];
}

/** Level 9: compressed once per process (or once per build), served many times. */
export function gzipAsset(body: Buffer): Buffer {
  return gzipSync(body, { level: 9 });
}

function asset({ entry: name, ext, body, gzip }: Bundled): Asset {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return {
    url: `/assets/${name}.${hash}.${ext}`,
    body,
    gzip: gzip ?? gzipAsset(body),
    contentType: ext === 'js' ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8',
  };
}

export async function buildAssets(): Promise<Assets> {
  const built = new Map<Entry, Asset>();
  for (const b of readPrebuilt([...ENTRIES, 'style']) ?? (await bundleAll())) built.set(b.entry, asset(b));
  const byPath = new Map([...built.values()].map((a) => [a.url, a]));
  return {
    url: (entry) => built.get(entry)!.url,
    byPath: (path) => byPath.get(path),
    weight: (entries) =>
      entries.reduce(
        (sum, e) => ({ raw: sum.raw + built.get(e)!.body.length, gzip: sum.gzip + built.get(e)!.gzip.length }),
        { raw: 0, gzip: 0 },
      ),
  };
}

let shared: Promise<Assets> | undefined;

/**
 * The assets, built once per process: they depend only on files in web/, and every
 * app built by tests would otherwise pay for its own build.
 */
export function sharedAssets(): Promise<Assets> {
  shared ??= buildAssets().catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}
