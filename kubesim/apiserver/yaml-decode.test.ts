// YAML request bodies cannot take the process down or hold it (#17): deep nesting is a
// 400 (it used to crash Node with an uncatchable out-of-memory), a 20,000-key mapping
// decodes in one pass, aliases cannot expand without bound.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { at, startHarness, type Harness } from './testing/harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
  expect(h.errors).toEqual([]);
});

const YAML = { 'content-type': 'application/yaml' };
const CONFIGMAPS = '/api/v1/namespaces/default/configmaps';
const laughs =
  'a: &a [x, x, x, x, x, x, x, x, x]\n' +
  Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`).join('\n');

describe('YAML request bodies', () => {
  it.each([
    ['100,000 nested flow lists', '['.repeat(100_000)],
    ['100,000 nested block lists', '- '.repeat(100_000)],
    ['a mapping nested 400 deep', `${'{a: '.repeat(400)}1${'}'.repeat(400)}`],
  ])('refuse %s with 400 "exceeded max depth", and keep serving', async (_name, body) => {
    const r = await h.call('POST', CONFIGMAPS, body, YAML);
    expect(r.status).toBe(400);
    expect(at(r.body, 'message')).toMatch(/exceeded max depth/);
    expect((await h.call('GET', CONFIGMAPS)).status).toBe(200);
  });

  it('refuse a billion-laughs body with 400', async () => {
    const r = await h.call('POST', CONFIGMAPS, `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: laughs}\ndata:\n  ${laughs.split('\n').join('\n  ')}`, YAML);
    expect(r.status).toBe(400);
    expect(at(r.body, 'message')).toMatch(/alias/i);
  });

  it('take a ConfigMap with 20,000 keys', async () => {
    const body = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: wide}\ndata:\n${Array.from({ length: 20_000 }, (_, i) => `  k${i}: v\n`).join('')}`;
    const r = await h.call('POST', CONFIGMAPS, body, YAML);
    expect(r.status).toBe(201);
    expect(Object.keys(at(r.body, 'data') as object)).toHaveLength(20_000);
  });

  it('keep the last of a repeated key on create, as the YAML-to-JSON decode does; server-side apply refuses it', async () => {
    const created = await h.call('POST', CONFIGMAPS, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: twice}\ndata: {a: "1", a: "2"}\n', YAML);
    expect(created.status).toBe(201);
    expect(at(created.body, 'data')).toEqual({ a: '2' });
    const applied = await h.call('PATCH', `${CONFIGMAPS}/twice?fieldManager=t`, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: twice}\ndata: {b: "1", b: "2"}\n', { 'content-type': 'application/apply-patch+yaml' });
    expect(applied.status).toBe(400);
    expect(at(applied.body, 'message')).toMatch(/Map keys must be unique/);
  });
});
