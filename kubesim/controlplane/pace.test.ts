import { describe, expect, it } from 'vitest';
import { FAST_PACE, paceAtSpeed } from './pace.ts';

describe('paceAtSpeed', () => {
  it('is FAST_PACE at full speed', () => {
    expect(paceAtSpeed(100)).toEqual(FAST_PACE);
  });

  it('stretches every delay evenly and keeps Kubernetes-second counts', () => {
    const calm = paceAtSpeed(10);
    expect(calm.secondMs).toBe(100);
    expect(calm.sandboxMs / calm.scheduleMs).toBe(FAST_PACE.sandboxMs / FAST_PACE.scheduleMs);
    expect(calm.crashLoopBackoffSeconds).toBe(FAST_PACE.crashLoopBackoffSeconds);
    expect(paceAtSpeed(1).secondMs).toBe(1000);
  });

  it.each([0, 0.5, 101, Number.NaN])('refuses speed %s', (speed) => {
    expect(() => paceAtSpeed(speed)).toThrow(/speed must be 1–100/);
  });
});
