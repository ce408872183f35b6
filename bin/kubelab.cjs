#!/usr/bin/env node
// Entry for `npx kubelab`. While the build in dist/ is fresh, the quick commands (help,
// version, the exercise list) run from dist/quick.cjs and everything else from the
// compiled CLI (bin/run.js); when the sources changed since, from the sources through
// tsx. CommonJS on purpose: an ES module entry starts Node's module loader, ~10 ms that
// the quick commands do without.
'use strict';
const { buildIsFresh } = require('./freshness.cjs');

/**
 * First words that can start a quick command (server/cli/quick.ts decides): the other
 * commands skip loading it. `--help` after another word goes to the full CLI, which
 * answers it too.
 */
const QUICK_WORDS = new Set(['help', '--help', '-h', 'version', '--version', '-v', 'exercises']);

async function main(argv) {
  const fromSource = process.env.KUBELAB_FROM_SOURCE === '1';
  // Only dist/quick.cjs's own inputs need to be older than the build for it to run.
  if (!fromSource && QUICK_WORDS.has(argv[0]) && buildIsFresh(undefined, 'INPUTS-quick')) {
    const code = await require('./quick.cjs').runQuick(argv);
    if (code !== undefined) return code;
  }
  // `kubelab grade` can run only a quarter of the build: only that part is checked.
  const fresh = !fromSource && buildIsFresh(undefined, argv[0] === 'grade' ? 'INPUTS-grade' : 'INPUTS');
  const { runKubelab } = await import('./run.js');
  return runKubelab(argv, { fresh });
}

main(process.argv.slice(2)).then(
  async (code) => {
    // A command has finished its work and closed what it opened when it returns, so exit
    // as soon as its output is out: a natural exit tears the whole heap down first, ~5 ms
    // of a command meant to take a blink. (A write to a pipe can finish later, on macOS
    // say; an empty write calls back once everything before it is out.)
    await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))));
    process.exit(code);
  },
  (error) => {
    // As an ES module entry would: the error on stderr, exit code 1.
    process.exitCode = 1;
    throw error;
  },
);
