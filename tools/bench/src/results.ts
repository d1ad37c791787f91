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
  /** Each measurement behind `value` and `baseline` when they are means of several (the table shows their spread). */
  runs?: number[];
  baselineRuns?: number[];
}

export interface RunsOf {
  runs: number[];
  baselineRuns?: number[];
}

export function row(
  scenario: string,
  metric: string,
  unit: string,
  value: number,
  baseline: number | null = null,
  goal?: string,
  runsOf?: RunsOf,
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
    ...(runsOf ? { runs: runsOf.runs.map((r) => round(r, 2)) } : {}),
    ...(runsOf?.baselineRuns ? { baselineRuns: runsOf.baselineRuns.map((r) => round(r, 2)) } : {}),
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
      `${formatNumber(r.value)}${spread(r.runs)} ${r.unit}`,
      r.baseline === null ? '—' : `${formatNumber(r.baseline)}${spread(r.baselineRuns)} ${r.unit}`,
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

/** ` (min–max, ±x%)` of the measurements behind a mean: the half-range as a share of the mean. */
function spread(runs: readonly number[] | undefined): string {
  if (!runs || runs.length < 2) return '';
  const min = Math.min(...runs);
  const max = Math.max(...runs);
  const mean = runs.reduce((a, b) => a + b, 0) / runs.length;
  const half = mean === 0 ? 0 : ((max - min) / 2 / mean) * 100;
  return ` (${formatNumber(min)}–${formatNumber(max)}, ±${half.toFixed(0)}%)`;
}

function formatNumber(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: n >= 100 ? 0 : 2 });
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
