// Runs dist/quick.cjs (server/cli/quick.ts: help, version, the exercise list), keeping
// V8's compiled code of it in dist/cache between runs. Node 22 can keep compiled code by
// itself (module.enableCompileCache, bin/run.js), Node 20 cannot; a lone CommonJS script
// compiled through node:vm can, on every version.
//
// The kept code is named after the script file as opened (size, modification time) and
// the Node version: V8 checks its own version, its flags and the source's length, not the
// text, so a rebuilt script of the same length must never meet the code of the old one.
// Not the inode: a copy that keeps the times (a Docker layer) may use what the original kept.
'use strict';
const { closeSync, fstatSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { createRequire, wrap } = require('node:module');
const path = require('node:path');
const { Script } = require('node:vm');

const DIST = path.join(path.dirname(__dirname), 'dist');

/** runQuick(argv) of dist/quick.cjs: the exit code, or undefined when the full CLI must run the command. */
exports.runQuick = async function runQuick(argv) {
  const quick = loadScript(path.join(DIST, 'quick.cjs'), path.join(DIST, 'cache'));
  const code = await quick.exports.runQuick(argv);
  // After the run, so the functions it compiled on the way are kept too.
  quick.keepCode();
  return code;
};

/**
 * Runs the CommonJS script `file` as require() would, compiled from the code kept in
 * `codeDir` when there is some for this very file. `keepCode()` keeps the code compiled
 * so far, when none was used.
 */
function loadScript(file, codeDir) {
  const fd = openSync(file, 'r');
  let source, stats;
  try {
    stats = fstatSync(fd);
    source = readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
  const codeFile = path.join(codeDir, `${path.basename(file)}-${stats.size}-${stats.mtimeMs}-${process.version}-${process.arch}.v8`);
  let cachedData;
  try {
    cachedData = readFileSync(codeFile);
  } catch {
    // None yet: compiled from the source.
  }
  const script = new Script(wrap(source), { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  const usedKeptCode = cachedData !== undefined && !script.cachedDataRejected;
  return {
    exports: module.exports,
    usedKeptCode,
    keepCode: () => {
      if (!usedKeptCode) keep(codeFile, script.createCachedData());
    },
  };
}
exports.loadScript = loadScript;

/** Best effort, whole or not at all: a read-only install simply compiles every time. */
function keep(file, data) {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, data);
    renameSync(temporary, file);
  } catch {
    // Nothing lost but time.
  }
}
