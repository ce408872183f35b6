// Validates one exercise folder and, when it is sound, builds the Exercise.
// Every problem found is collected; nothing about bad content throws.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import type { z } from 'zod';
import { imagesOf, readManifestDir, type Manifest } from './manifests.ts';
import { findNeedsCycle } from './needs.ts';
import { issuesToProblems, WHOLE_FILE, type CatalogProblem } from './problems.ts';
import { causesOf } from '../../graders/causes.ts';
import { exerciseFileSchema, mistakeFileSchema, variantFileSchema, type Check, type ExerciseFile } from './schema.ts';
import { parseYaml, readYaml } from './yaml-file.ts';

export interface Mistake {
  name: string;
  description: string;
  /** Each with the cause the check must diagnose, when the mistake names one. */
  fails: { check: string; contains: string; cause?: string | undefined }[];
  manifests: Manifest[];
}

/** A correct solution written another way than solution/; it must pass with full score. */
export interface Variant {
  name: string;
  description: string;
  manifests: Manifest[];
}

export interface Exercise {
  id: string;
  title: string;
  summary: string;
  order: number;
  minutes: number;
  images: string[];
  checks: Check[];
  /** Markdown shown to the learner. */
  instructions: string;
  /** Applied when the learner starts; empty when the exercise starts from nothing. */
  setup: Manifest[];
  solution: Manifest[];
  mistakes: Mistake[];
  /** Other correct forms of the solution (variants/<name>/), each graded like the solution. */
  variants: Variant[];
  /** Absolute path of the exercise folder. */
  dir: string;
}

export interface ExerciseRead {
  exercise?: Exercise;
  /** Set whenever exercise.yaml parsed, even if other problems remain (for cross-catalog checks). */
  identity?: { id: string; order: number };
  problems: CatalogProblem[];
}

const MISTAKE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const MISTAKE_FILE = 'mistake.md';
export const VARIANT_FILE = 'variant.md';

/**
 * The YAML between a leading `---` line and the next `---` line, with the opening line
 * kept blank so that line numbers in problems are the file's. Undefined without one.
 */
export function frontMatter(text: string): string | undefined {
  const lines = text.split(/\r?\n/);
  if (lines[0]?.trimEnd() !== '---') return undefined;
  const end = lines.findIndex((line, i) => i > 0 && line.trimEnd() === '---');
  if (end === -1) return undefined;
  return ['', ...lines.slice(1, end)].join('\n');
}

/** `show` maps a path relative to the exercise folder to the path reported in problems. */
export async function readExercise(dir: string, show: (rel: string) => string): Promise<ExerciseRead> {
  const problems: CatalogProblem[] = [];
  const missing = (rel: string, what: string) =>
    problems.push({ file: show(rel), field: WHOLE_FILE, message: `missing: every exercise needs ${what}` });

  if ((await entryKind(dir)) !== 'dir') {
    return { problems: [{ file: show('.'), field: WHOLE_FILE, message: 'not a directory' }] };
  }

  const parsedFile = await readExerciseFile(dir, show, problems);
  const file = parsedFile?.sound ? parsedFile.file : undefined;
  const identity = parsedFile && { id: parsedFile.file.id, order: parsedFile.file.order };
  if (parsedFile === undefined && (await entryKind(path.join(dir, 'exercise.yaml'))) === 'missing') {
    missing('exercise.yaml', 'an exercise.yaml');
  }

  let instructions = '';
  if ((await entryKind(path.join(dir, 'instructions.md'))) === 'file') {
    instructions = await readFile(path.join(dir, 'instructions.md'), 'utf8');
    problems.push(...checkInstructions(instructions, show('instructions.md')));
  } else missing('instructions.md', 'instructions.md');

  let setup: Manifest[] = [];
  if ((await entryKind(path.join(dir, 'setup'))) === 'dir') {
    const read = await readManifestDir({ exerciseDir: dir, relDir: 'setup', show });
    setup = read.manifests;
    problems.push(...read.problems);
  }

  let solution: Manifest[] = [];
  if ((await entryKind(path.join(dir, 'solution'))) === 'dir') {
    const read = await readManifestDir({ exerciseDir: dir, relDir: 'solution', show });
    solution = read.manifests;
    problems.push(...read.problems);
  } else missing('solution', 'a solution/ folder of reference manifests');

  const checkTypes = file ? new Map(file.checks.map((c) => [c.id, c.type] as const)) : undefined;
  const mistakes = await readMistakes(dir, show, checkTypes, problems);
  const variants = await readVariants(dir, show, problems);

  if (file) {
    const used = imagesOf([...setup, ...solution, ...variants.flatMap((v) => v.manifests)]).filter((image) => !file.images.includes(image));
    if (used.length > 0) {
      problems.push({
        file: show('exercise.yaml'),
        field: 'images',
        message: `setup/solution/variants use image(s) not listed here: ${used.join(', ')}`,
      });
    }
  }

  if (file === undefined || problems.length > 0) return { problems, identity };
  const { id, title, summary, order, minutes, images, checks } = file;
  return {
    problems,
    identity,
    exercise: { id, title, summary, order, minutes, images, checks, instructions, setup, solution, mistakes, variants, dir },
  };
}

async function readExerciseFile(
  dir: string,
  show: (rel: string) => string,
  problems: CatalogProblem[],
): Promise<{ file: ExerciseFile; sound: boolean } | undefined> {
  const absFile = path.join(dir, 'exercise.yaml');
  if ((await entryKind(absFile)) !== 'file') return undefined;
  const shown = show('exercise.yaml');
  const read = await readYaml(absFile, shown);
  if (!read.ok) {
    problems.push(...read.problems);
    return undefined;
  }
  const [doc, ...extra] = read.documents;
  if (doc === undefined || extra.length > 0) {
    problems.push({ file: shown, field: WHOLE_FILE, message: 'must hold exactly one YAML document' });
    return undefined;
  }
  const parsed = exerciseFileSchema.safeParse(doc.value);
  if (!parsed.success) {
    problems.push(...issuesToProblems(shown, parsed.error.issues, doc.locate));
    return undefined;
  }
  const file = parsed.data;
  const before = problems.length;
  const folder = path.basename(dir);
  if (file.id !== folder) {
    problems.push({ file: shown, field: 'id', message: `id "${file.id}" must equal the folder name "${folder}"` });
  }
  const seen = new Set<string>();
  file.checks.forEach((check, i) => {
    if (seen.has(check.id)) {
      problems.push({ file: shown, field: `checks[${i}].id`, message: `duplicate check id "${check.id}"` });
    }
    seen.add(check.id);
  });
  file.checks.forEach((check, i) => {
    check.needs.forEach((need, j) => {
      if (!seen.has(need)) {
        problems.push({
          file: shown,
          field: `checks[${i}].needs[${j}]`,
          message: `check "${check.id}" needs "${need}", which is not a check of this exercise`,
        });
      }
    });
  });
  const cycle = findNeedsCycle(file.checks);
  if (cycle) {
    const first = cycle[0] ?? '';
    const index = file.checks.findIndex((c) => c.id === first);
    problems.push({
      file: shown,
      field: `checks[${index}].needs`,
      message: `needs form a cycle: ${cycle.join(' → ')}`,
    });
  }
  return { file, sound: problems.length === before };
}

async function readMistakes(
  dir: string,
  show: (rel: string) => string,
  checkTypes: ReadonlyMap<string, Check['type']> | undefined,
  problems: CatalogProblem[],
): Promise<Mistake[]> {
  const mistakesDir = path.join(dir, 'mistakes');
  if ((await entryKind(mistakesDir)) !== 'dir') return [];
  const entries = await readdir(mistakesDir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  const mistakes: Mistake[] = [];
  for (const entry of entries) {
    const relDir = `mistakes/${entry.name}`;
    if (!entry.isDirectory()) {
      problems.push({ file: show(relDir), field: WHOLE_FILE, message: 'mistakes/ holds only folders, one per mistake' });
      continue;
    }
    if (!MISTAKE_NAME.test(entry.name)) {
      problems.push({ file: show(relDir), field: WHOLE_FILE, message: 'a mistake folder name must be lowercase letters, digits and "-"' });
    }
    // The description lives in mistake.md front matter: kubectl ignores .md, so
    // `kubectl apply -f mistakes/<name>/` applies the wrong solution as it is.
    const relFile = `${relDir}/${MISTAKE_FILE}`;
    const shown = show(relFile);
    if ((await entryKind(path.join(dir, relDir, 'mistake.yaml'))) !== 'missing') {
      problems.push({
        file: show(`${relDir}/mistake.yaml`),
        field: WHOLE_FILE,
        message: `kubectl would read it as a manifest ("apiVersion not set"): move description and fails into ${MISTAKE_FILE} front matter`,
      });
    }
    const manifests = await readManifestDir({ exerciseDir: dir, relDir, skip: [MISTAKE_FILE, 'mistake.yaml'], show });
    problems.push(...manifests.problems);
    const data = await readMetadataFile({ dir, relFile, shown, schema: mistakeFileSchema, what: 'a mistake', fields: ['description', 'fails'] }, problems);
    if (data === undefined) continue;
    data.fails.forEach((fail, i) => {
      const type = checkTypes?.get(fail.check);
      if (checkTypes && !type) {
        problems.push({
          file: shown,
          field: `fails[${i}].check`,
          message: `"${fail.check}" is not a check id of this exercise (${[...checkTypes.keys()].join(', ')})`,
        });
      }
      if (type && fail.cause !== undefined && !causesOf(type).includes(fail.cause)) {
        problems.push({
          file: shown,
          field: `fails[${i}].cause`,
          message: `${type} checks report no cause "${fail.cause}"; they report ${causesOf(type).join(', ') || 'none'}`,
        });
      }
    });
    mistakes.push({ name: entry.name, ...data, manifests: manifests.manifests });
  }
  return mistakes;
}

async function readVariants(
  dir: string,
  show: (rel: string) => string,
  problems: CatalogProblem[],
): Promise<Variant[]> {
  const variantsDir = path.join(dir, 'variants');
  if ((await entryKind(variantsDir)) !== 'dir') return [];
  const entries = await readdir(variantsDir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  const variants: Variant[] = [];
  for (const entry of entries) {
    const relDir = `variants/${entry.name}`;
    if (!entry.isDirectory()) {
      problems.push({ file: show(relDir), field: WHOLE_FILE, message: 'variants/ holds only folders, one per variant' });
      continue;
    }
    if (!MISTAKE_NAME.test(entry.name)) {
      problems.push({ file: show(relDir), field: WHOLE_FILE, message: 'a variant folder name must be lowercase letters, digits and "-"' });
    }
    const relFile = `${relDir}/${VARIANT_FILE}`;
    const shown = show(relFile);
    const manifests = await readManifestDir({ exerciseDir: dir, relDir, skip: [VARIANT_FILE], show });
    problems.push(...manifests.problems);
    const data = await readMetadataFile({ dir, relFile, shown, schema: variantFileSchema, what: 'a variant', fields: ['description'] }, problems);
    if (data === undefined) continue;
    variants.push({ name: entry.name, ...data, manifests: manifests.manifests });
  }
  return variants;
}

// The portal renders instructions without raw HTML; authors find out here, not in class.
function checkInstructions(text: string, file: string): CatalogProblem[] {
  if (text.trim() === '') return [{ file, field: WHOLE_FILE, message: 'is empty' }];
  const problems: CatalogProblem[] = [];
  const tokens = new MarkdownIt({ html: true }).parse(text, {});
  for (const token of tokens) {
    const line = (token.map?.[0] ?? 0) + 1;
    const html =
      token.type === 'html_block' || (token.children ?? []).some((child) => child.type === 'html_inline');
    if (html) problems.push({ file, field: `line ${line}`, message: 'raw HTML is not allowed; use Markdown' });
  }
  return problems;
}

type EntryKind = 'file' | 'dir' | 'other' | 'missing';

async function entryKind(p: string): Promise<EntryKind> {
  try {
    const s = await stat(p);
    return s.isFile() ? 'file' : s.isDirectory() ? 'dir' : 'other';
  } catch (error) {
    // Only "does not exist" is an answer; anything else (EACCES, EIO) is a real failure.
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return 'missing';
    throw error;
  }
}

/**
 * A mistake's or variant's metadata file: YAML front matter in a Markdown file (kubectl
 * reads every .yaml in the folder as a manifest, so the metadata may not be one).
 * Undefined, with the problems pushed, when it is missing or invalid.
 */
async function readMetadataFile<T extends z.ZodType>(
  file: { dir: string; relFile: string; shown: string; schema: T; what: string; fields: readonly string[] },
  problems: CatalogProblem[],
): Promise<z.output<T> | undefined> {
  const { dir, relFile, shown, what, fields } = file;
  const name = path.basename(relFile);
  if ((await entryKind(path.join(dir, relFile))) !== 'file') {
    problems.push({ file: shown, field: WHOLE_FILE, message: `missing: ${what} needs a ${name} (YAML front matter between --- lines: ${fields.join(', ')})` });
    return undefined;
  }
  const front = frontMatter(await readFile(path.join(dir, relFile), 'utf8'));
  if (front === undefined) {
    problems.push({ file: shown, field: WHOLE_FILE, message: `must start with YAML front matter: a --- line, ${fields.join(' and ')}, a closing --- line` });
    return undefined;
  }
  const read = parseYaml(front, shown);
  if (!read.ok) {
    problems.push(...read.problems);
    return undefined;
  }
  const [doc, ...extra] = read.documents;
  if (doc === undefined || extra.length > 0) {
    problems.push({ file: shown, field: WHOLE_FILE, message: 'its front matter must hold exactly one YAML document' });
    return undefined;
  }
  const parsed = file.schema.safeParse(doc.value);
  if (!parsed.success) {
    problems.push(...issuesToProblems(shown, parsed.error.issues, doc.locate));
    return undefined;
  }
  return parsed.data;
}
