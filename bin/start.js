#!/usr/bin/env node
// `npm start`: build when the sources changed, then serve, all in one Node process (a
// second process just to build or to find nothing to build cost ~0.1 s of every start).
import module from 'node:module';
import { buildIsFresh } from './freshness.js';

module.enableCompileCache?.();

if (!buildIsFresh()) await (await import('./build.js')).buildDist();
const { main } = await import('../dist/cli.js');
process.exitCode = await main(['serve', ...process.argv.slice(2)]);
