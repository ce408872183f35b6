// Is dist/ (bin/build.js) at least as new as everything it was built from? Shared by
// bin/kubelab.cjs, which falls back to the sources when it is not, and bin/build.js,
// which skips a build that would change nothing (so `npm start` starts at once).
// CommonJS, like bin/kubelab.cjs, which must not start Node's ES module loader.
//
// The build records the project files esbuild read (dist/INPUTS); only those are
// checked, so the test costs a few hundred stat calls, not a walk of the source tree.
// A new file matters only once an input imports it, and that input is then newer.
'use strict';
const { readFileSync, statSync } = require('node:fs');
const path = require('node:path');

// Plain path strings: a URL per file made this check three times slower.
const packageRoot = `${path.dirname(__dirname)}${path.sep}`;
/** Besides the bundled sources: the lock file (a dependency upgrade changes the bundle too) and the build itself. */
const ALWAYS_CHECKED = ['package-lock.json', 'bin/build.js', 'bin/freshness.cjs'];

exports.BUILT_STAMP = `${packageRoot}dist/BUILT`;
/**
 * The file listing the inputs of the whole build (INPUTS), or of the part one command can
 * run: INPUTS-quick for dist/quick.cjs (a tenth of them), INPUTS-grade for `kubelab grade`
 * (a quarter).
 */
exports.inputsList = (name = 'INPUTS', root = packageRoot) => `${root}dist/${name}`;

function mtime(file) {
  return statSync(file, { throwIfNoEntry: false })?.mtimeMs;
}

/** `root`: the package folder, ending in a slash (tests pass a scratch copy). `list`: which inputs (inputsList). */
exports.buildIsFresh = function buildIsFresh(root = packageRoot, list = 'INPUTS') {
  const built = mtime(`${root}dist/BUILT`);
  if (built === undefined) return false;
  let inputs;
  try {
    inputs = readFileSync(exports.inputsList(list, root), 'utf8').split('\n').filter(Boolean);
  } catch {
    return false;
  }
  for (const file of [...ALWAYS_CHECKED, ...inputs]) {
    // A missing input (deleted or renamed) makes the build stale too.
    if ((mtime(`${root}${file}`) ?? Infinity) > built) return false;
  }
  return true;
};
