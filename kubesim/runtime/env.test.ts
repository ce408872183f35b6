// $(VAR) expansion as third_party/forked/golang/expansion/expand.go does it.
import { describe, expect, it } from 'vitest';
import { expand } from './env.ts';

const vars: Record<string, string> = { A: 'one', EMPTY: '' };
const lookup = (n: string): string | undefined => vars[n];

describe('expand', () => {
  it.each([
    ['$(A)', 'one'],
    ['x$(A)y$(A)', 'xoneyone'],
    ['$(EMPTY)|', '|'],
    ['$(NOPE)', '$(NOPE)'],
    ['$$(A)', '$(A)'],
    ['$$$(A)', '$one'],
    ['$$$$(A)', '$$(A)'],
    ['$A', '$A'],
    ['$', '$'],
    ['a$', 'a$'],
    ['$(A', '$(A'],
    ['$()', '$()'],
    ['$(A)$(', 'one$('],
    ['$(A $(A))', '$(A $(A))'],
  ])('%s → %s', (input, output) => {
    expect(expand(input, lookup)).toBe(output);
  });
});
