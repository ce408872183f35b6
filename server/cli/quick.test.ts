// runQuick answers help, version and the exercise list (while the catalog cache holds
// it) exactly as the full CLI does, and hands everything else back (undefined).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cachedExercises } from '../catalog/cache.ts';
import { DEFAULT_EXERCISES_DIR, loadCatalog } from '../catalog/loader.ts';
import { dispatch } from './dispatch.ts';
import type { Io } from './io.ts';
import { runQuick } from './quick.ts';
import { USAGE } from './usage.ts';

let scratch: string;
let root: string;
let cache: { dir: string; codeVersion: string; now: () => number };

function captureIo(env: Record<string, string> = {}): Io & { output: () => string; errors: () => string } {
  let out = '';
  let err = '';
  return {
    out: (text) => void (out += text),
    err: (text) => void (err += text),
    env: { KUBELAB_EXERCISES_DIR: root, ...env },
    cwd: scratch,
    output: () => out,
    errors: () => err,
  };
}

async function remember(): Promise<void> {
  await cachedExercises(root, cache, async (absRoot) => [...(await loadCatalog(absRoot)).exercises]);
}

beforeEach(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'kubelab-quick-'));
  root = path.join(scratch, 'exercises');
  for (const id of ['clusterip-basics', 'target-port']) cpSync(path.join(DEFAULT_EXERCISES_DIR, id), path.join(root, id), { recursive: true });
  // Ten seconds ahead: every file is settled, so the cache may answer from times alone.
  cache = { dir: path.join(scratch, 'cache'), codeVersion: 'build-1', now: () => Date.now() + 10_000 };
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

describe('runQuick', () => {
  it('prints the usage for help in any of its forms, and the version', async () => {
    for (const argv of [['--help'], ['-h'], ['help'], ['exercises', '--help']]) {
      const io = captureIo();
      expect(await runQuick(argv, io, cache)).toBe(0);
      expect(io.output()).toBe(USAGE);
    }
    const io = captureIo();
    expect(await runQuick(['--version'], io, cache)).toBe(0);
    const { version } = JSON.parse(readFileSync(path.join(DEFAULT_EXERCISES_DIR, '..', 'package.json'), 'utf8')) as { version: string };
    expect(io.output()).toBe(`kubelab ${version}\n`);
  });

  it('lists a remembered catalog as the full CLI does, without validating it', async () => {
    await remember();
    const quick = captureIo();
    expect(await runQuick(['exercises', 'list'], quick, cache)).toBe(0);
    const full = captureIo();
    expect(await dispatch(['exercises', 'list'], full)).toBe(0);
    expect(quick.output()).toBe(full.output());
    expect(quick.output().split('\n').slice(1, 3).map((line) => line.split(/\s+/)[0])).toEqual(['clusterip-basics', 'target-port']);
  });

  it('hands the list back when the catalog changed since it was remembered, or was never remembered', async () => {
    const io = captureIo();
    expect(await runQuick(['exercises', 'list'], io, cache)).toBeUndefined();
    await remember();
    const yaml = path.join(root, 'target-port', 'exercise.yaml');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace(/^title: .*$/m, 'title: Renamed'));
    expect(await runQuick(['exercises', 'list'], io, cache)).toBeUndefined();
    // Without a build there is no cache at all: the full CLI validates.
    expect(await runQuick(['exercises', 'list'], io, undefined)).toBeUndefined();
    expect(io.output()).toBe('');
  });

  it('hands back bad settings, bad usage and every other command without a word', async () => {
    await remember();
    const badSetting = captureIo({ PORT: 'eighty' });
    expect(await runQuick(['exercises', 'list'], badSetting, cache)).toBeUndefined();
    for (const argv of [['exercises', 'list', '--wide'], ['nonsense'], ['users', 'list'], ['exercises', 'validate'], []]) {
      const io = captureIo();
      expect(await runQuick(argv, io, cache), argv.join(' ')).toBeUndefined();
      expect(io.output() + io.errors()).toBe('');
    }
  });
});
