// Learner namespaces enforce Pod Security baseline: nothing the exercises ship
// (solutions, variants, setup, mistakes) nor the grader's probe Pods may be refused there.
// Every YAML object holding a `containers` list is checked as a Pod spec.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { evaluatePod, forbiddenDetail } from '../../kubesim/controlplane/admission/podsecurity/checks.ts';
import { LATEST } from '../../kubesim/controlplane/admission/podsecurity/policy.ts';
import { isRec, rec, type Rec } from '../../kubesim/controlplane/util/obj.ts';
import { probeManifest } from '../../graders/probes.ts';

const ROOT = join(import.meta.dirname, '../../exercises');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(e.name) ? [path] : [];
  });
}

/** Pod specs anywhere in a document, each with the metadata beside it (template or Pod). */
function podSpecs(value: unknown, meta: Rec = {}): { meta: Rec; spec: Rec }[] {
  if (Array.isArray(value)) return value.flatMap((v) => podSpecs(v));
  if (!isRec(value)) return [];
  if (Array.isArray(value['containers'])) return [{ meta, spec: value }];
  const ownMeta = isRec(value['metadata']) ? value['metadata'] : {};
  return Object.entries(value).flatMap(([key, v]) => (key === 'spec' ? podSpecs(v, ownMeta) : podSpecs(v)));
}

const baseline = (meta: Rec, spec: Rec) => forbiddenDetail(evaluatePod({ level: 'baseline', version: LATEST }, meta, spec));

describe('Pod Security baseline in learner namespaces', () => {
  const files = yamlFiles(ROOT);

  it('finds the exercises\' Pod specs', () => {
    expect(files.flatMap((f) => parseAllDocuments(readFileSync(f, 'utf8')).flatMap((d) => podSpecs(d.toJS()))).length).toBeGreaterThan(10);
  });

  it.each(files.map((f) => [f.slice(ROOT.length + 1), f]))('admits %s', (_name, file) => {
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
      for (const { meta, spec } of podSpecs(doc.toJS())) expect(baseline(meta, spec)).toBe('');
    }
  });

  it('admits the grader\'s probe Pod', () => {
    const probe = probeManifest('learner-ns', 'kind-worker');
    expect(baseline({ ...probe.metadata }, rec(probe['spec']) ?? {})).toBe('');
  });
});
