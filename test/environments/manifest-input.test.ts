import { describe, expect, it } from 'vitest';
import { ApplyInputError } from '../../server/environments/errors.ts';
import { parseManifests } from '../../server/environments/manifest-input.ts';

const NS = 'kl-test-0123456789abcdef';

function problems(text: string): string[] {
  try {
    parseManifests(text, NS);
  } catch (err) {
    if (err instanceof ApplyInputError) return err.problems.map((p) => `${p.document} ${p.field}: ${p.message}`);
    throw err;
  }
  throw new Error('expected ApplyInputError');
}

describe('learner manifests', () => {
  it('puts every object in the learner namespace, skipping empty documents', () => {
    const objects = parseManifests(
      `---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\n---\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: ${NS}}\n`,
      NS,
    );
    expect(objects.map((o) => [o.kind, o.metadata.name, o.metadata.namespace])).toEqual([
      ['Service', 'web', NS],
      ['Deployment', 'web', NS],
    ]);
  });

  it.each([
    ['not YAML', 'kind: [unclosed', /not valid YAML/],
    ['plain text', 'hello world', /not a Kubernetes object/],
    ['no kind', 'apiVersion: v1\nmetadata: {name: a}', /1 kind: is required/],
    ['no apiVersion', 'kind: Pod\nmetadata: {name: a}', /1 apiVersion: is required/],
    ['no name', 'apiVersion: v1\nkind: Pod\nmetadata: {}', /1 metadata.name: is required/],
    ['bad name', 'apiVersion: v1\nkind: Pod\nmetadata: {name: Web_1}', /DNS-1123/],
    ['another namespace', 'apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: kube-system}', /only apply to your own namespace/],
    ['a List', 'apiVersion: v1\nkind: List\nmetadata: {name: a}\nitems: []', /not supported/],
    ['nothing at all', '   \n', /no Kubernetes objects found/],
    ['duplicate keys', 'apiVersion: v1\napiVersion: v2\nkind: Pod\nmetadata: {name: a}', /not valid YAML/],
  ])('refuses %s with a message', (_name, text, message) => {
    expect(problems(text).join('\n')).toMatch(message);
  });

  it('reports the problems of every document at once', () => {
    const found = problems('apiVersion: v1\nkind: Pod\nmetadata: {}\n---\nkind: Service\nmetadata: {name: ok}\n');
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/^1 /);
    expect(found[1]).toMatch(/^2 apiVersion/);
  });
});
