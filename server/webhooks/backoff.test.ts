import { describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS, nextAttemptAt } from './backoff.ts';

const T = 1_700_000_000_000;

describe('nextAttemptAt', () => {
  it.each([
    [1, 5_000],
    [2, 5 * 60_000],
    [3, 30 * 60_000],
    [4, 2 * 3_600_000],
    [5, 5 * 3_600_000],
    [6, 10 * 3_600_000],
    [7, 10 * 3_600_000],
  ])('after attempt %i waits %i ms (jitter at its middle)', (attempt, delay) => {
    expect(nextAttemptAt(attempt, T, () => 0.5)).toBe(T + delay);
  });

  it('spreads each delay by at most ±10 %', () => {
    expect(nextAttemptAt(4, T, () => 0)).toBe(T + 0.9 * 2 * 3_600_000);
    expect(nextAttemptAt(4, T, () => 0.999_999)).toBe(T + Math.round(2 * 3_600_000 * (0.9 + 0.2 * 0.999_999)));
  });

  it('stops after the eighth attempt', () => {
    expect(MAX_ATTEMPTS).toBe(8);
    expect(nextAttemptAt(8, T, () => 0.5)).toBeUndefined();
  });
});
