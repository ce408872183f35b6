// When a failed delivery is tried again: a schedule stretching over 27.6 hours (about
// what Standard Webhooks' reference services use), each delay spread by ±10 % jitter so
// a receiver that was down for everyone is not hit by every retry in the same second.
export const RETRY_DELAYS_MS: readonly number[] = [
  5_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000, 5 * 3_600_000, 10 * 3_600_000, 10 * 3_600_000,
];

/** Attempts in all: the first plus one per delay. */
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;

/**
 * When to try again after `attempt` (1-based) failed, or undefined when that was the
 * last. `random` returns [0, 1); 0.5 gives the plain schedule.
 */
export function nextAttemptAt(attempt: number, now: number, random: () => number): number | undefined {
  const delay = RETRY_DELAYS_MS[attempt - 1];
  if (delay === undefined) return undefined;
  return now + Math.round(delay * (0.9 + 0.2 * random()));
}
