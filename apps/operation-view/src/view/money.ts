/**
 * Integer cents as USD millions with 8 decimals, by integer arithmetic: 740638597 cents is
 * exactly 7.40638597, never 7.406385970000001. Sums are taken in cents before this.
 */
export function centsToMillions(cents: number): number {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return Number(`${sign}${Math.floor(abs / 1e8)}.${String(abs % 1e8).padStart(8, '0')}`);
}
