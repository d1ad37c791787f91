/** How a progress bar writes amounts: plain counts unless told otherwise. */
export type AmountFormat = (amount: number) => string;

export const megabytes: AmountFormat = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const count: AmountFormat = (n) => n.toLocaleString('en-US');

/** `[##########..........]  48%  4.2 MB / 8.7 MB` */
export function progressBar(done: number, total: number, format: AmountFormat = count, width = 30): string {
  const ratio = total === 0 ? 1 : Math.min(1, done / total);
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}%  ${format(done)} / ${format(total)}`;
}
