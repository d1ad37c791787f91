/**
 * Money crosses the HTTP API as US dollars with at most two decimals, and is stored and
 * published as integer cents, so sums and comparisons never drift. Validation has already
 * refused more than two decimals; rounding here only absorbs binary representation
 * (4.35 * 100 = 434.99…).
 */
export function usdToCents(usd: number): number {
  return Math.round(usd * 100);
}

export function centsToUsd(cents: number): number {
  return Number((cents / 100).toFixed(2));
}

/** Ten billion dollars: far above any operation's budget or contribution, far below float trouble. */
export const USD_MAX = 10_000_000_000;

/**
 * A number of US dollars from 0 to USD_MAX with at most 2 decimals. Whole cents divided by
 * 100 is correctly rounded, so it gives back exactly the double that parsing a two-decimal
 * amount gives, and nothing else; a tolerance on `usd * 100` would not do, since that
 * product's rounding error grows with the amount (158527789.23 * 100 = 15852778923.000002).
 */
export function isUsd(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= USD_MAX && usdToCents(value) / 100 === value;
}

/**
 * Integer cents as USD millions with 8 decimals, by integer arithmetic: 740638597 cents is
 * exactly 7.40638597, never 7.406385970000001. Sums are taken in cents before this.
 */
export function centsToMillions(cents: number): number {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return Number(`${sign}${Math.floor(abs / 1e8)}.${String(abs % 1e8).padStart(8, '0')}`);
}
