// JSON Patch, JSON Merge Patch, server-side apply and Content-Type dispatch.
import { describe, expect, it } from 'vitest';
import { StatusError } from '../../core/errors.ts';
import { resourceFor } from '../../core/registry.ts';
import type { KubeObject } from '../../core/types.ts';
import { PatchApplyError, applyPatch, patchTypeOf } from './index.ts';

const deployments = resourceFor('apps', 'deployments')!;
const JSON_PATCH = 'application/json-patch+json';
const MERGE = 'application/merge-patch+json';
const APPLY = 'application/apply-patch+yaml';

const original: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, annotations: { 'a/b': 'x', 'c~d': 'y' } },
  spec: {
    replicas: 2,
    template: { spec: { containers: [{ name: 'web', image: 'nginx:1.25' }, { name: 'side', image: 'busybox' }] } },
  },
};

function errorOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  throw new Error('expected a StatusError');
}

function at(o: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), o);
}

describe('JSON Patch (RFC 6902)', () => {
  it.each<[string, unknown[], string, unknown]>([
    ['replace replicas', [{ op: 'replace', path: '/spec/replicas', value: 5 }], 'spec.replicas', 5],
    ['add a label', [{ op: 'add', path: '/metadata/labels/tier', value: 'web' }], 'metadata.labels', { app: 'web', tier: 'web' }],
    ['remove a label', [{ op: 'remove', path: '/metadata/labels/app' }], 'metadata.labels', {}],
    ['~1 escapes /', [{ op: 'remove', path: '/metadata/annotations/a~1b' }], 'metadata.annotations', { 'c~d': 'y' }],
    ['~0 escapes ~', [{ op: 'replace', path: '/metadata/annotations/c~0d', value: 'z' }], 'metadata.annotations.c~d', 'z'],
    ['append with -', [{ op: 'add', path: '/spec/template/spec/containers/-', value: { name: 'c' } }], 'spec.template.spec.containers.2.name', 'c'],
    ['insert at index', [{ op: 'add', path: '/spec/template/spec/containers/0', value: { name: 'c' } }], 'spec.template.spec.containers.1.name', 'web'],
    ['change an image by index', [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.27' }], 'spec.template.spec.containers.0.image', 'nginx:1.27'],
    ['move', [{ op: 'move', from: '/metadata/labels/app', path: '/metadata/labels/name' }], 'metadata.labels', { name: 'web' }],
    ['copy', [{ op: 'copy', from: '/metadata/labels', path: '/spec/selector' }], 'spec.selector', { app: 'web' }],
    ['test then replace', [{ op: 'test', path: '/spec/replicas', value: 2 }, { op: 'replace', path: '/spec/replicas', value: 1 }], 'spec.replicas', 1],
    ['no operations', [], 'spec.replicas', 2],
  ])('%s', (_name, ops, path, expected) => {
    expect(at(applyPatch(JSON_PATCH, original, JSON.stringify(ops), deployments), path)).toEqual(expected);
  });

  it.each<[string, unknown, number, string]>([
    ['failed test', [{ op: 'test', path: '/spec/replicas', value: 3 }], 422, 'testing value /spec/replicas failed: test failed'],
    ['missing parent on add', [{ op: 'add', path: '/spec/nope/x', value: 1 }], 422, 'add operation does not apply: doc is missing path: "/spec/nope/x": missing value'],
    ['remove missing key', [{ op: 'remove', path: '/metadata/labels/none' }], 422, 'remove operation does not apply: doc is missing path: "/metadata/labels/none": missing value'],
    ['replace missing key', [{ op: 'replace', path: '/spec/paused', value: true }], 422, 'replace operation does not apply: doc is missing path: "/spec/paused": missing value'],
    ['index out of range', [{ op: 'add', path: '/spec/template/spec/containers/7', value: {} }], 422, 'add operation does not apply: index out of range: "/spec/template/spec/containers/7"'],
    ['unknown op', [{ op: 'frobnicate', path: '/x' }], 422, 'Unexpected kind: "frobnicate"'],
    ['pointer without /', [{ op: 'add', path: 'spec', value: 1 }], 422, 'JSON pointer must be empty or start with "/": "spec"'],
    ['add without value', [{ op: 'add', path: '/x' }], 422, 'add operation missing value'],
    ['not a list', { op: 'add' }, 400, ''],
    ['not JSON', '[{', 400, ''],
  ])('refuses %s', (_name, body, code, detail) => {
    const err = errorOf(() => applyPatch(JSON_PATCH, original, typeof body === 'string' ? body : JSON.stringify(body), deployments));
    expect(err.code).toBe(code);
    if (code === 422) {
      // The wire message is the apiserver's generic one; the reason is kept on .detail.
      expect(err).toBeInstanceOf(PatchApplyError);
      expect(err.message).toBe('the server rejected our request due to an error in our request');
      expect(err.reason).toBe('Invalid');
      expect((err as PatchApplyError).detail).toBe(detail);
    }
  });

  it('is atomic: a failing op leaves the original untouched', () => {
    const snapshot = structuredClone(original);
    errorOf(() => applyPatch(JSON_PATCH, original, [{ op: 'replace', path: '/spec/replicas', value: 9 }, { op: 'test', path: '/spec/replicas', value: 2 }], deployments));
    expect(original).toEqual(snapshot);
  });
});

describe('JSON Merge Patch (RFC 7386)', () => {
  it.each<[string, unknown, string, unknown]>([
    ['merges maps', { metadata: { labels: { tier: 'web' } } }, 'metadata.labels', { app: 'web', tier: 'web' }],
    ['null deletes', { metadata: { labels: { app: null } } }, 'metadata.labels', {}],
    ['lists are replaced', { spec: { template: { spec: { containers: [{ name: 'only' }] } } } }, 'spec.template.spec.containers', [{ name: 'only' }]],
    ['scalars replaced', { spec: { replicas: 0 } }, 'spec.replicas', 0],
  ])('%s', (_name, body, path, expected) => {
    expect(at(applyPatch(MERGE, original, JSON.stringify(body), deployments), path)).toEqual(expected);
  });

  it('refuses a non-object body', () => {
    expect(errorOf(() => applyPatch(MERGE, original, '[1]', deployments)).code).toBe(400);
  });
});

describe('server-side apply (simplified)', () => {
  it('merges applied YAML onto the live object like SMP', () => {
    const yaml = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 4\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n';
    const out = applyPatch(APPLY, original, yaml, deployments);
    expect(at(out, 'spec.replicas')).toBe(4);
    expect(at(out, 'spec.template.spec.containers')).toEqual([{ name: 'web', image: 'nginx:1.27' }, { name: 'side', image: 'busybox' }]);
    expect(out.metadata.labels).toEqual({ app: 'web' });
  });

  it('accepts JSON bodies and Buffers', () => {
    const out = applyPatch(APPLY, original, Buffer.from('{"spec":{"replicas":7}}'), deployments);
    expect(at(out, 'spec.replicas')).toBe(7);
  });

  it.each([['a: [', 400], ['- 1\n- 2\n', 400], ['a: 1\na: 2\n', 400]])('refuses %j', (yaml, code) => {
    expect(errorOf(() => applyPatch(APPLY, original, yaml, deployments)).code).toBe(code);
  });
});

describe('Content-Type', () => {
  it.each([
    ['application/strategic-merge-patch+json; charset=utf-8', 'application/strategic-merge-patch+json'],
    ['Application/JSON-Patch+JSON', 'application/json-patch+json'],
    ['application/json', undefined],
  ])('%s', (header, expected) => {
    expect(patchTypeOf(header)).toBe(expected);
  });

  it('answers 415 UnsupportedMediaType for anything else', () => {
    const err = errorOf(() => applyPatch('application/json', original, '{}', deployments));
    expect(err.toStatus()).toMatchObject({
      code: 415,
      reason: 'UnsupportedMediaType',
      message:
        'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml',
    });
  });
});
