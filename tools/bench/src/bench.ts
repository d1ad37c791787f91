import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanUpStack, startStack, testInfrastructure, testKafka, testNamespace } from '@focus/testing';
import { loadSeed } from '../../seed/load';
import { readSeed } from '../../seed/seed-requests';
import { BenchContext, BenchSizes } from './bench-context';
import { CPU_PROFILE_HOOK } from './http-load';
import { memoryRows } from './memory';
import { BenchRow } from './results';
import { csvExportScenario, populationQueryScenario } from './scenarios/data-api';
import { freshnessScenario } from './scenarios/freshness';
import { historyScenario } from './scenarios/history';
import { importScenario } from './scenarios/import';
import { projectionScenario } from './scenarios/projection';
import { readScenarios } from './scenarios/reads';
import { rebuildScenario } from './scenarios/rebuild';
import { scaleOutScenario } from './scenarios/scale-out';
import { waitUntilProjected } from './settle';

export const SCENARIOS = [
  'gateway-read',
  'projection',
  'history',
  'freshness',
  'rebuild',
  'import',
  'population-query',
  'csv-export',
  'scale-out',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

const EDITOR_KEY = 'local-dev-editor';

export interface BenchOptions {
  sizes: BenchSizes;
  /** Which to run, in the order of SCENARIOS (gateway-read includes conditional-read; history and rebuild need projection; the data API's two need import). */
  scenarios?: readonly Scenario[];
  log?: (line: string) => void;
  /** Lines of the apps' own logs (warnings and errors), for when a scenario fails. */
  echo?: (line: string) => void;
}

/** A scenario that failed, and why: the run goes on without it (and without what needs it). */
export interface BenchFailure {
  scenario: Scenario;
  reason: string;
}

export interface BenchRun {
  rows: BenchRow[];
  failed: BenchFailure[];
}

/**
 * Runs the benchmark scenarios against one real stack of the six apps (from the tsc build, in
 * a namespace of its own on the broker and server given by KAFKA_BROKERS and MONGO_URL), the
 * seed operation loaded first, and returns every figure beside its baseline. Memory is read
 * last, so it is the peak over everything that ran. A scenario that fails is reported and the
 * others still run: a full run takes the better part of an hour, and one failure (the import
 * timing out, say) should not cost the figures of all the rest.
 */
export async function runBench(options: BenchOptions): Promise<BenchRun> {
  const log = options.log ?? ((line: string) => console.log(line));
  const wanted = new Set(options.scenarios ?? SCENARIOS);
  if (wanted.has('rebuild') || wanted.has('history')) wanted.add('projection');
  if (wanted.has('population-query') || wanted.has('csv-export')) wanted.add('import');
  const ns = testNamespace('bench');
  const kafka = testKafka(ns, 'focus-bench');
  log('starting the six apps (builds first when the build is stale)');
  const stack = await startStack({
    namespace: ns,
    echo: options.echo,
    // A benchmark must not meet the rate limit it would measure past.
    // BENCH_CPU_PROFILE_DIR: the gateway loads the profiler hook (tools/bench/profile).
    // At the level it runs at in production: its request lines are part of what a read costs.
    appEnv: { 'api-gateway': { RATE_LIMIT_MAX: '1000000', LOG_LEVEL: 'info', ...gatewayProfileEnv() } },
  });
  const ctx: BenchContext = {
    stack,
    ns,
    kafka,
    mongoUrl: testInfrastructure().mongoUrl,
    api: `${stack.gatewayUrl}/api/v1`,
    editorKey: EDITOR_KEY,
    workDir: mkdtempSync(join(tmpdir(), 'focus-bench-')),
    sizes: options.sizes,
    log,
  };
  const rows: BenchRow[] = [];
  try {
    const seed = readSeed();
    log(`loading the seed operation ${seed.code}`);
    await loadSeed(seed, { apiUrl: ctx.api, apiKey: EDITOR_KEY });
    // Reads are measured on the seed's final view, not one still growing.
    await waitUntilProjected(ctx, 120_000);

    const failed: BenchFailure[] = [];
    const attempt = async (scenario: Scenario, run: () => Promise<BenchRow[]>): Promise<boolean> => {
      if (!wanted.has(scenario)) return false;
      try {
        rows.push(...(await run()));
        return true;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        failed.push({ scenario, reason });
        log(`${scenario} FAILED (the run goes on): ${reason}`);
        return false;
      }
    };
    await attempt('gateway-read', () => readScenarios(ctx, seed.code));
    let expectedVersions: Map<string, number> | undefined;
    await attempt('projection', async () => {
      const projection = await projectionScenario(ctx);
      expectedVersions = projection.expectedVersions;
      return projection.rows;
    });
    const projected = expectedVersions;
    if (projected) await attempt('history', () => historyScenario(ctx));
    await attempt('freshness', () => freshnessScenario(ctx));
    if (projected) await attempt('rebuild', () => rebuildScenario(ctx, projected));
    if (await attempt('import', () => importScenario(ctx))) {
      await attempt('population-query', () => populationQueryScenario(ctx));
      await attempt('csv-export', () => csvExportScenario(ctx));
    }
    await attempt('scale-out', () => scaleOutScenario(ctx, seed.code));
    rows.push(...memoryRows(stack));
    return { rows, failed };
  } finally {
    await stack.stop();
    await cleanUpStack(ns, ctx.mongoUrl, kafka).catch(() => undefined);
  }
}

function gatewayProfileEnv(): Record<string, string> {
  if (!process.env['BENCH_CPU_PROFILE_DIR']) return {};
  return {
    NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --require ${CPU_PROFILE_HOOK}`.trim(),
    BENCH_CPU_PROFILE_LABEL: 'api-gateway',
  };
}
