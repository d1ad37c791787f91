import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * One figure of a run: `baseline` is the same metric measured in the same run on the same
 * machine by the simplest thing that does the job (absolute figures drift between machines
 * and runs; ratios don't), `ratio` is value / baseline, so higher is better for throughputs.
 */
export interface BenchRow {
  scenario: string;
  metric: string;
  unit: string;
  value: number;
  baseline: number | null;
  ratio: number | null;
  /** What the project holds this figure to, when it holds it to anything. */
  goal?: string;
}

export function row(
  scenario: string,
  metric: string,
  unit: string,
  value: number,
  baseline: number | null = null,
  goal?: string,
): BenchRow {
  const ratio = baseline === null || baseline === 0 ? null : round(value / baseline, 3);
  return {
    scenario,
    metric,
    unit,
    value: round(value, 2),
    baseline: baseline === null ? null : round(baseline, 2),
    ratio,
    ...(goal ? { goal } : {}),
  };
}

/** Whether a row meets its goal: `ratio ≥ x`, `< x` (on the value) or `≤ x`. */
export function meetsGoal(r: BenchRow): boolean | undefined {
  const match = r.goal?.match(/^(ratio )?(≥|<|≤) ([\d.]+)$/);
  if (!match) return undefined;
  const subject = match[1] ? r.ratio : r.value;
  if (subject === null) return undefined;
  const limit = Number(match[3]);
  return match[2] === '≥' ? subject >= limit : match[2] === '<' ? subject < limit : subject <= limit;
}

/** The table a person reads: figure and baseline side by side, and the goal with its verdict. */
export function formatTable(rows: readonly BenchRow[]): string {
  const header = ['scenario', 'metric', 'value', 'baseline', 'ratio', 'goal'];
  const lines = rows.map((r) => {
    const verdict = meetsGoal(r);
    return [
      r.scenario,
      r.metric,
      `${formatNumber(r.value)} ${r.unit}`,
      r.baseline === null ? '—' : `${formatNumber(r.baseline)} ${r.unit}`,
      r.ratio === null ? '—' : r.ratio.toFixed(2),
      r.goal ? `${r.goal} ${verdict === undefined ? '' : verdict ? 'met' : 'NOT MET'}`.trim() : '',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells: string[]) =>
    cells
      .map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [format(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(format)].join('\n');
}

export function writeResults(file: string, rows: readonly BenchRow[]): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(rows, null, 2)}\n`);
}

function formatNumber(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: n >= 100 ? 0 : 2 });
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
