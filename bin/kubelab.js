#!/usr/bin/env node
// Entry for `npx kubelab` / `npm start`. Runs the compiled CLI in dist/ (see
// bin/build.js) when it is at least as new as every TypeScript source; otherwise (no
// build yet, or sources edited since) registers tsx and runs the sources as they are,
// so a developer never runs stale code. KUBELAB_FROM_SOURCE=1 forces the sources.
import module from 'node:module';
import { buildIsFresh } from './freshness.js';

// Node 22.1 and later keep V8's compiled code between runs (in the OS temp folder), so
// a command does not compile the same bundle again each time. Node 20 has no such cache.
module.enableCompileCache?.();

let main;
if (process.env.KUBELAB_FROM_SOURCE !== '1' && buildIsFresh()) {
  ({ main } = await import('../dist/cli.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../server/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
