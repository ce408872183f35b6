#!/usr/bin/env node
// `npm run build` (run first by `npm start` and `npm test`): compiles the CLI and server
// into dist/ with esbuild, so a command no longer compiles TypeScript at run time. Each command's modules become their own chunk
// (server/cli/main.ts imports them on demand), so `kubelab --help` loads no server.
import { rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { BUILT_STAMP, buildIsFresh } from './freshness.js';

const root = new URL('..', import.meta.url);
const dist = new URL('dist/', root);

// Nothing changed since the last build: keep it (`--force` builds anyway).
if (!process.argv.includes('--force') && buildIsFresh()) process.exit(0);

rmSync(dist, { recursive: true, force: true });
await build({
  absWorkingDir: new URL('.', root).pathname,
  entryPoints: { cli: 'server/cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Dependencies are bundled too: resolving and loading hundreds of node_modules files
  // was most of the start-up (client-node alone ~0.7 s). Left outside: the native
  // SQLite addon, esbuild (a binary, bundling the portal's browser code at run time),
  // tsx, and optional native speed-ups of ws that may be absent.
  external: ['better-sqlite3', 'esbuild', 'tsx', 'bufferutil', 'utf-8-validate'],
  // CommonJS packages inside an ES module bundle still call require() for Node's
  // built-ins and read __dirname; give them both.
  banner: {
    js: [
      "import { createRequire as __kubelabCreateRequire } from 'node:module';",
      "import { fileURLToPath as __kubelabFileURLToPath } from 'node:url';",
      'const require = __kubelabCreateRequire(import.meta.url);',
      'const __filename = __kubelabFileURLToPath(import.meta.url);',
      "const __dirname = __kubelabFileURLToPath(new URL('.', import.meta.url));",
    ].join('\n'),
  },
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});
// The portal's browser bundles too (web/server/prebuilt/), so the compiled `serve` reads
// them instead of starting esbuild as it starts. Through tsx: one copy of the bundling
// options, web/server/assets.ts's.
{
  const { register } = await import('tsx/esm/api');
  register();
  const { writePrebuilt } = await import('../web/server/prebuilt/write.ts');
  await writePrebuilt(new URL('web/', dist).pathname);
}
// Written last: bin/kubelab.js compares its time with the sources' to spot a stale build.
writeFileSync(BUILT_STAMP, `${new Date().toISOString()}\n`);
