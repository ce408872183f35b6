#!/usr/bin/env node
// `npm run build` (run first by `npm start` and `npm test`): compiles the CLI and server
// into dist/ with esbuild, so a command no longer compiles TypeScript at run time. Each command's modules become their own chunk
// (server/cli/dispatch.ts imports them on demand), so `kubelab --help` loads no server.
// The quick commands (help, version, the exercise list) get a CommonJS bundle of their
// own, dist/quick.cjs (server/cli/quick.ts, run by bin/quick.cjs).
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { BUILT_STAMP, buildIsFresh, inputsList } from './freshness.cjs';

const root = new URL('..', import.meta.url);
const dist = new URL('dist/', root);

// zod bundles its messages in 40-odd languages (half its size, compiled by every
// command); kubelab speaks English, so its locale list is cut down to English.
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(esbuild) {
    esbuild.onResolve({ filter: /\/locales\/index\.js$/ }, (args) => {
      if (!args.importer.includes(`${path.sep}node_modules${path.sep}zod${path.sep}`)) return undefined;
      return { path: path.join(path.dirname(args.importer), args.path), namespace: 'zod-locales' };
    });
    esbuild.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(path.join(path.dirname(args.path), 'en.js'))};`,
      resolveDir: path.dirname(args.path),
    }));
  },
};

// zod/mini (graders/zod-mini.ts, the schemas one-shot commands load) gets its own copy of
// zod's core, tree-shaken on its own. Shared with classic zod, the core is split by file,
// not by function, so `kubelab grade` would load all of it (220 KB, ~15 ms) for the
// few parts mini uses (50 KB). Both copies read one global config (zod keeps it on
// globalThis): the locale, jitless and the memoizer apply to both.
const zodMiniOwnCore = {
  name: 'zod-mini-own-core',
  setup(esbuild) {
    const entry = fileURLToPath(import.meta.resolve('zod/mini'));
    esbuild.onResolve({ filter: /^zod\/mini$/ }, () => ({ path: entry, namespace: 'zod-mini' }));
    esbuild.onResolve({ filter: /.*/, namespace: 'zod-mini' }, (args) => ({ path: path.join(path.dirname(args.importer), args.path), namespace: 'zod-mini' }));
    esbuild.onLoad({ filter: /.*/, namespace: 'zod-mini' }, (args) => ({
      // English only, as zodEnglishOnly does for the shared copy.
      contents: args.path.endsWith(`${path.sep}locales${path.sep}index.js`) ? "export { default as en } from './en.js';" : readFileSync(args.path, 'utf8'),
      resolveDir: path.dirname(args.path),
      loader: 'js',
    }));
  },
};

// CommonJS packages inside an ES module bundle still call require() for Node's built-ins
// and read __dirname; every output file gets these, and the ones that do not use them lose
// them again after the build (dropUnusedCommonJsGlobals).
const COMMONJS_GLOBALS = [
  "import { createRequire as __kubelabCreateRequire } from 'node:module';",
  "import { fileURLToPath as __kubelabFileURLToPath } from 'node:url';",
  'const require = __kubelabCreateRequire(import.meta.url);',
  'const __filename = __kubelabFileURLToPath(import.meta.url);',
  "const __dirname = __kubelabFileURLToPath(new URL('.', import.meta.url));",
].join('\n');

/**
 * A require() made for each of the ~20 chunks a command loads cost ~10 ms of
 * `kubelab exercises list`; most chunks never name require, __filename or __dirname.
 * Their banner becomes blank lines, so the source maps' line numbers still hold. A chunk
 * that merely mentions the words (in a string, say) keeps it: wrong only on the safe side.
 */
function dropUnusedCommonJsGlobals(files) {
  for (const file of files) {
    const abs = new URL(file, root);
    const text = readFileSync(abs, 'utf8');
    if (!text.startsWith(COMMONJS_GLOBALS)) continue;
    const rest = text.slice(COMMONJS_GLOBALS.length);
    if (/\b(require|__filename|__dirname)\b/.test(rest)) continue;
    writeFileSync(abs, '\n'.repeat(COMMONJS_GLOBALS.split('\n').length - 1) + rest);
  }
}

/** Project files only: the lock file stands for node_modules. */
function ownFiles(files) {
  return files.filter((file) => !file.startsWith('node_modules/') && !file.includes('/node_modules/'));
}

/**
 * The project files one command of the ES module build can run: the CLI's front (main,
 * jitless, dispatch) with what they import up front (dispatch imports every command on
 * demand), and the command's module with everything it imports, up front or on demand.
 */
function commandInputs(metafile, commandModule) {
  const { outputs } = metafile;
  const outputOf = (entry) => {
    const output = Object.keys(outputs).find((file) => outputs[file].entryPoint === entry);
    if (output === undefined) throw new Error(`bin/build.js: no output for ${entry}`);
    return output;
  };
  const reachable = (start, onDemandToo) => {
    const seen = new Set();
    const visit = (output) => {
      if (seen.has(output)) return;
      seen.add(output);
      for (const { path: imported, kind, external } of outputs[output].imports) {
        if (!external && (kind === 'import-statement' || onDemandToo)) visit(imported);
      }
    };
    visit(outputOf(start));
    return [...seen];
  };
  const chunks = new Set([
    ...['server/cli/main.ts', 'server/cli/jitless.ts', 'server/cli/dispatch.ts'].flatMap((front) => reachable(front, false)),
    ...reachable(commandModule, true),
  ]);
  return ownFiles([...new Set([...chunks].flatMap((chunk) => Object.keys(outputs[chunk].inputs)))]);
}

/** Compiles everything into dist/ (replacing what was there). */
export async function buildDist() {
  rmSync(dist, { recursive: true, force: true });
  // Caches keyed on the code (the catalog's, dist/cache) use this to tell builds apart.
  const buildId = new Date().toISOString();
  const common = {
    absWorkingDir: new URL('.', root).pathname,
    outdir: 'dist',
    bundle: true,
    platform: 'node',
    target: 'node20',
    // Dependencies are bundled too: resolving and loading hundreds of node_modules files
    // was most of the start-up (client-node alone ~0.7 s). Left outside: the native
    // SQLite addon, esbuild (a binary, bundling the portal's browser code at run time),
    // tsx, and optional native speed-ups of ws that may be absent.
    external: ['better-sqlite3', 'esbuild', 'tsx', 'bufferutil', 'utf-8-validate'],
    sourcemap: 'linked',
    logLevel: 'warning',
    metafile: true,
    minifyWhitespace: true,
    minifySyntax: true,
    plugins: [zodMiniOwnCore, zodEnglishOnly],
  };
  const result = await build({
    ...common,
    entryPoints: { cli: 'server/cli/main.ts' },
    splitting: true,
    format: 'esm',
    // CommonJS packages inside an ES module bundle still call require() for Node's
    // built-ins and read __dirname; give them both.
    banner: { js: COMMONJS_GLOBALS },
    chunkNames: 'chunks/[name]-[hash]',
    define: { KUBELAB_BUILD_ID: JSON.stringify(buildId) },
  });
  const quick = await build({
    ...common,
    entryPoints: { quick: 'server/cli/quick.ts' },
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    // bin/quick.cjs compiles it as a plain script (node:vm), which has no import():
    // esbuild turns each into a require().
    supported: { 'dynamic-import': false },
    // package-root.ts finds the package from its own module's URL.
    banner: { js: "const __kubelabImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    define: { KUBELAB_BUILD_ID: JSON.stringify(buildId), 'import.meta.url': '__kubelabImportMetaUrl' },
  });
  dropUnusedCommonJsGlobals(Object.keys(result.metafile.outputs).filter((file) => file.endsWith('.js')));
  // The portal's browser bundles too (web/server/prebuilt/), so the compiled `serve` reads
  // them instead of starting esbuild as it starts. Through tsx: one copy of the bundling
  // options, web/server/assets.ts's.
  {
    const { register } = await import('tsx/esm/api');
    register();
    const { writePrebuilt } = await import('../web/server/prebuilt/write.ts');
    await writePrebuilt(new URL('web/', dist).pathname);
  }
  // The project files the bundle was made of (not node_modules: the lock file stands for
  // those), for bin/freshness.cjs; and the portal's browser sources, bundled above.
  const quickInputs = ownFiles(Object.keys(quick.metafile.inputs));
  const inputs = [...new Set([...ownFiles(Object.keys(result.metafile.inputs)), ...quickInputs])];
  inputs.push(
    ...['web/client', 'web/styles'].flatMap((dir) =>
      readdirSync(new URL(`${dir}/`, root), { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => path.relative(new URL('.', root).pathname, path.join(entry.parentPath, entry.name)))),
  );
  for (const [name, files] of [
    ['INPUTS', inputs],
    ['INPUTS-quick', quickInputs],
    ['INPUTS-grade', commandInputs(result.metafile, 'server/cli/grade.ts')],
  ]) {
    writeFileSync(inputsList(name), `${files.sort().join('\n')}\n`);
  }
  // Written last: bin/freshness.cjs compares its time with the sources' to spot a stale build.
  writeFileSync(BUILT_STAMP, `${buildId}\n`);
}

// Run as a script (`npm run build`), it builds unless nothing changed since the last
// build (`--force` builds anyway). bin/start.js imports buildDist instead, to build and
// serve in one Node process.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv.includes('--force') || !buildIsFresh()) await buildDist();
}
