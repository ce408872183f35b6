// `npm run build` (bin/build.js) bundles the portal's browser code into dist/web/ with
// this, so the compiled server reads it (read.ts) instead of running esbuild at start-up.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleAll, gzipAsset } from '../assets.ts';
import { MANIFEST, type Manifest } from './read.ts';

/** Bundles web/ into `dir` (raw and gzip); the manifest goes last, so its date is the bundles'. */
export async function writePrebuilt(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const bundled = await bundleAll();
  for (const b of bundled) {
    writeFileSync(path.join(dir, `${b.entry}.${b.ext}`), b.body);
    writeFileSync(path.join(dir, `${b.entry}.${b.ext}.gz`), gzipAsset(b.body));
  }
  const manifest: Manifest = { assets: bundled.map(({ entry, ext }) => ({ entry, ext })) };
  writeFileSync(path.join(dir, MANIFEST), `${JSON.stringify(manifest)}\n`);
}
