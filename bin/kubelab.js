#!/usr/bin/env node
// Entry for `npx kubelab`: the compiled CLI when the build is fresh, else the sources
// through tsx (bin/run.js).
import { runKubelab } from './run.js';

process.exitCode = await runKubelab(process.argv.slice(2));
