// bin/kubelab.cjs runs the compiled dist/ only while it is at least as new as every file
// the build read (dist/INPUTS) plus the lock file and the build scripts; otherwise a
// developer would run stale code. Checked on a scratch package with set file times.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildIsFresh } from '../../bin/freshness.cjs';

const BUILT_AT = new Date('2026-06-01T12:00:00Z');
const BEFORE = new Date('2026-06-01T11:00:00Z');
const AFTER = new Date('2026-06-01T13:00:00Z');

let root: string;

function file(rel: string, when: Date, text = ''): void {
  const abs = path.join(root, rel);
  mkdirSync(path.dirname(abs), { recursive: true });
  writeFileSync(abs, text);
  utimesSync(abs, when, when);
}

beforeEach(() => {
  root = `${mkdtempSync(path.join(tmpdir(), 'kubelab-fresh-'))}/`;
  for (const rel of ['package-lock.json', 'bin/build.js', 'bin/freshness.cjs', 'server/a.ts', 'graders/b.ts']) file(rel, BEFORE);
  file('dist/INPUTS', BUILT_AT, 'server/a.ts\ngraders/b.ts\n');
  file('dist/BUILT', BUILT_AT);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('buildIsFresh', () => {
  it('is fresh when every input is older than the stamp', () => {
    expect(buildIsFresh(root)).toBe(true);
  });

  it('is stale once an input, the lock file or the build script is edited', () => {
    for (const rel of ['graders/b.ts', 'package-lock.json', 'bin/build.js']) {
      file(rel, AFTER);
      expect(buildIsFresh(root), rel).toBe(false);
      file(rel, BEFORE);
    }
  });

  it('is stale when an input is gone (renamed or deleted)', () => {
    rmSync(path.join(root, 'server/a.ts'));
    expect(buildIsFresh(root)).toBe(false);
  });

  it('is stale without a stamp or an input list (never built, or an older build)', () => {
    rmSync(path.join(root, 'dist/INPUTS'));
    expect(buildIsFresh(root)).toBe(false);
    file('dist/INPUTS', BUILT_AT, 'server/a.ts\n');
    rmSync(path.join(root, 'dist/BUILT'));
    expect(buildIsFresh(root)).toBe(false);
  });

  it("judges dist/quick.cjs by its own inputs: an edit elsewhere leaves it fresh", () => {
    file('dist/INPUTS-quick', BUILT_AT, 'server/a.ts\n');
    file('graders/b.ts', AFTER);
    expect(buildIsFresh(root)).toBe(false);
    expect(buildIsFresh(root, 'INPUTS-quick')).toBe(true);
    for (const rel of ['server/a.ts', 'package-lock.json', 'bin/freshness.cjs']) {
      file(rel, AFTER);
      expect(buildIsFresh(root, 'INPUTS-quick'), rel).toBe(false);
      file(rel, BEFORE);
    }
    rmSync(path.join(root, 'dist/INPUTS-quick'));
    expect(buildIsFresh(root, 'INPUTS-quick')).toBe(false);
  });

  it('ignores files the build never read', () => {
    file('server/new-and-unused.ts', AFTER);
    expect(buildIsFresh(root)).toBe(true);
  });
});

describe("the build's input lists (dist/, as npm test builds it)", () => {
  const REPO = fileURLToPath(new URL('../../', import.meta.url));
  const list = (name: string) => readFileSync(path.join(REPO, 'dist', name), 'utf8').split('\n').filter(Boolean);

  it("name, for grade and for dist/quick.cjs, a part of the whole build's inputs that holds what they run and nothing of the server or the simulator", () => {
    const all = new Set(list('INPUTS'));
    for (const [name, runs] of [
      ['INPUTS-grade', ['server/cli/grade.ts', 'server/cli/dispatch.ts', 'graders/engine.ts', 'server/cluster/lean/exec.ts', 'server/cluster/kubeconfig-yaml.ts', 'server/catalog/exercise.ts']],
      ['INPUTS-quick', ['server/cli/quick.ts', 'server/catalog/cache.ts', 'server/config/config.ts', 'server/cli/usage.ts']],
    ] as const) {
      const part = list(name);
      expect(part.filter((file) => !all.has(file)), name).toEqual([]);
      expect(part, name).toEqual(expect.arrayContaining([...runs]));
      expect(part.filter((file) => /^(kubesim|web|server\/http)\//.test(file)), name).toEqual([]);
      expect(part.length, name).toBeLessThan(all.size / 3);
    }
  });
});
