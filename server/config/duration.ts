// Durations in settings read like `2h`, `90m` or `1h30m`: humans write them, and a
// bare number would leave the unit to guesswork.
const UNIT_MS = new Map<string, number>([
  ['ms', 1],
  ['s', 1_000],
  ['m', 60_000],
  ['h', 3_600_000],
  ['d', 86_400_000],
]);
const WHOLE = /^(?:\d+(?:ms|s|m|h|d))+$/;
const PART = /(\d+)(ms|s|m|h|d)/g;

/** Milliseconds for a duration string such as `1h30m`, or undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  if (!WHOLE.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(PART)) {
    const perUnit = unit === undefined ? undefined : UNIT_MS.get(unit);
    if (amount === undefined || perUnit === undefined) return undefined;
    total += Number(amount) * perUnit;
  }
  return Number.isSafeInteger(total) ? total : undefined;
}
