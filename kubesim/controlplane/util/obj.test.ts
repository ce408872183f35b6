import { describe, expect, it } from 'vitest';
import { jsonEqual, stableJson } from './obj.ts';

describe('jsonEqual', () => {
  it.each([
    [{ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 }, true],
    [{ a: 1, gone: undefined }, { a: 1 }, true],
    [{ a: 1 }, { a: 1, b: null }, false],
    [[1, 2], [2, 1], false],
    [[1, 2], [1, 2, 3], false],
    [{ a: [] }, { a: {} }, false],
    ['1', 1, false],
    [null, null, true],
    [{ status: { conditions: [{ type: 'Ready', status: 'True' }] } }, { status: { conditions: [{ status: 'True', type: 'Ready' }] } }, true],
  ])('%j vs %j → %s, as stableJson says', (a, b, equal) => {
    expect(jsonEqual(a, b)).toBe(equal);
    expect(stableJson(a) === stableJson(b)).toBe(equal);
  });
});
