// Secret defaulting and validation through the control plane's strategy table
// (the path every create and update takes), with the apiserver's messages.
import { beforeAll, describe, expect, it } from 'vitest';
import { StatusError } from '../../core/errors.ts';
import type { KubeObject } from '../../core/types.ts';
import { startTestCluster, type TestCluster } from '../testing/cluster.ts';

let c: TestCluster;
beforeAll(async () => { c = await startTestCluster(); });

const b64 = (s: string) => Buffer.from(s).toString('base64');
let n = 0;
function secret(fields: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: `s${++n}`, namespace: 'default' }, ...fields };
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

describe('Secret strategy', () => {
  it('defaults type to Opaque and folds stringData into data', () => {
    const s = c.create('secrets', secret({ data: { a: b64('1') }, stringData: { b: 'two', a: 'one' } }));
    expect(s.type).toBe('Opaque');
    expect(s.data).toEqual({ a: b64('one'), b: b64('two') });
    expect(s).not.toHaveProperty('stringData');
  });

  it('keeps an explicit type', () => {
    const s = c.create('secrets', secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': b64('c'), 'tls.key': b64('k') } }));
    expect(s.type).toBe('kubernetes.io/tls');
  });

  it.each([
    ['a bad data key', { data: { 'bad key': b64('x') } }, `data[bad key]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`],
    ['a ".." key', { stringData: { '..x': 'v' } }, `data[..x]: Invalid value: "..x": must not start with '..'`],
    ['a tls Secret without its key', { type: 'kubernetes.io/tls', data: { 'tls.crt': b64('c') } }, 'data[tls.key]: Required value'],
  ])('refuses %s', (_title, fields, message) => {
    expect(refusal(() => c.create('secrets', secret(fields)))).toContain(message);
  });

  it('refuses a type change and data changes once immutable', () => {
    const s = c.create('secrets', secret({ immutable: true, data: { a: b64('1') } }));
    expect(refusal(() => c.update('secrets', { ...structuredClone(s), type: 'kubernetes.io/ssh-auth' }))).toContain('type: Invalid value: "kubernetes.io/ssh-auth": field is immutable');
    expect(refusal(() => c.update('secrets', { ...structuredClone(s), data: { a: b64('2') } }))).toContain('data: Forbidden: field is immutable when `immutable` is set');
    const same = c.update('secrets', { ...structuredClone(s), metadata: { ...s.metadata, labels: { ok: 'yes' } } });
    expect(same.metadata.labels).toEqual({ ok: 'yes' });
  });
});
