import { BenchContext } from '../bench-context';
import { LoadFigures, measureLoad, processTicks, recordAnswers, startBareServer } from '../http-load';
import { BenchRow, row } from '../results';
import { percentile } from '../stats';

interface Measured extends LoadFigures {
  /** Cores the bench process (autocannon) used meanwhile: the load generator's share of the two. */
  loadCores: number;
  /** Cores the server process used meanwhile. */
  serverCores: number;
}

/**
 * gateway-read and conditional-read: a cached operation view through the gateway, with and
 * without If-None-Match, against a bare Fastify process answering the same bytes and headers.
 * Each pair runs `rounds` times with the same connections and duration, the order alternating
 * (gateway first, then bare first) so a drift of the machine's load falls on both. Each side's
 * figure is the median of its rounds, and the ratio the median of the rounds' ratios: on this
 * machine one process's CPU per answer can double for a few seconds with nothing changed in it
 * (tools/bench/README.md, "Noise"), and a mean of two rounds let one such stretch decide it.
 * With BENCH_CPU_PROFILE_DIR set, one more round runs with both processes profiled; its
 * figures are not reported (the profiler slows what it watches).
 */
export async function readScenarios(ctx: BenchContext, code: string): Promise<BenchRow[]> {
  const url = `${ctx.api}/operations/${code}?year=2018`;
  const answers = await recordAnswers(url);
  const { body, etag } = answers;
  const bare = await startBareServer(ctx.workDir, answers);
  const gatewayPid = ctx.stack.pid('api-gateway') ?? 0;
  const settings = ctx.sizes.read;
  ctx.log(
    `gateway-read: ${body.length} bytes, ${settings.connections} connections × ${settings.durationSeconds} s, ${settings.rounds} rounds`,
  );
  const measure = async (target: string, pid: number, headers: Record<string, string>, status: number): Promise<Measured> => {
    const cpu = process.cpuUsage();
    const ticks = processTicks(pid);
    const started = Date.now();
    const figures = await measureLoad(target, settings, headers, status);
    const elapsedMs = Date.now() - started;
    const used = process.cpuUsage(cpu);
    return {
      ...figures,
      loadCores: (used.user + used.system) / 1000 / elapsedMs,
      serverCores: ((processTicks(pid) - ticks) * 10) / elapsedMs,
    };
  };
  const conditional = { 'if-none-match': etag };
  const runs = { gateway: [] as Measured[], bare: [] as Measured[], gateway304: [] as Measured[], bare304: [] as Measured[] };
  try {
    for (let round = 0; round < settings.rounds; round++) {
      const gatewayFirst = round % 2 === 0;
      for (const [headers, status, g, b] of [
        [{}, 200, runs.gateway, runs.bare],
        [conditional, 304, runs.gateway304, runs.bare304],
      ] as const) {
        if (gatewayFirst) g.push(await measure(url, gatewayPid, headers, status));
        b.push(await measure(bare.url, bare.pid, headers, status));
        if (!gatewayFirst) g.push(await measure(url, gatewayPid, headers, status));
      }
      ctx.log(
        `gateway-read round ${round + 1}: ${describe(runs.gateway, runs.bare, 'hit')}; ${describe(runs.gateway304, runs.bare304, '304')}`,
      );
    }
    if (process.env['BENCH_CPU_PROFILE_DIR']) {
      // Profiles are for reading, not figures: a failure is reported, with the gateway's last lines, and the run goes on.
      await profiledRound(ctx, measure, url, gatewayPid, bare, conditional).catch((error: unknown) =>
        ctx.log(`gateway-read: profiling failed: ${String(error)}\n${ctx.stack.logs('api-gateway').slice(-20).join('\n')}`),
      );
    }
  } finally {
    await bare.stop();
  }
  return [
    ...pairRows('gateway-read', runs.gateway, runs.bare, true),
    ...pairRows('conditional-read', runs.gateway304, runs.bare304, false),
  ];
}

/** One read pair's rows: its throughput (with each round's, and the goal), latencies and the cores each side used, gateway beside bare: medians of the rounds. */
function pairRows(scenario: string, gateway: Measured[], bare: Measured[], withMedian: boolean): BenchRow[] {
  const median = (ms: Measured[], pick: (m: Measured) => number) => percentile(ms.map(pick), 50);
  const beside = (metric: string, unit: string, pick: (m: Measured) => number) =>
    row(scenario, metric, unit, median(gateway, pick), median(bare, pick));
  return [
    row(
      scenario,
      'rps',
      'req/s',
      median(gateway, (m) => m.rps),
      median(bare, (m) => m.rps),
      'ratio ≥ 0.9',
      {
        runs: gateway.map((m) => m.rps),
        baselineRuns: bare.map((m) => m.rps),
        paired: true,
      },
    ),
    ...(withMedian ? [beside('p50_ms', 'ms', (m) => m.p50Ms)] : []),
    beside('p99_ms', 'ms', (m) => m.p99Ms),
    beside('server_cores', 'cores', (m) => m.serverCores),
    beside('load_generator_cores', 'cores', (m) => m.loadCores),
  ];
}

function describe(gateway: Measured[], bare: Measured[], what: string): string {
  const g = gateway[gateway.length - 1];
  const b = bare[bare.length - 1];
  return `${what} ${Math.round(g.rps)} vs ${Math.round(b.rps)} req/s (${(g.rps / b.rps).toFixed(2)})`;
}

/** One more round with the profiler on in both servers: SIGWINCH starts it, the next writes the profile. */
async function profiledRound(
  ctx: BenchContext,
  measure: (target: string, pid: number, headers: Record<string, string>, status: number) => Promise<Measured>,
  url: string,
  gatewayPid: number,
  bare: { url: string; pid: number },
  conditional: Record<string, string>,
): Promise<void> {
  for (const [target, pid] of [
    [url, gatewayPid],
    [bare.url, bare.pid],
  ] as const) {
    for (const [headers, status] of [
      [{}, 200],
      [conditional, 304],
    ] as const) {
      process.kill(pid, 'SIGWINCH');
      await measure(target, pid, headers, status);
      process.kill(pid, 'SIGWINCH');
      await new Promise((r) => setTimeout(r, 2_000)); // the profile is written after the signal
    }
  }
  ctx.log(`gateway-read: CPU profiles in ${process.env['BENCH_CPU_PROFILE_DIR']} (hit, then 304, for each server)`);
}
