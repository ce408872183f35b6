#!/usr/bin/env node
// Entry for `npx kubelab`: the compiled CLI when the build is fresh, else the sources
// through tsx (bin/run.js).
import { runKubelab } from './run.js';

const code = await runKubelab(process.argv.slice(2));
// A command has finished its work and closed what it opened when it returns, so exit
// as soon as its output is out: a natural exit tears the whole heap down first, ~5 ms
// of a command meant to take a blink. (A write to a pipe can finish later, on macOS
// say; an empty write calls back once everything before it is out.)
await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))));
process.exit(code);
