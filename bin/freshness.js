// Is dist/ (bin/build.js) at least as new as everything it was built from? Shared by
// bin/kubelab.js, which falls back to the sources when it is not, and bin/build.js,
// which skips a build that would change nothing (so `npm start` starts at once).
import { readdirSync, statSync } from 'node:fs';

const root = new URL('..', import.meta.url);
/** Bundled sources, and the lock file (a dependency upgrade changes the bundle too). */
const SOURCE_DIRS = ['server', 'graders', 'kubesim', 'web/server'];
const SOURCE_FILES = ['package-lock.json', 'bin/build.js'];

export const BUILT_STAMP = new URL('dist/BUILT', root);

function mtime(url) {
  try {
    return statSync(url).mtimeMs;
  } catch {
    return undefined;
  }
}

export function buildIsFresh() {
  const built = mtime(BUILT_STAMP);
  if (built === undefined) return false;
  for (const file of SOURCE_FILES) if ((mtime(new URL(file, root)) ?? 0) > built) return false;
  for (const dir of SOURCE_DIRS) {
    for (const name of readdirSync(new URL(`${dir}/`, root), { recursive: true })) {
      if (!name.endsWith('.ts') || name.endsWith('.test.ts')) continue;
      if ((mtime(new URL(`${dir}/${name}`, root)) ?? Infinity) > built) return false;
    }
  }
  return true;
}
