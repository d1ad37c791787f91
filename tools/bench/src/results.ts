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
  /** Each measurement behind `value` and `baseline` when they sum up several (a mean or a median; the table shows their spread). */
  runs?: number[];
  baselineRuns?: number[];
}

export interface RunsOf {
  runs: number[];
  baselineRuns?: number[];
  /**
   * runs[i] and baselineRuns[i] were measured back to back (a round): the ratio is then the
   * median of each round's ratio, which a stretch of noise in one round can't move, rather
   * than value ÷ baseline.
   */
  paired?: boolean;
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
  const ratio = runsOf?.paired && runsOf.baselineRuns ? pairedRatio(runsOf.runs, runsOf.baselineRuns) : plainRatio(value, baseline);
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

function plainRatio(value: number, baseline: number | null): number | null {
  return baseline === null || baseline === 0 ? null : round(value / baseline, 3);
}

/** The median (the mean of the middle two for an even count) of runs[i] ÷ baselines[i]. */
function pairedRatio(runs: readonly number[], baselines: readonly number[]): number | null {
  const ratios = runs.map((run, i) => plainRatio(run, baselines[i] ?? null)).filter((r): r is number => r !== null);
  if (ratios.length === 0) return null;
  ratios.sort((a, b) => a - b);
  const middle = Math.floor(ratios.length / 2);
  return round(ratios.length % 2 === 1 ? ratios[middle] : (ratios[middle - 1] + ratios[middle]) / 2, 3);
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

/** ` (min–max, ±x%)` of the measurements behind a figure: the half-range as a share of their mean. */
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
