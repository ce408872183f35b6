// Whole-process start-up of the `kubelab` command, as a user feels it: from spawning
// `node bin/kubelab.cjs …` to its exit (help, exercises list) or to its ready line
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
const BIN = 'bin/kubelab.cjs';
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

/** ms from start to exit of `node bin/kubelab.cjs ARGS`, timed by a shell around it (bench/shell-time.ts). */
function timeToExit(args: string[], env: NodeJS.ProcessEnv, unset?: readonly string[]): Promise<number> {
  return shellTimed(['node', BIN, ...args], { env, ...(unset ? { unset } : {}) });
}

async function medianOf(run: () => Promise<number>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(await run());
  return median(samples);
}

/** Rounds of the quick-command table below. */
const QUICK_ROUNDS = 15;

/**
 * The yardstick for the commands meant to answer in a blink (≤ 150 ms): each
 * beside Node alone, compiled, taken in turns round after round, so the machine's drift
 * (±20% over minutes here) touches every row alike. When this machine sets
 * NODE_EXTRA_CA_CERTS, each command runs without it as well.
 */
async function quickCommands(): Promise<string> {
  const commands: [string, string[]][] = [
    ['node -e 0 (Node alone)', ['node', '-e', '0']],
    ['kubelab --help', ['node', BIN, '--help']],
    ['kubelab exercises list', ['node', BIN, 'exercises', 'list']],
  ];
  const ways = EXTRA_CA_CERTS ? [undefined, EXTRA_CA_CERTS] : [undefined];
  const samples = commands.map(() => ways.map((): number[] => []));
  // The rows above emptied the catalog cache: fill it first, as any earlier command would have.
  await shellTimed(['node', BIN, 'exercises', 'list']);
  for (let round = 0; round < QUICK_ROUNDS; round++) {
    for (const [i, [, argv]] of commands.entries()) {
      for (const [j, unset] of ways.entries()) {
        samples[i]![j]!.push(await shellTimed(argv, { env: { KUBELAB_FROM_SOURCE: '0' }, ...(unset ? { unset } : {}) }));
      }
    }
  }
  const heads = EXTRA_CA_CERTS ? ['command', 'NODE_EXTRA_CA_CERTS set (as here)', 'unset'] : ['command', 'compiled (dist/)'];
  return [
    `quick commands, compiled, ${QUICK_ROUNDS} rounds taken in turns, median ms (goal ≤ 150)`,
    formatRows(heads, commands.map(([name], i) => [name, ...samples[i]!.map((s) => ms(median(s)))])),
    ...(EXTRA_CA_CERTS ? ['(this machine sets NODE_EXTRA_CA_CERTS: Node 20 reads and parses that file as every process starts, which kubectl (Go) does not)'] : []),
  ].join('\n');
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
    out.push('', await quickCommands());
    return out.join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
