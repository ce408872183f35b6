// Manifest folders (setup/, solution/, mistakes/<name>/): every YAML document is
// an object a learner would apply into their own namespace.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { issuesToProblems, WHOLE_FILE, type CatalogProblem } from './problems.ts';
import { manifestObjectSchema } from './schema.ts';
import { readYaml } from './yaml-file.ts';

export interface Manifest {
  /** Relative to the exercise folder, e.g. `solution/backend.yaml`. */
  file: string;
  object: {
    apiVersion: string;
    kind: string;
    metadata: { name: string; [k: string]: unknown };
    [k: string]: unknown;
  };
}

export interface ManifestDirRead {
  manifests: Manifest[];
  problems: CatalogProblem[];
}

const MANIFEST_FILE = /\.ya?ml$/;

/**
 * Reads `<exerciseDir>/<relDir>`; `skip` names files that live there but are not
 * manifests (mistake.md). `show` turns an exercise-relative path into the one
 * reported in problems.
 */
export async function readManifestDir(opts: {
  exerciseDir: string;
  relDir: string;
  skip?: readonly string[];
  show: (rel: string) => string;
}): Promise<ManifestDirRead> {
  const { exerciseDir, relDir, show } = opts;
  const entries = await readdir(path.join(exerciseDir, relDir), { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  const manifests: Manifest[] = [];
  const problems: CatalogProblem[] = [];
  for (const entry of entries) {
    const rel = `${relDir}/${entry.name}`;
    if (opts.skip?.includes(entry.name)) continue;
    if (!entry.isFile() || !MANIFEST_FILE.test(entry.name)) {
      problems.push({ file: show(rel), field: WHOLE_FILE, message: 'only .yaml/.yml manifest files belong here' });
      continue;
    }
    const read = await readYaml(path.join(exerciseDir, rel), show(rel));
    if (!read.ok) {
      problems.push(...read.problems);
      continue;
    }
    read.documents.forEach((doc, index) => {
      const parsed = manifestObjectSchema.safeParse(doc.value);
      if (!parsed.success) {
        // With several documents in one file, the field says which one.
        const prefix = read.documents.length > 1 ? `document ${index + 1}: ` : '';
        for (const p of issuesToProblems(show(rel), parsed.error.issues, doc.locate)) {
          problems.push({ ...p, field: `${prefix}${p.field}` });
        }
        return;
      }
      manifests.push({ file: rel, object: parsed.data });
    });
  }
  if (manifests.length === 0 && problems.length === 0) {
    problems.push({ file: show(relDir), field: WHOLE_FILE, message: 'holds no manifests' });
  }
  // Two documents for the same object would silently overwrite each other when applied.
  const seen = new Map<string, string>();
  for (const m of manifests) {
    const key = `${m.object.kind}/${m.object.metadata.name}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({ file: show(m.file), field: 'metadata.name', message: `${key} is already defined in ${show(first)}` });
    } else seen.set(key, m.file);
  }
  return { manifests, problems };
}

/** Container images used by the Pods these manifests create. */
export function imagesOf(manifests: readonly Manifest[]): string[] {
  const images = new Set<string>();
  for (const { object } of manifests) {
    const podSpec = object.kind === 'Pod' ? object['spec'] : dig(object, ['spec', 'template', 'spec']);
    for (const field of ['containers', 'initContainers']) {
      const list = dig(podSpec, [field]);
      if (!Array.isArray(list)) continue;
      for (const c of list) {
        const image = dig(c, ['image']);
        if (typeof image === 'string') images.add(image);
      }
    }
  }
  return [...images];
}

function dig(value: unknown, keys: readonly string[]): unknown {
  let cur = value;
  for (const key of keys) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined;
    cur = new Map(Object.entries(cur)).get(key);
  }
  return cur;
}
