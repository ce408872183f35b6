import { describe, expect, it } from 'vitest';
import { StatusError } from '../core/errors.ts';
import { MAX_YAML_NESTING, parseYamlInput, yamlNesting } from './decode.ts';

const manifest = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  template:
    spec:
      containers:
      - name: c
        command: ["sh", "-c", "echo '[[[[[[' ]]]]]"]
        env:
        - {name: A, value: "{{{{"}
      - name: d
        args:
          - |
            [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[
`;

describe('YAML nesting guard', () => {
  it('sees a real manifest as shallow, whatever its strings and block scalars hold', () => {
    expect(yamlNesting(manifest)).toBeLessThan(20);
    expect(parseYamlInput(manifest, '')).toMatchObject({ kind: 'Deployment' });
  });

  it.each([
    ['flow sequences', '['.repeat(50_000) + ']'.repeat(50_000)],
    ['flow maps', '{a: '.repeat(2000) + '1' + '}'.repeat(2000)],
    ['compact sequences', '- '.repeat(5000) + '1'],
    ['indented maps', Array.from({ length: 2000 }, (_, i) => ' '.repeat(i) + 'a:').join('\n') + ' 1'],
    ['brackets after a closing quote', '"]]]]" ' + '['.repeat(3000)],
  ])('refuses deep %s with 400 before the parser recurses', (_what, text) => {
    expect(yamlNesting(text)).toBeGreaterThan(MAX_YAML_NESTING);
    expect(() => parseYamlInput(text, 'error decoding YAML: ')).toThrowError(StatusError);
    try {
      parseYamlInput(text, 'error decoding YAML: ');
    } catch (e) {
      expect(e).toMatchObject({ code: 400, message: 'error decoding YAML: exceeded max depth' });
    }
  });
});
