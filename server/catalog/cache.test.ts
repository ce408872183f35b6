import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cachedExercise, cachedExercises, cachedSummaries } from './cache.ts';
import type { Exercise } from './exercise.ts';
import { DEFAULT_EXERCISES_DIR, loadCatalog } from './loader.ts';

let scratch: string;
let root: string;
let cacheDir: string;
let validations: number;

/** The real validation of the catalog, counted. */
async function validate(absRoot: string): Promise<Exercise[]> {
  validations += 1;
  return [...(await loadCatalog(absRoot)).exercises];
}

beforeEach(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'kubelab-catalog-cache-'));
  root = path.join(scratch, 'exercises');
  cacheDir = path.join(scratch, 'cache');
  cpSync(path.join(DEFAULT_EXERCISES_DIR, 'clusterip-basics'), path.join(root, 'clusterip-basics'), { recursive: true });
  validations = 0;
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

describe('cachedExercises', () => {
  it('validates once, then answers the same exercises from the cache', async () => {
    const first = await cachedExercises(root, { dir: cacheDir, codeVersion: 'build-1' }, validate);
    const second = await cachedExercises(root, { dir: cacheDir, codeVersion: 'build-1' }, validate);
    expect(validations).toBe(1);
    expect(second).toEqual(first);
    expect(second.map((e) => e.id)).toEqual(['clusterip-basics']);
  });

  it('validates again after any file changes, appears or goes, and for other code', async () => {
    const cache = { dir: cacheDir, codeVersion: 'build-1' };
    await cachedExercises(root, cache, validate);
    const instructions = path.join(root, 'clusterip-basics', 'instructions.md');
    writeFileSync(instructions, '# Changed\n\nA single byte is enough.\n');
    const changed = await cachedExercises(root, cache, validate);
    expect(changed[0]!.instructions).toContain('A single byte is enough.');
    writeFileSync(path.join(root, 'clusterip-basics', 'notes.txt'), 'new file');
    await cachedExercises(root, cache, validate);
    rmSync(path.join(root, 'clusterip-basics', 'notes.txt'));
    await cachedExercises(root, cache, validate);
    await cachedExercises(root, { ...cache, codeVersion: 'build-2' }, validate);
    expect(validations).toBe(5);
  });

  it('sees entries appear, go, move and change in any folder once the times are settled (no folder listed on a hit)', async () => {
    // The clock 10 s ahead: every file counts as settled, so hits come from the stat key alone.
    const cache = { dir: cacheDir, codeVersion: 'build-1', now: () => Date.now() + 10_000 };
    const exercise = path.join(root, 'clusterip-basics');
    // A folder of the author's own beside the exercise's files, one level down.
    const nested = 'notes';
    mkdirSync(path.join(exercise, nested));
    writeFileSync(path.join(exercise, nested, 'todo.txt'), 'first');
    await cachedExercises(root, cache, validate);
    await cachedExercises(root, cache, validate);
    expect(validations).toBe(1);
    writeFileSync(path.join(exercise, nested, 'added.txt'), 'new file');
    await cachedExercises(root, cache, validate);
    await cachedExercises(root, cache, validate);
    expect(validations).toBe(2);
    renameSync(path.join(exercise, nested, 'added.txt'), path.join(exercise, nested, 'moved.txt'));
    await cachedExercises(root, cache, validate);
    expect(validations).toBe(3);
    rmSync(path.join(exercise, nested, 'moved.txt'));
    await cachedExercises(root, cache, validate);
    expect(validations).toBe(4);
    mkdirSync(path.join(exercise, nested, 'new-folder'));
    writeFileSync(path.join(exercise, nested, 'new-folder', 'deep.txt'), 'deeper');
    await cachedExercises(root, cache, validate);
    expect(validations).toBe(5);
    writeFileSync(path.join(exercise, nested, 'new-folder', 'deep.txt'), 'changed, and longer');
    await cachedExercises(root, cache, validate);
    await cachedExercises(root, cache, validate);
    expect(validations).toBe(6);
  });

  it('sees a same-size rewrite that put the old times back (a file changed in the last 2 s is judged by its bytes)', async () => {
    const cache = { dir: cacheDir, codeVersion: 'build-1' };
    const file = path.join(root, 'clusterip-basics', 'instructions.md');
    writeFileSync(file, '# One\n');
    await cachedExercises(root, cache, validate);
    const { atime, mtime } = statSync(file);
    writeFileSync(file, '# Two\n');
    utimesSync(file, atime, mtime);
    expect((await cachedExercises(root, cache, validate))[0]!.instructions).toBe('# Two\n');
    expect(validations).toBe(2);
  });

  it('takes the same bytes under new times and inodes (a copied catalog) from the cache, then knows them by their times', async () => {
    // A clock 10 s ahead: every file is settled, so times alone may answer.
    const cache = { dir: cacheDir, codeVersion: 'build-1', now: () => Date.now() + 10_000 };
    await cachedExercises(root, cache, validate);
    const firstLine = () => readFileSync(path.join(cacheDir, readdirSync(cacheDir)[0]!), 'utf8').split('\n')[0]!;
    const statKeyIn = () => (JSON.parse(firstLine()) as { statKey: string }).statKey;
    const before = statKeyIn();
    expect(before).not.toBe('');
    const copy = path.join(scratch, 'copy');
    cpSync(root, copy, { recursive: true });
    rmSync(root, { recursive: true });
    cpSync(copy, root, { recursive: true });
    await cachedExercises(root, cache, validate);
    expect(validations).toBe(1);
    expect(statKeyIn()).not.toBe(before);
  });

  it('never remembers a broken catalog', async () => {
    writeFileSync(path.join(root, 'clusterip-basics', 'exercise.yaml'), 'id: [unclosed\n');
    const cache = { dir: cacheDir, codeVersion: 'build-1' };
    await expect(cachedExercises(root, cache, validate)).rejects.toThrow(/exercise\.yaml/);
    await expect(cachedExercises(root, cache, validate)).rejects.toThrow(/exercise\.yaml/);
    expect(validations).toBe(2);
  });

  it('ignores a torn cache file and overwrites it', async () => {
    const cache = { dir: cacheDir, codeVersion: 'build-1' };
    await cachedExercises(root, cache, validate);
    const [file] = readdirSync(cacheDir);
    writeFileSync(path.join(cacheDir, file!), '{"key": "');
    expect((await cachedExercises(root, cache, validate)).map((e) => e.id)).toEqual(['clusterip-basics']);
    await cachedExercises(root, cache, validate);
    expect(validations).toBe(2);
  });

  it('summarises from the first line alone: a torn exercise line is seen only by whoever needs the exercises', async () => {
    const cache = { dir: cacheDir, codeVersion: 'build-1', now: () => Date.now() + 10_000 };
    const [exercise] = await cachedExercises(root, cache, validate);
    const expected = [{ id: 'clusterip-basics', title: exercise!.title, minutes: exercise!.minutes, checks: exercise!.checks.length }];
    expect(expected[0]!.checks).toBeGreaterThan(0);
    expect(await cachedSummaries(root, cache, validate)).toEqual(expected);
    const file = path.join(cacheDir, readdirSync(cacheDir)[0]!);
    const [head, body] = readFileSync(file, 'utf8').split('\n');
    expect(JSON.parse(body!)).toEqual(exercise);
    writeFileSync(file, `${head}\n[{"id": "clusterip-b`);
    expect(await cachedSummaries(root, cache, validate)).toEqual(expected);
    expect(validations).toBe(1);
    expect(await cachedExercises(root, cache, validate)).toEqual([exercise]);
    expect(validations).toBe(2);
    expect(await cachedExercises(root, cache, validate)).toEqual([exercise]);
    expect(validations).toBe(2);
  });

  it('reads one exercise from its own line: another torn line goes unseen until that exercise is asked for', async () => {
    cpSync(path.join(DEFAULT_EXERCISES_DIR, 'target-port'), path.join(root, 'target-port'), { recursive: true });
    const cache = { dir: cacheDir, codeVersion: 'build-1', now: () => Date.now() + 10_000 };
    const exercises = await cachedExercises(root, cache, validate);
    const ids = exercises.map((e) => e.id);
    expect(ids).toEqual(['clusterip-basics', 'target-port']);
    const file = path.join(cacheDir, readdirSync(cacheDir)[0]!);
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines).toHaveLength(3);
    writeFileSync(file, [lines[0], lines[1], '{"id": "target-'].join('\n'));
    expect(await cachedExercise(root, cache, validate, 'clusterip-basics')).toEqual({ exercise: exercises[0], ids });
    expect(await cachedExercise(root, cache, validate, 'no-such-exercise')).toEqual({ exercise: undefined, ids });
    expect(validations).toBe(1);
    expect(await cachedExercise(root, cache, validate, 'target-port')).toEqual({ exercise: exercises[1], ids });
    expect(validations).toBe(2);
    expect(await cachedExercise(root, cache, validate, 'target-port')).toEqual({ exercise: exercises[1], ids });
    expect(validations).toBe(2);
  });

  it("finds one exercise by its own folder's times: a change in another exercise's folder goes unseen by it, one in its own or a new folder does not", async () => {
    cpSync(path.join(DEFAULT_EXERCISES_DIR, 'target-port'), path.join(root, 'target-port'), { recursive: true });
    const cache = { dir: cacheDir, codeVersion: 'build-1', now: () => Date.now() + 10_000 };
    const [first, second] = await cachedExercises(root, cache, validate);
    const ids = ['clusterip-basics', 'target-port'];
    const otherYaml = path.join(root, 'target-port', 'exercise.yaml');
    writeFileSync(otherYaml, readFileSync(otherYaml, 'utf8').replace(/^title: .*$/m, 'title: Changed elsewhere'));
    expect(await cachedExercise(root, cache, validate, 'clusterip-basics')).toEqual({ exercise: first, ids });
    expect(validations).toBe(1);
    // Asked for, the changed one is validated (with the rest).
    expect((await cachedExercise(root, cache, validate, 'target-port')).exercise?.title).toBe('Changed elsewhere');
    expect(validations).toBe(2);
    writeFileSync(path.join(root, 'clusterip-basics', 'instructions.md'), '# Its own, changed\n');
    expect((await cachedExercise(root, cache, validate, 'clusterip-basics')).exercise?.instructions).toBe('# Its own, changed\n');
    expect(validations).toBe(3);
    cpSync(path.join(root, 'target-port'), path.join(root, 'copy-of-target-port'), { recursive: true });
    await expect(cachedExercise(root, cache, validate, 'clusterip-basics')).rejects.toThrow(/already used by/);
    expect(validations).toBe(4);
    expect(second!.id).toBe('target-port');
  });

  it('summarises what it validates when nothing is remembered, and sees a new title', async () => {
    const cache = { dir: cacheDir, codeVersion: 'build-1' };
    const yaml = path.join(root, 'clusterip-basics', 'exercise.yaml');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace(/^title: .*$/m, 'title: A title of our own'));
    expect((await cachedSummaries(root, cache, validate)).map((s) => s.title)).toEqual(['A title of our own']);
    expect(validations).toBe(1);
  });

  it('still answers when the cache cannot be written (a read-only install)', async () => {
    writeFileSync(cacheDir, 'a file where the folder should be');
    expect((await cachedExercises(root, { dir: cacheDir, codeVersion: 'b' }, validate)).map((e) => e.id)).toEqual(['clusterip-basics']);
  });
});
