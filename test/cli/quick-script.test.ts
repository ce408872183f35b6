// bin/quick.cjs keeps V8's compiled code of dist/quick.cjs between runs. The code kept for
// a script must only ever meet that very file: V8 itself checks the source's length, not
// its text. Each load is a process of its own, as in use: within one process V8 reuses
// what it compiled already and never looks at the kept code.
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execaSync } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const LOADER = fileURLToPath(new URL('../../bin/quick.cjs', import.meta.url));

interface Loaded {
  exports: { answer: number; where: string; sep: string };
  usedKeptCode: boolean;
}

/** loadScript(script, codeDir) in a new Node process, keeping the code after the run when `keep`. */
function loadScript(file: string, dir: string, { keep = false } = {}): Loaded {
  const program = `
    const loaded = require(process.argv[1]).loadScript(process.argv[2], process.argv[3]);
    const { answer, where, sep } = loaded.exports;
    if (process.argv[4] === 'keep') loaded.keepCode();
    console.log(JSON.stringify({ exports: { answer: answer(), where, sep }, usedKeptCode: loaded.usedKeptCode }));`;
  return JSON.parse(execaSync('node', ['-e', program, LOADER, file, dir, keep ? 'keep' : '']).stdout) as Loaded;
}

let scratch: string;
let script: string;
let codeDir: string;

function write(answer: number, when: Date): void {
  writeFileSync(script, `exports.answer = () => ${answer}; exports.where = __dirname; exports.sep = require('node:path').sep;\n`);
  utimesSync(script, when, when);
}

beforeEach(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'kubelab-quick-script-'));
  script = path.join(scratch, 'script.cjs');
  codeDir = path.join(scratch, 'cache');
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

describe('loadScript', () => {
  it('runs a CommonJS script as require() would, then from its kept code', () => {
    write(42, new Date('2026-06-01T12:00:00Z'));
    const first = loadScript(script, codeDir, { keep: true });
    expect(first).toEqual({ exports: { answer: 42, where: scratch, sep: path.sep }, usedKeptCode: false });
    expect(readdirSync(codeDir)).toHaveLength(1);
    const second = loadScript(script, codeDir, { keep: true });
    expect(second).toEqual({ ...first, usedKeptCode: true });
    expect(readdirSync(codeDir)).toHaveLength(1);
  });

  it('never runs the code kept for an earlier script of the same length', () => {
    write(42, new Date('2026-06-01T12:00:00Z'));
    loadScript(script, codeDir, { keep: true });
    write(43, new Date('2026-06-01T12:05:00Z'));
    const rebuilt = loadScript(script, codeDir);
    expect(rebuilt.usedKeptCode).toBe(false);
    expect(rebuilt.exports.answer).toBe(43);
  });

  it('compiles afresh over kept code that is torn, and replaces it', () => {
    write(42, new Date('2026-06-01T12:00:00Z'));
    loadScript(script, codeDir, { keep: true });
    const [kept] = readdirSync(codeDir);
    writeFileSync(path.join(codeDir, kept!), 'not V8 code');
    const torn = loadScript(script, codeDir, { keep: true });
    expect(torn.usedKeptCode).toBe(false);
    expect(torn.exports.answer).toBe(42);
    expect(loadScript(script, codeDir).usedKeptCode).toBe(true);
  });

  it('still runs where the code cannot be kept (a read-only install)', () => {
    write(42, new Date('2026-06-01T12:00:00Z'));
    writeFileSync(codeDir, 'a file where the folder should be');
    loadScript(script, codeDir, { keep: true });
    expect(loadScript(script, codeDir)).toMatchObject({ exports: { answer: 42 }, usedKeptCode: false });
  });
});
