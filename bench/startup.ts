// Whole-process start-up of the `kubelab` command, as a user feels it: from spawning
// `node bin/kubelab.js …` to its exit (help, exercises list) or to its ready line
// (sim, serve). `serve` has two: listening (the port is bound, probes answer, other
// requests wait) and ready (the app answers them: catalog, database, cluster loaded). Compiled (dist/, `npm run build`) against running the TypeScript
// sources through tsx (KUBELAB_FROM_SOURCE=1), which is what every command did before.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { EXTRA_CA_CERTS, shellTimed } from './shell-time.ts';
import { formatRows, median, ms } from './stats.ts';

const RUNS = 7;
const BIN = 'bin/kubelab.js';
const CATALOG_CACHE = 'dist/cache';

/** ms from spawn until `ready` matches a line of output (then the process group is stopped). */
function timeToLine(args: string[], env: NodeJS.ProcessEnv, ready: RegExp, command: readonly string[] = ['node', BIN]): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    // Its own process group: `npm start` runs the server as a grandchild.
    const child = spawn(command[0]!, [...command.slice(1), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let seen = '';
    let done = false;
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (!done && ready.test(seen)) {
        done = true;
        const elapsed = performance.now() - start;
        child.once('exit', () => resolve(elapsed));
        process.kill(-child.pid!, 'SIGTERM');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => { if (!ready.test(seen)) reject(new Error(`${args.join(' ')} exited ${code} before ready: ${seen.slice(-400)}`)); });
  });
}

/** ms from start to exit of `node bin/kubelab.js ARGS`, timed by a shell around it (bench/shell-time.ts). */
function timeToExit(args: string[], env: NodeJS.ProcessEnv, unset?: readonly string[]): Promise<number> {
  return shellTimed(['node', BIN, ...args], { env, ...(unset ? { unset } : {}) });
}

async function medianOf(run: () => Promise<number>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(await run());
  return median(samples);
}

export async function benchStartup(): Promise<string> {
  await execa('node', ['bin/build.js']);
  const dir = mkdtempSync(path.join(tmpdir(), 'kubelab-startup-'));
  let port = 18600;
  try {
    const cases: [string, (env: NodeJS.ProcessEnv) => Promise<number>][] = [
      ['kubelab --help', (env) => timeToExit(['--help'], env)],
      ['kubelab exercises list', (env) => timeToExit(['exercises', 'list'], env)],
      // The first command after a build or an edit validates the whole catalog.
      ['kubelab exercises list, catalog not cached', (env) => {
        rmSync(CATALOG_CACHE, { recursive: true, force: true });
        return timeToExit(['exercises', 'list'], env);
      }],
      ['kubelab sim → ready line', (env) => timeToLine(['sim', '--port', '0', '--kubeconfig-out', path.join(dir, 'kc')], env, /kubesim ready/)],
      ['kubelab serve → listening', (env) => {
        const data = mkdtempSync(path.join(dir, 'data-'));
        return timeToLine(['serve'], { ...env, KUBELAB_DATA_DIR: data, PORT: String(port++) }, /kubelab listening/);
      }],
      ['npm start → listening', (env) => {
        const data = mkdtempSync(path.join(dir, 'data-'));
        return timeToLine([], { ...env, KUBELAB_DATA_DIR: data, PORT: String(port++) }, /kubelab listening/, ['npm', 'start', '--silent']);
      }],
      ['kubelab serve → ready', (env) => {
        const data = mkdtempSync(path.join(dir, 'data-'));
        return timeToLine(['serve'], { ...env, KUBELAB_DATA_DIR: data, PORT: String(port++) }, /kubelab ready on/);
      }],
    ];
    const rows: string[][] = [];
    const nodeAlone = await medianOf(() => shellTimed(['node', '-e', '0']));
    rows.push(['node -e 0 (Node alone)', ms(nodeAlone), '', '']);
    for (const [name, run] of cases) {
      const built = await medianOf(() => run({ KUBELAB_FROM_SOURCE: '0' }));
      const source = await medianOf(() => run({ KUBELAB_FROM_SOURCE: '1' }));
      rows.push([name, ms(built), ms(source), `${(source / built).toFixed(1)}×`]);
    }
    const out = [`whole process, median of ${RUNS}, ms`, formatRows(['command', 'compiled (dist/)', 'sources (tsx)', 'speed-up'], rows)];
    if (EXTRA_CA_CERTS) {
      // The same short commands without the variable, as on a machine that does not set it.
      const unset = [
        ['node -e 0 (Node alone)', await medianOf(() => shellTimed(['node', '-e', '0'], { unset: EXTRA_CA_CERTS }))],
        ['kubelab --help', await medianOf(() => timeToExit(['--help'], { KUBELAB_FROM_SOURCE: '0' }, EXTRA_CA_CERTS))],
        ['kubelab exercises list', await medianOf(() => timeToExit(['exercises', 'list'], { KUBELAB_FROM_SOURCE: '0' }, EXTRA_CA_CERTS))],
      ] as const;
      out.push('', `NODE_EXTRA_CA_CERTS is set here (Node reads it as every process starts); compiled, with it unset, median of ${RUNS}, ms`);
      out.push(formatRows(['command', 'compiled (dist/)'], unset.map(([name, value]) => [name, ms(value)])));
    }
    return out.join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
