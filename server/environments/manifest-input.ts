// Learner-supplied YAML, checked before anything reaches the cluster: every document
// must be one namespaced object with apiVersion, kind and a valid name, and may only
// name the learner's own namespace. Problems are reported all at once, per document.
import { Composer, LineCounter, Parser, type CST, type Document, type YAMLError } from 'yaml';
import { z } from 'zod';
import type { KubeObject } from '../cluster/types.ts';
import { ApplyInputError, type InputProblem } from './errors.ts';
import { checkShape, cstDepth, YAML_LIMITS, type Budget } from './yaml-limits.ts';

export const MAX_MANIFEST_BYTES = 256 * 1024;
const MAX_DOCUMENTS = 50;
/** `---` separators, empty documents included: each costs a Document object. */
const MAX_RAW_DOCUMENTS = 200;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const documentSchema = z.looseObject({
  apiVersion: z.string({ error: 'is required' }).min(1, 'is required'),
  kind: z.string({ error: 'is required' }).regex(/^[A-Z][A-Za-z0-9]*$/, 'must be a Kubernetes kind such as Deployment'),
  metadata: z.looseObject(
    {
      name: z
        .string({ error: 'is required (generateName is not supported here)' })
        .max(253)
        .regex(DNS1123_SUBDOMAIN, 'must be a lowercase DNS-1123 name'),
      namespace: z.string().optional(),
    },
    { error: 'is required' },
  ),
});

function field(path: readonly PropertyKey[]): string {
  return path.map(String).join('.') || '(document)';
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return (text.split('\n')[0] ?? '').replace(/:$/, '').slice(0, 200);
}

/** The YAML stream's documents; anything the parser throws is the learner's input, so a 400. */
function parseStream(text: string): { docs: Document.Parsed[]; where: (err: YAMLError) => string } {
  if (Buffer.byteLength(text, 'utf8') > MAX_MANIFEST_BYTES) {
    throw new ApplyInputError([{ document: 0, field: '(body)', message: `the YAML is larger than ${MAX_MANIFEST_BYTES / 1024} KiB` }]);
  }
  const lines = new LineCounter();
  const where = (err: YAMLError) => {
    const { line, col } = lines.linePos(err.pos[0]);
    return `${firstLine(err.message)} at line ${line}, column ${col}`;
  };
  try {
    const tokens: CST.Token[] = Array.from(new Parser(lines.addNewLine).parse(text));
    const raw = tokens.filter((t) => t.type === 'document').length;
    if (raw > MAX_RAW_DOCUMENTS) {
      throw new ApplyInputError([{ document: 0, field: '(body)', message: `too many YAML documents (${raw}); at most ${MAX_RAW_DOCUMENTS} per request` }]);
    }
    if (cstDepth(tokens, YAML_LIMITS.maxDepth) > YAML_LIMITS.maxDepth) {
      throw new ApplyInputError([{ document: 0, field: '(yaml)', message: `nested too deeply: at most ${YAML_LIMITS.maxDepth} levels of mappings and lists` }]);
    }
    // uniqueKeys off: the package's check is quadratic per mapping; checkShape does it in one pass.
    return { docs: Array.from(new Composer({ uniqueKeys: false }).compose(tokens)), where };
  } catch (err) {
    if (err instanceof ApplyInputError) throw err;
    throw new ApplyInputError([{ document: 0, field: '(yaml)', message: `not valid YAML: ${firstLine(err)}` }]);
  }
}

/** Parse YAML into objects targeted at `namespace`; throws ApplyInputError listing every problem. */
export function parseManifests(text: string, namespace: string): KubeObject[] {
  const problems: InputProblem[] = [];
  const { docs: list, where } = parseStream(text);
  const budget: Budget = { nodes: 0 };
  const objects: KubeObject[] = [];
  list.forEach((doc, i) => {
    const document = i + 1;
    if (doc.errors.length > 0) {
      problems.push({ document, field: '(yaml)', message: `not valid YAML: ${where(doc.errors[0]!)}` });
      return;
    }
    const shape = checkShape(doc.contents, budget);
    if (shape) {
      problems.push({ document, ...shape });
      return;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: YAML_LIMITS.maxAliases });
    } catch (err) {
      // The package's expansion check ("Excessive alias count indicates a resource exhaustion attack").
      const excessive = firstLine(err).includes('Excessive alias');
      problems.push({ document, field: '(yaml)', message: excessive ? `too many YAML aliases: the aliases expand to more than ${YAML_LIMITS.maxAliases} copies (a "billion laughs" document)` : `not valid YAML: ${firstLine(err)}` });
      return;
    }
    if (value === null || value === undefined) return; // an empty document between `---` lines
    if (typeof value !== 'object' || Array.isArray(value)) {
      problems.push({ document, field: '(document)', message: 'is not a Kubernetes object: expected a YAML mapping with apiVersion, kind and metadata' });
      return;
    }
    const parsed = documentSchema.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push({ document, field: field(issue.path), message: issue.message });
      return;
    }
    const obj = parsed.data as KubeObject & { metadata: { name: string; namespace?: string } };
    if (obj.kind === 'List' || obj.kind.endsWith('List')) {
      problems.push({ document, field: 'kind', message: `${obj.kind} is not supported: put each object in its own document` });
      return;
    }
    if (obj.metadata.namespace !== undefined && obj.metadata.namespace !== namespace) {
      problems.push({
        document,
        field: 'metadata.namespace',
        message: `names namespace "${obj.metadata.namespace}": you can only apply to your own namespace "${namespace}" (leave the field out)`,
      });
      return;
    }
    objects.push({ ...obj, metadata: { ...obj.metadata, namespace } });
  });
  if (problems.length === 0 && objects.length === 0) {
    problems.push({ document: 0, field: '(body)', message: 'no Kubernetes objects found: send one or more YAML documents' });
  }
  if (objects.length > MAX_DOCUMENTS) {
    problems.push({ document: 0, field: '(body)', message: `too many objects (${objects.length}); at most ${MAX_DOCUMENTS} per request` });
  }
  if (problems.length > 0) throw new ApplyInputError(problems);
  return objects;
}
