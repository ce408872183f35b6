// What bin/kubelab.cjs and bin/start.js share: run the compiled CLI in dist/ (see
// bin/build.js) when it is at least as new as every source it was built from; otherwise
// (no build yet, or sources edited since) either build first (`npm start`) or register
// tsx and run the sources as they are, so a developer never runs stale code.
// KUBELAB_FROM_SOURCE=1 always runs the sources.
import module from 'node:module';
import { buildIsFresh } from './freshness.cjs';

/**
 * Runs `kubelab ARGV…` in this process; resolves with its exit code. `fresh`: whether
 * dist/ is fresh, when the caller already knows (a few hundred stat calls to find out).
 */
export async function runKubelab(argv, { buildWhenStale = false, fresh } = {}) {
  // Node 22.1 and later keep V8's compiled code between runs (in the OS temp folder), so
  // a command does not compile the same bundle again each time. Node 20 has no such cache.
  module.enableCompileCache?.();
  const fromSource = process.env.KUBELAB_FROM_SOURCE === '1';
  let compiled = !fromSource && (fresh ?? buildIsFresh());
  if (!compiled && !fromSource && buildWhenStale) {
    await (await import('./build.js')).buildDist();
    compiled = true;
  }
  let main;
  if (compiled) {
    ({ main } = await import('../dist/cli.js'));
  } else {
    const { register } = await import('tsx/esm/api');
    register();
    ({ main } = await import('../server/cli/main.ts'));
  }
  return main(argv);
}
