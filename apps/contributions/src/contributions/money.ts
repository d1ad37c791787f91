/**
 * Money crosses the API as US dollars with at most two decimals and is stored and published
 * as integer cents. Validation has already refused more than two decimals; rounding here only
 * absorbs binary representation (4.35 * 100 = 434.99…).
 */
export function usdToCents(usd: number): number {
  return Math.round(usd * 100);
}

export function centsToUsd(cents: number): number {
  return Number((cents / 100).toFixed(2));
}
