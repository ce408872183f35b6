// ConfigMap validation through the control plane's strategy table, with the
// apiserver's messages (ValidateConfigMap, ValidateConfigMapUpdate).
import { beforeAll, describe, expect, it } from 'vitest';
import { StatusError } from '../../core/errors.ts';
import type { KubeObject } from '../../core/types.ts';
import { startTestCluster, type TestCluster } from '../testing/cluster.ts';

let c: TestCluster;
beforeAll(async () => { c = await startTestCluster(); });

let n = 0;
function configMap(fields: Record<string, unknown>, name = `cm${++n}`): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, ...fields };
}
function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return e.message;
    throw e;
  }
  return 'accepted';
}

describe('ConfigMap strategy', () => {
  it('takes exactly 1 MiB of data and binaryData together, refuses one byte more on the whole object', () => {
    const half = 512 * 1024;
    expect(refusal(() => c.create('configmaps', configMap({ data: { a: 'x'.repeat(half) }, binaryData: { b: Buffer.alloc(half).toString('base64') } })))).toBe('accepted');
    expect(refusal(() => c.create('configmaps', configMap({ data: { a: 'x'.repeat(half + 1) }, binaryData: { b: Buffer.alloc(half).toString('base64') } }, 'over'))))
      .toBe('ConfigMap "over" is invalid: []: Too long: may not be more than 1048576 bytes');
  });

  it('counts data in UTF-8 bytes, as Go does', () => {
    expect(refusal(() => c.create('configmaps', configMap({ data: { a: 'é'.repeat(600 * 1024) } }, 'accents'))))
      .toBe('ConfigMap "accents" is invalid: []: Too long: may not be more than 1048576 bytes');
  });

  it('refuses bad keys and a key in both data and binaryData', () => {
    expect(refusal(() => c.create('configmaps', configMap({ data: { 'a b': '1' } }, 'keys')))).toMatch(/^ConfigMap "keys" is invalid: data\[a b\]: Invalid value: "a b": a valid config key must consist of/);
    expect(refusal(() => c.create('configmaps', configMap({ data: { k: '1' }, binaryData: { k: 'MQ==' } }, 'both'))))
      .toBe('ConfigMap "both" is invalid: data[k]: Invalid value: "k": duplicate of key present in binaryData');
  });

  it('keeps an immutable ConfigMap immutable: data, binaryData and the flag itself', () => {
    const cm = c.create('configmaps', configMap({ immutable: true, data: { a: '1' } }, 'frozen'));
    expect(refusal(() => c.update('configmaps', { ...structuredClone(cm), data: { a: '2' } }))).toContain('data: Forbidden: field is immutable when `immutable` is set');
    expect(refusal(() => c.update('configmaps', { ...structuredClone(cm), binaryData: { b: 'MQ==' } }))).toContain('binaryData: Forbidden: field is immutable when `immutable` is set');
    expect(refusal(() => c.update('configmaps', { ...structuredClone(cm), immutable: false }))).toContain('immutable: Forbidden: field is immutable when `immutable` is set');
    expect(refusal(() => c.update('configmaps', { ...structuredClone(cm), metadata: { ...cm.metadata, labels: { ok: 'yes' } } }))).toBe('accepted');
  });

  it('refuses annotations over 256 KiB on any object, as ValidateObjectMeta does', () => {
    const annotations = { note: 'n'.repeat(256 * 1024) };
    expect(refusal(() => c.create('configmaps', { ...configMap({}, 'noted'), metadata: { name: 'noted', namespace: 'default', annotations } })))
      .toBe('ConfigMap "noted" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes');
    const fits = { note: 'n'.repeat(256 * 1024 - 4) };
    expect(refusal(() => c.create('configmaps', { ...configMap({}, 'fits'), metadata: { name: 'fits', namespace: 'default', annotations: fits } }))).toBe('accepted');
  });
});
