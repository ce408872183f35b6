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

  const configMap = (keys: number) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n${Array.from({ length: keys }, (_, i) => `  k${i}: v\n`).join('')}`;
  const laughs =
    'a: &a [x, x, x, x, x, x, x, x, x]\n' +
    Array.from({ length: 9 }, (_, i) => {
      const [name, prev] = [String.fromCharCode(98 + i), String.fromCharCode(97 + i)];
      return `${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]`;
    }).join('\n');

  it('takes a 20,000-key ConfigMap (duplicate keys are checked in one pass, not pairwise)', () => {
    const [cm] = parseManifests(configMap(20_000), NS);
    expect(Object.keys(Object(cm?.['data']))).toHaveLength(20_000);
  });

  it.each([
    ['a billion-laughs document', laughs, /too many YAML aliases: .*billion laughs/],
    ['more than 100 aliases', `a: &a x\nb: [${Array(101).fill('*a').join(', ')}]`, /too many YAML aliases: at most 100 per document/],
    ['an alias to nothing', 'a: *nope', /not valid YAML: Unresolved alias/],
    ['nesting 100,000 deep', '['.repeat(100_000), /nested too deeply: at most 64 levels/],
    ['nesting 70 deep in block lists', `${'- '.repeat(70)}x`, /nested too deeply/],
    ['more than 100,000 nodes', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nx: [${Array(101_000).fill('0').join(',')}]`, /too many YAML nodes/],
    ['more than 200 documents', '---\n'.repeat(201), /too many YAML documents \(201\); at most 200/],
    ['a key repeated deep inside', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  k: 1\n  k: 2\n', /data\.k: not valid YAML: key "k" appears twice/],
    ['a collection as a key', '? [a, b]\n: c\n', /not a plain value/],
    ['a binary key', '!!binary aGk=: x\n', /not a plain value/],
    ['a 2,000-character key', `? ${'k'.repeat(2000)}\n: v\n`, /a key is 2000 characters long; at most 1024/],
  ])('refuses %s with a message naming the limit', (_name, text, message) => {
    expect(problems(text).join('\n')).toMatch(message);
  });
});
