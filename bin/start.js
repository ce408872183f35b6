#!/usr/bin/env node
// `npm start`: build when the sources changed, then serve, all in one Node process (a
// second process just to build, or to find nothing to build, cost ~0.1 s of every start).
import { runKubelab } from './run.js';

process.exitCode = await runKubelab(['serve', ...process.argv.slice(2)], { buildWhenStale: true });
