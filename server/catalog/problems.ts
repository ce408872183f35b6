// Everything wrong with an exercise is collected as a list of problems, each
// naming the file and the field, so an author can fix them all in one pass.
import type { z } from 'zod';

export interface CatalogProblem {
  /** Relative to the exercises root (loadCatalog) or to the exercise folder given. */
  file: string;
  /** A path such as `checks[2].params.port`, `line 7`, or `(file)` for the file as a whole. */
  field: string;
  message: string;
}

export const WHOLE_FILE = '(file)';

export class CatalogError extends Error {
  readonly problems: CatalogProblem[];
  constructor(problems: CatalogProblem[]) {
    super(
      `${problems.length} problem(s) in the exercise catalog:\n` +
        problems.map((p) => `  ${formatProblem(p)}`).join('\n'),
    );
    this.name = 'CatalogError';
    this.problems = problems;
  }
}

export function formatProblem(p: CatalogProblem): string {
  return `${p.file}: ${p.field}: ${p.message}`;
}

/** `['checks', 2, 'params', 'port']` → `checks[2].params.port`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? WHOLE_FILE : out;
}

/** Flattens zod issues into problems; `locate` may add a line number for a path. */
export function issuesToProblems(
  file: string,
  issues: readonly z.core.$ZodIssue[],
  locate: (path: readonly PropertyKey[]) => number | undefined = () => undefined,
): CatalogProblem[] {
  return issues.map((issue) => {
    const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : issue.path;
    const line = locate(path) ?? locate(issue.path);
    const message = issue.code === 'unrecognized_keys' ? `unknown key(s) ${issue.keys.join(', ')}` : issue.message;
    return {
      file,
      field: formatPath(path),
      message: line === undefined ? message : `${message} (line ${line})`,
    };
  });
}
