import { describe, expect, it } from 'vitest';
import { RateLimitedError, RateLimiter } from './limiter.ts';

function retryAfter(fn: () => void): number | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    if (error instanceof RateLimitedError) return error.retryAfterSeconds;
    throw error;
  }
}

describe('RateLimiter', () => {
  it('refills one request per 60/perMinute seconds and never above the allowance', () => {
    let now = 0;
    const limiter = new RateLimiter({ perMinute: 2, now: () => now });
    expect(retryAfter(() => limiter.take('a'))).toBeUndefined();
    expect(retryAfter(() => limiter.take('a'))).toBeUndefined();
    expect(retryAfter(() => limiter.take('a'))).toBe(30);
    now += 29_001;
    expect(retryAfter(() => limiter.take('a'))).toBe(1);
    now += 999;
    expect(retryAfter(() => limiter.take('a'))).toBeUndefined();
    // An hour idle banks no more than the allowance.
    now += 3_600_000;
    expect([1, 2, 3].map(() => retryAfter(() => limiter.take('a')))).toEqual([undefined, undefined, 30]);
  });

  it('mints nothing when the clock steps back, and 0 turns limiting off', () => {
    let now = 100_000;
    const limiter = new RateLimiter({ perMinute: 1, now: () => now });
    limiter.take('a');
    now -= 50_000;
    expect(retryAfter(() => limiter.take('a'))).toBe(60);
    const off = new RateLimiter({ perMinute: 0, now: () => 0 });
    for (let i = 0; i < 1000; i += 1) off.take('a');
  });

  it('forgets the stalest credential beyond maxTracked', () => {
    const limiter = new RateLimiter({ perMinute: 1, now: () => 0, maxTracked: 2 });
    limiter.take('a');
    limiter.take('b');
    limiter.take('c'); // a forgotten: it starts full again
    expect(retryAfter(() => limiter.take('a'))).toBeUndefined();
    expect(retryAfter(() => limiter.take('c'))).toBe(60);
  });
});
