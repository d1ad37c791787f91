import { decodeEvent } from '@focus/contracts';
import { cpuUsage } from './src/cpu-usage';
import { buildCorpus } from './src/event-corpus';
import { expectedViewVersions } from './src/scenarios/projection';
import { formatTable, meetsGoal, row } from './src/results';
import { percentile } from './src/stats';

describe('bench: its parts', () => {
  it('turns two CPU snapshots into cores busy and milliseconds per unit of work, for the machine and each app', () => {
    // /proc counts in ticks of 10 ms: 300 ticks over 2 s is 1.5 cores; 3,000 ms over 100 writes is 30 ms each.
    const before = {
      at: 10_000,
      machineBusy: 1_000,
      apps: new Map([['population', 50] as const, ['api-gateway', 20] as const]),
      others: new Map([['FerretDB', 400]]),
    };
    const after = {
      at: 12_000,
      machineBusy: 1_300,
      apps: new Map([['population', 100] as const, ['api-gateway', 30] as const]),
      others: new Map([['FerretDB', 480]]),
    };
    const usage = cpuUsage(before, after, 100);
    expect(usage.coresBusy).toBeCloseTo(1.5);
    expect(usage.msPerUnit).toBeCloseTo(30);
    expect(Object.fromEntries(usage.appMsPerUnit)).toEqual({ population: 5, 'api-gateway': 1 });
    expect(Object.fromEntries(usage.othersMsPerUnit)).toEqual({ FerretDB: 8 });
  });

  it('builds exactly the events asked for, all valid, from all four domains, each entity in version order', () => {
    const events = buildCorpus({ operations: 3, years: 2, events: 500, codePrefix: 'BENCH-' });
    expect(events).toHaveLength(500);
    for (const event of events) expect(decodeEvent(Buffer.from(JSON.stringify(event))).ok).toBe(true);
    expect(new Set(events.map((e) => e.source))).toEqual(new Set(['population', 'budget', 'narratives', 'contributions']));
    const last = new Map<string, number>();
    for (const { subject } of events) {
      expect(subject.version).toBeGreaterThan(last.get(subject.entityId) ?? 0);
      last.set(subject.entityId, subject.version);
    }
    expect(new Set(events.map((e) => e.subject.operationCode))).toEqual(new Set(['BENCH-001', 'BENCH-002', 'BENCH-003']));
  });

  it("derives each view's version from the events: the sum of each entity's newest version", () => {
    const events = buildCorpus({ operations: 1, years: 1, events: 200, codePrefix: 'BENCH-' });
    const newest = new Map<string, number>();
    for (const { subject } of events) newest.set(subject.entityId, subject.version);
    expect(expectedViewVersions(events)).toEqual(new Map([['BENCH-001', [...newest.values()].reduce((a, b) => a + b, 0)]]));
  });

  it('puts each figure beside its baseline, with the ratio and whether the goal is met', () => {
    const rows = [
      row('gateway-read', 'rps', 'req/s', 7000, 10000, 'ratio ≥ 0.7'),
      row('freshness', 'p99_ms', 'ms', 300, null, '< 250'),
      row('rebuild', 'seconds', 's', 12.345),
    ];
    expect(rows[0]).toEqual({
      scenario: 'gateway-read',
      metric: 'rps',
      unit: 'req/s',
      value: 7000,
      baseline: 10000,
      ratio: 0.7,
      goal: 'ratio ≥ 0.7',
    });
    expect(rows.map(meetsGoal)).toEqual([true, false, undefined]);
    expect(rows[2]).toMatchObject({ value: 12.35, baseline: null, ratio: null });
    const table = formatTable(rows).split('\n');
    expect(table[0]).toMatch(/^scenario\s+metric\s+value\s+baseline\s+ratio\s+goal$/);
    expect(table[2]).toMatch(/gateway-read\s+rps\s+7,000 req\/s\s+10,000 req\/s\s+0\.70\s+ratio ≥ 0\.7 met/);
    expect(table[3]).toMatch(/freshness.*—.*< 250 NOT MET/);
  });

  it('shows the spread of the measurements behind a mean: min–max and half the range as a share of the mean', () => {
    const r = row('gateway-read', 'rps', 'req/s', 10_000, 12_000, 'ratio ≥ 0.9', { runs: [9_000, 11_000], baselineRuns: [12_000, 12_000] });
    expect(r).toMatchObject({ runs: [9_000, 11_000], baselineRuns: [12_000, 12_000], ratio: 0.833 });
    expect(formatTable([r]).split('\n')[2]).toMatch(
      /10,000 \(9,000–11,000, ±10%\) req\/s\s+12,000 \(12,000–12,000, ±0%\) req\/s\s+0\.83\s+ratio ≥ 0\.9 NOT MET/,
    );
  });

  it('gives rounds measured back to back the median of their ratios, which one disturbed round does not move', () => {
    const runs = [28_000, 28_000, 35_700, 24_700, 30_800];
    const baselineRuns = [28_300, 31_200, 31_400, 36_500, 31_800];
    const r = row('conditional-read', 'rps', 'req/s', 28_000, 31_400, 'ratio ≥ 0.9', { runs, baselineRuns, paired: true });
    expect(r.ratio).toBe(0.969); // 30,800 ÷ 31,800, the middle of the rounds' ratios: 0.99, 0.90, 1.14, 0.68, 0.97
    expect(row('x', 'rps', 'req/s', 1, 1, undefined, { runs: [9, 12], baselineRuns: [10, 10], paired: true }).ratio).toBe(1.05);
  });

  it('takes percentiles by nearest rank', () => {
    const sample = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect([percentile(sample, 50), percentile(sample, 99), percentile(sample, 100), percentile([7], 95)]).toEqual([50, 99, 100, 7]);
  });
});
