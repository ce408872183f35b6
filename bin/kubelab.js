#!/usr/bin/env node
// Entry for `npx kubelab` / `npm start`. Runs the compiled CLI in dist/ (see
// bin/build.js) when it is at least as new as every TypeScript source; otherwise (no
// build yet, or sources edited since) registers tsx and runs the sources as they are,
// so a developer never runs stale code. KUBELAB_FROM_SOURCE=1 forces the sources.
import { readdirSync, statSync } from 'node:fs';

const root = new URL('..', import.meta.url);
const SOURCE_DIRS = ['server', 'graders', 'kubesim', 'web/server'];

function mtime(url) {
  try {
    return statSync(url).mtimeMs;
  } catch {
    return undefined;
  }
}

function buildIsFresh() {
  const built = mtime(new URL('dist/BUILT', root));
  if (built === undefined) return false;
  for (const dir of SOURCE_DIRS) {
    for (const name of readdirSync(new URL(`${dir}/`, root), { recursive: true })) {
      if (!name.endsWith('.ts') || name.endsWith('.test.ts')) continue;
      if ((mtime(new URL(`${dir}/${name}`, root)) ?? Infinity) > built) return false;
    }
  }
  return true;
}

let main;
if (process.env.KUBELAB_FROM_SOURCE !== '1' && buildIsFresh()) {
  ({ main } = await import('../dist/cli.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../server/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
