// `kubectl` inside a simulated container (the workspace image): the real kubectl binary,
// run on the host with the Pod's in-cluster credentials, so its output is kubectl's own.
// It runs on the kubelab host, not in a container, so it is fenced in: only the
// commands a learner needs, no flag that changes where it connects or reads or writes
// host files, and `-f FILE` read from the simulated container's files (sent as stdin).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Program, ProcCtx } from '../images/types.ts';
import { awaitPromise } from '../proc.ts';

/** Subcommands a lab needs; anything else (cp, proxy, port-forward, plugins...) touches the host. */
const ALLOWED = new Set([
  'get', 'describe', 'apply', 'create', 'delete', 'expose', 'run', 'scale', 'label', 'annotate', 'patch', 'replace',
  'rollout', 'logs', 'exec', 'explain', 'api-resources', 'api-versions', 'version', 'auth', 'set', 'wait', 'events',
  'cluster-info', 'autoscale', 'top', 'help',
]);

/** Global flags that take a separate value and may come before the subcommand. */
const GLOBAL_WITH_VALUE = new Set(['-n', '--namespace', '--as', '--as-group', '--as-uid', '--request-timeout', '-v', '--v']);

/** Flags that pick another server or credentials, or read or write host files. */
const REFUSED_FLAGS = [
  '--kubeconfig', '--server', '-s', '--token', '--certificate-authority', '--client-certificate', '--client-key',
  '--insecure-skip-tls-verify', '--tls-server-name', '--username', '--password', '--cache-dir', '--context', '--cluster',
  '--user', '--profile', '--profile-output', '--log-file', '--log-dir', '--kustomize', '-k', '--from-file',
  '--from-env-file', '--output-directory', '-R', '--recursive',
];

function flagName(arg: string): string {
  const eq = arg.indexOf('=');
  return eq > 0 ? arg.slice(0, eq) : arg;
}

export type Checked = { ok: true; args: string[]; files: string[] } | { ok: false; message: string };

/** Validates argv (without "kubectl") and pulls out `-f` files, which the caller sends as stdin. */
export function checkKubectlArgs(args: readonly string[]): Checked {
  const out: string[] = [];
  const files: string[] = [];
  let command: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    const name = flagName(arg);
    if (name === '-f' || name === '--filename') {
      const value = name === arg ? args[++i] : arg.slice(name.length + 1);
      if (value === undefined) return { ok: false, message: `error: flag needs an argument: '${arg.replace(/^-+/, '')}' in ${arg}` };
      files.push(value);
      continue;
    }
    if (/^-f./.test(arg) && !arg.startsWith('--')) {
      files.push(arg.slice(2));
      continue;
    }
    if (REFUSED_FLAGS.includes(name) || /(^|=|^-o)(go-template|jsonpath)-file/.test(arg)) {
      return { ok: false, message: `kubectl: ${name} is not available in this workspace (it would reach outside your lab)` };
    }
    if (command === undefined) {
      if (arg.startsWith('-')) {
        if (!GLOBAL_WITH_VALUE.has(name) && !arg.includes('=') && !/^-v\d$/.test(arg)) {
          return { ok: false, message: `kubectl: put ${arg} after the command (kubectl get ${arg} ...)` };
        }
        out.push(arg);
        if (GLOBAL_WITH_VALUE.has(arg) && i + 1 < args.length) out.push(args[++i]!);
        continue;
      }
      command = arg;
      if (!ALLOWED.has(command)) return { ok: false, message: `kubectl: "${command}" is not available in this workspace` };
    }
    out.push(arg);
  }
  return { ok: true, args: out, files };
}

let cacheDir: string | undefined;
/** One discovery cache for every workspace: discovery is the same cluster for all of them. */
function sharedCacheDir(): string {
  cacheDir ??= mkdtempSync(path.join(tmpdir(), 'kubesim-workspace-kubectl-'));
  return cacheDir;
}

function* readFiles(ctx: ProcCtx, files: readonly string[]): Generator<never, string | { missing: string }, unknown> {
  const docs: string[] = [];
  for (const file of files) {
    const text = ctx.self.file(file.startsWith('/') ? file : path.posix.join(ctx.env.get('PWD') ?? '/', file));
    if (text === undefined) return { missing: file };
    docs.push(text);
  }
  return docs.join('\n---\n');
}

export const kubectlProgram: Program = function* (argv, ctx) {
  const checked = checkKubectlArgs(argv.slice(1));
  if (!checked.ok) {
    ctx.io.err(`${checked.message}\n`);
    return 1;
  }
  const kubeconfig = ctx.sys.serviceAccountKubeconfig?.(ctx.self);
  if (kubeconfig === undefined) {
    // client-go's in-cluster config needs the mounted token; without it kubectl falls back to localhost:8080.
    ctx.io.err('The connection to the server localhost:8080 was refused - did you specify the right host or port?\n');
    return 1;
  }
  let input: string | undefined;
  let args = checked.args;
  if (checked.files.length > 0) {
    const stdinNamed = checked.files.includes('-');
    const text = stdinNamed ? yield* ctx.io.stdin.readAll() : yield* readFiles(ctx, checked.files);
    if (typeof text !== 'string') {
      ctx.io.err(`error: the path "${text.missing}" does not exist\n`);
      return 1;
    }
    input = text;
    args = [...args, '-f', '-'];
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'kubesim-kubectl-'));
  try {
    const file = path.join(dir, 'config');
    writeFileSync(file, kubeconfig, { mode: 0o600 });
    // Loaded on first use: execa and its dependencies are a fair part of what `kubelab sim`
    // would otherwise load before it is ready, and most clusters never run kubectl inside.
    const { execa } = yield* awaitPromise(import('execa'));
    const result = yield* awaitPromise(
      execa('kubectl', ['--kubeconfig', file, '--cache-dir', sharedCacheDir(), ...args], {
        reject: false,
        input: input ?? '',
        timeout: 60_000,
        // Nothing of the host's environment (KUBECONFIG, HOME, KUBECTL_*) reaches it.
        extendEnv: false,
        env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir },
      }),
    );
    if (result.stdout) ctx.io.out(`${result.stdout}\n`);
    if (result.stderr) ctx.io.err(`${result.stderr}\n`);
    return result.exitCode ?? 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
