// Test helper: alternate "let controllers finish" and "advance the ManualClock to the
// next timer" until nothing is queued or pending, or maxMs of simulated time passed.

import type { ManualClock } from '../core/clock.ts';

export interface SettleOptions {
  /** Stop after this much simulated time (default 60 000 ms). */
  maxMs?: number;
}

export async function settle(cp: { idle(): Promise<void> }, clock: ManualClock, options: SettleOptions = {}): Promise<void> {
  const deadline = clock.now() + (options.maxMs ?? 60_000);
  await cp.idle();
  for (;;) {
    const next = clock.nextAt();
    if (next === undefined || next > deadline) break;
    clock.advance(Math.max(0, next - clock.now()));
    await cp.idle();
  }
}
