import { STACK_APPS } from '@focus/testing';
import { BenchFailure, runBench, SCENARIOS } from './src/bench';
import { BenchRow } from './src/results';
import { QUICK_SIZES } from './src/sizes';

/*
 * The bench itself, small, on the real stack: every scenario runs and yields its figures.
 * Each scenario refuses a run whose read model is incomplete (every projected operation at
 * its last version, after the projection and again after the rebuild; every freshness write
 * seen), so a pass also proves what was measured. The figures' sizes are not asserted: tests
 * never judge speed.
 */
describe('bench (quick, real stack)', () => {
  let rows: BenchRow[];
  let failed: BenchFailure[];

  // Every scenario: scale-out starts eight more app processes (1, 2 and 4 aggregators, a second
  // gateway), and the data API's two run after the import, on a machine other stacks share.
  beforeAll(async () => {
    ({ rows, failed } = await runBench({ sizes: QUICK_SIZES, log: () => undefined }));
  }, 600_000);

  it('measures every scenario of the issue, each with the metrics it promises', () => {
    expect(failed).toEqual([]);
    const metrics = rows.map((r) => `${r.scenario} ${r.metric}`);
    expect(metrics).toEqual(
      expect.arrayContaining([
        'gateway-read rps',
        'gateway-read p50_ms',
        'gateway-read p99_ms',
        'conditional-read rps',
        'projection events_per_s',
        'history history_rps',
        'history as_of_rps',
        'freshness p50_ms',
        'freshness p95_ms',
        'freshness p99_ms',
        'freshness cpu_ms_per_write',
        'freshness cores_busy',
        'rebuild seconds',
        'import rows_per_s',
        'scale-out projection_events_per_s:1_aggregators',
        'scale-out projection_events_per_s:2_aggregators',
        'scale-out projection_events_per_s:4_aggregators',
        'scale-out gateway_read_rps:1_gateways',
        'scale-out gateway_read_rps:2_gateways',
        'population-query rps',
        'population-query miss_ms',
        'csv-export rows_per_s',
        'csv-export rss_mb:api-gateway',
        ...STACK_APPS.map((app) => `memory rss_mb:${app}`),
      ]),
    );
    expect(new Set(rows.map((r) => r.scenario))).toEqual(new Set([...SCENARIOS, 'conditional-read', 'memory']));
  });

  it('gives throughputs a baseline measured in the same run, and the ratio between them', () => {
    const throughputs = [
      'gateway-read rps',
      'conditional-read rps',
      'projection events_per_s',
      'population-query rps',
      'history history_rps',
      'history as_of_rps',
    ];
    const isReadPair = (r: BenchRow) => r.metric === 'rps' && r.scenario.endsWith('-read');
    for (const r of rows.filter((r) => throughputs.includes(`${r.scenario} ${r.metric}`))) {
      expect(r.baseline).toBeGreaterThan(0);
      if (!isReadPair(r)) expect(r.ratio).toBeCloseTo(r.value / r.baseline!, 2);
    }
    // Each read pair is measured more than once, every measurement kept beside the median, and
    // the ratio is the median of each round's gateway ÷ bare.
    for (const r of rows.filter(isReadPair)) {
      expect(r.runs).toHaveLength(QUICK_SIZES.read.rounds);
      expect(r.baselineRuns).toHaveLength(QUICK_SIZES.read.rounds);
      const ratios = r.runs!.map((run, i) => run / r.baselineRuns![i]).sort((a, b) => a - b);
      expect(r.ratio).toBeCloseTo((ratios[0] + ratios[1]) / 2, 2);
    }
  });

  it('reports finite figures, and throughputs above zero', () => {
    for (const r of rows) {
      expect(Number.isFinite(r.value)).toBe(true);
      expect(r.value).toBeGreaterThanOrEqual(0);
      if (r.unit.endsWith('/s')) expect(r.value).toBeGreaterThan(0);
    }
  });
});
