// The floors of the house: graders/ is a library that server/ composes, so it must
// never import server/ (or the two could not be understood, tested or reused apart);
// and no two modules import each other in a circle.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const IMPORT = /^\s*(?:import|export)\b[^'";]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/gm;
const DYNAMIC = /import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function sources(dir: string, withTests = false): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts') && (withTests || !f.endsWith('.test.ts')))
    .map((f) => path.join(dir, f));
}

/** Relative imports of a file, as repository paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const specs = [...text.matchAll(IMPORT), ...text.matchAll(DYNAMIC)].map((m) => m[1]!);
  return specs.map((s) => path.join(path.dirname(file), s));
}

describe('module floors', () => {
  it('graders/ imports nothing from server/ (its own tests included)', () => {
    const offenders = sources('graders', true).flatMap((f) => importsOf(f).filter((i) => i.startsWith('server/')).map((i) => `${f} → ${i}`));
    expect(offenders).toEqual([]);
  });

  it('the import graph of server/, graders/ and kubesim/ has no circles', () => {
    const files = [...sources('server'), ...sources('graders'), ...sources('kubesim'), ...sources('web/server')];
    const graph = new Map(files.map((f) => [f, importsOf(f).filter((i) => files.includes(i))]));
    const circles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (f: string, trail: string[]): void => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        circles.push([...trail.slice(trail.indexOf(f)), f].join(' → '));
        return;
      }
      state.set(f, 'open');
      for (const next of graph.get(f) ?? []) visit(next, [...trail, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    expect(circles).toEqual([]);
  });
});
