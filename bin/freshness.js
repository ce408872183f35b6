// Is dist/ (bin/build.js) at least as new as everything it was built from? Shared by
// bin/kubelab.js, which falls back to the sources when it is not, and bin/build.js,
// which skips a build that would change nothing (so `npm start` starts at once).
//
// The build records the project files esbuild read (dist/INPUTS); only those are
// checked, so the test costs a few hundred stat calls, not a walk of the source tree.
// A new file matters only once an input imports it, and that input is then newer.
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Plain path strings: a URL per file made this check three times slower.
const packageRoot = fileURLToPath(new URL('..', import.meta.url));
/** Besides the bundled sources: the lock file (a dependency upgrade changes the bundle too) and the build itself. */
const ALWAYS_CHECKED = ['package-lock.json', 'bin/build.js', 'bin/freshness.js'];

export const BUILT_STAMP = `${packageRoot}dist/BUILT`;
export const INPUTS_LIST = `${packageRoot}dist/INPUTS`;

function mtime(file) {
  return statSync(file, { throwIfNoEntry: false })?.mtimeMs;
}

/** `root`: the package folder, ending in a slash (tests pass a scratch copy). */
export function buildIsFresh(root = packageRoot) {
  const built = mtime(`${root}dist/BUILT`);
  if (built === undefined) return false;
  let inputs;
  try {
    inputs = readFileSync(`${root}dist/INPUTS`, 'utf8').split('\n').filter(Boolean);
  } catch {
    return false;
  }
  for (const file of [...ALWAYS_CHECKED, ...inputs]) {
    // A missing input (deleted or renamed) makes the build stale too.
    if ((mtime(`${root}${file}`) ?? Infinity) > built) return false;
  }
  return true;
}
