export const YEAR_MIN = 1950;
export const YEAR_MAX = 2100;
/** Above any real population count, low enough to catch a misplaced multiplication. */
export const COUNT_MAX = 1_000_000_000;

/**
 * Money is integer US cents: floats can't hold 7,406,385.97 exactly, and a sum of cents must
 * stay exact, hence the safe-integer bound.
 */
export function isCents(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
