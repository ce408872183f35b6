// Where kubelab's own files are (the exercise catalog, SQL migrations, the portal's
// browser sources, package.json). Found by walking up from this module to the
// package.json named "kubelab", so the answer is the same whether this code runs from
// the TypeScript sources (tsx, tests) or from the bundle in dist/ (npm start).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'package.json');
    if (existsSync(candidate) && /"name"\s*:\s*"kubelab"/.test(readFileSync(candidate, 'utf8'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`kubelab's package.json was not found above ${start}`);
  }
}

/** The directory holding kubelab's package.json. */
export const PACKAGE_ROOT: string = findRoot(path.dirname(fileURLToPath(import.meta.url)));

/** A path inside the package, e.g. packagePath('exercises'). */
export function packagePath(...parts: string[]): string {
  return path.join(PACKAGE_ROOT, ...parts);
}
