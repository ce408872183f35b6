// `kubelab exercises list|validate`: the catalog from an author's chair.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  CatalogError,
  formatProblem,
  loadCatalog,
  loadCatalogSummaries,
  validateExerciseDir,
  type CatalogProblem,
} from '../catalog/loader.ts';
import { loadConfig } from '../config/config.ts';
import { exerciseTable } from './exercise-table.ts';
import type { Io } from './io.ts';

export async function listExercises(io: Io): Promise<number> {
  const config = loadConfig(io.env, { cwd: io.cwd });
  io.out(exerciseTable(await loadCatalogSummaries(config.exercisesDir)));
  return 0;
}

/** Exit 0 when every folder is sound, 1 when any problem was found. */
export async function validateExercises(io: Io, dirs: readonly string[]): Promise<number> {
  const targets = dirs.length > 0 ? dirs : [loadConfig(io.env, { cwd: io.cwd }).exercisesDir];
  const problems: CatalogProblem[] = [];
  const notes: string[] = [];
  let checked = 0;
  for (const target of targets) {
    const abs = path.resolve(io.cwd, target);
    const kind = await kindOf(abs);
    if (kind === 'file') {
      // A shell glob such as `exercises/*` also matches README.md: not an exercise, not an error.
      io.err(`skipping ${target}: not a directory\n`);
      continue;
    }
    checked += 1;
    if (kind === 'missing') {
      problems.push({ file: target, field: '(file)', message: `no such directory: ${EXPECTED}` });
      notes.push(`${target} does not exist`);
      continue;
    }
    if (await isExerciseFolder(abs)) {
      const found = await validateExerciseDir(abs);
      // Problems name files relative to what was validated; show them relative to the caller.
      problems.push(...found.map((p) => ({ ...p, file: path.join(target, p.file) })));
    } else if (!(await holdsExerciseFolder(abs))) {
      // Validating it as a catalog would blame every sub-folder for not being an exercise.
      problems.push({ file: target, field: '(file)', message: `not an exercise folder (no exercise.yaml) nor a catalog (no sub-folder holds one): ${EXPECTED}` });
      notes.push(`${target} is not an exercise`);
    } else {
      const found = await validateRoot(abs);
      problems.push(...found.map((p) => ({ ...p, file: path.join(target, p.file) })));
    }
  }
  for (const p of problems) io.out(`${formatProblem(p)}\n`);
  io.err(
    problems.length === 0
      ? `${checked} location(s) checked, no problems\n`
      : `${problems.length} problem(s) in ${checked} location(s)${notes.length > 0 ? `: ${notes.join('; ')}` : ''}\n`,
  );
  return problems.length === 0 ? 0 : 1;
}

const EXPECTED = 'expected an exercise folder holding exercise.yaml, or a catalog folder of them';

async function holdsExerciseFolder(dir: string): Promise<boolean> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries) {
    if (e.isDirectory() && (await isExerciseFolder(path.join(dir, e.name)))) return true;
  }
  return false;
}

async function validateRoot(root: string): Promise<CatalogProblem[]> {
  try {
    await loadCatalog(root);
    return [];
  } catch (error) {
    if (error instanceof CatalogError) return error.problems;
    throw error;
  }
}

async function isExerciseFolder(dir: string): Promise<boolean> {
  return (await kindOf(path.join(dir, 'exercise.yaml'))) === 'file';
}

async function kindOf(p: string): Promise<'file' | 'dir' | 'missing'> {
  try {
    return (await stat(p)).isDirectory() ? 'dir' : 'file';
  } catch (error) {
    // Only "does not exist" is an answer; EACCES and friends are real failures.
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return 'missing';
    throw error;
  }
}
