#!/usr/bin/env node
// `npm run build` (run by `npm install` and `npm start`): compiles the CLI and server
// into dist/ with esbuild, so a command starts in tens of milliseconds instead of
// compiling TypeScript at run time. Each command's modules become their own chunk
// (server/cli/main.ts imports them on demand), so `kubelab --help` loads no server.
// Dependencies stay in node_modules: better-sqlite3 is a native addon, and esbuild
// itself is needed at run time to bundle the portal's browser code.
import { rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url);
const dist = new URL('dist/', root);

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
  packages: 'external',
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});
// Written last: bin/kubelab.js compares its time with the sources' to spot a stale build.
writeFileSync(new URL('BUILT', dist), `${new Date().toISOString()}\n`);
