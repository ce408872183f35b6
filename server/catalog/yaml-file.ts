// Reads YAML files so that every problem can point at a line: syntax errors
// carry their own position, and schema errors are located through the node tree.
import { readFile } from 'node:fs/promises';
import { isNode, LineCounter, parseAllDocuments, type Document } from 'yaml';
import type { CatalogProblem } from './problems.ts';

export interface YamlDocument {
  value: unknown;
  /** 1-based line of the node at `path` (or of its nearest existing ancestor). */
  locate(path: readonly PropertyKey[]): number | undefined;
}

export type YamlRead = { ok: true; documents: YamlDocument[] } | { ok: false; problems: CatalogProblem[] };

/** Parses every document in `text`; `file` names it in problems. Empty documents are dropped. */
export function parseYaml(text: string, file: string): YamlRead {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: true });
  // An empty stream (no documents at all) is not an array.
  if (!Array.isArray(docs)) return { ok: true, documents: [] };
  const problems: CatalogProblem[] = [];
  for (const doc of docs) {
    for (const error of doc.errors) {
      const line = error.linePos?.[0].line;
      problems.push({
        file,
        field: line === undefined ? 'YAML' : `line ${line}`,
        message: `YAML syntax error: ${error.message.split('\n')[0] ?? error.code}`,
      });
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  const documents = docs
    .filter((doc) => doc.contents !== null)
    .map((doc) => ({ value: doc.toJS({ maxAliasCount: 100 }), locate: locator(doc, lineCounter) }));
  return { ok: true, documents };
}

export async function readYaml(absPath: string, file: string): Promise<YamlRead> {
  return parseYaml(await readFile(absPath, 'utf8'), file);
}

function locator(doc: Document, lineCounter: LineCounter) {
  return (path: readonly PropertyKey[]): number | undefined => {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
}
