// Learner-supplied YAML, checked before anything reaches the cluster: every document
// must be one namespaced object with apiVersion, kind and a valid name, and may only
// name the learner's own namespace. Problems are reported all at once, per document.
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import type { KubeObject } from '../cluster/types.ts';
import { ApplyInputError, type InputProblem } from './errors.ts';

export const MAX_MANIFEST_BYTES = 256 * 1024;
const MAX_DOCUMENTS = 50;
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

/** Parse YAML into objects targeted at `namespace`; throws ApplyInputError listing every problem. */
export function parseManifests(text: string, namespace: string): KubeObject[] {
  const problems: InputProblem[] = [];
  const docs = parseAllDocuments(text, { uniqueKeys: true });
  // parseAllDocuments returns an EmptyStream (not an array) for empty input.
  const list = Array.isArray(docs) ? docs : [];
  const objects: KubeObject[] = [];
  list.forEach((doc, i) => {
    const document = i + 1;
    if (doc.errors.length > 0) {
      problems.push({ document, field: '(yaml)', message: `not valid YAML: ${doc.errors[0]!.message.split('\n')[0]!.replace(/:$/, '')}` });
      return;
    }
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
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
